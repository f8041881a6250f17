import type { ClassConstructor } from 'class-transformer';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { validateBody } from '../common/validation';
import { declaresJson } from './raw-body';
import { parseStrictJson } from './strict-json';

/**
 * The body of a signed protocol request, parsed only now that its signature
 * has verified: JSON by content type, read strictly (one value for the signed
 * bytes: UTF-8, no repeated keys), and valid against the DTO. Each failure is
 * a precise DomainError naming the field. `fastPath`, when given, may accept
 * a plainly valid body first; it must never accept what validateBody refuses.
 */
export function parseProtocolBody<T extends object>(req: FastifyRequest, type: ClassConstructor<T>, fastPath?: (body: unknown) => T | null): T {
  if (!declaresJson(req) || req.rawBody === undefined) {
    throw new DomainError(ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE, 'content-type must be application/json');
  }
  const parsed = parseStrictJson(req.rawBody);
  if (!parsed.ok) throw new DomainError(ErrorCode.PARAM_ILLEGAL, parsed.problem);
  const quick = fastPath?.(parsed.value);
  if (quick) return quick;
  const result = validateBody(type, parsed.value);
  if (!result.ok) throw new DomainError(ErrorCode.PARAM_ILLEGAL, result.problem);
  return result.value;
}
