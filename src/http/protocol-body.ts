import type { ClassConstructor } from 'class-transformer';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { validateBody } from '../common/validation';

/**
 * The body of a signed protocol request, after its signature verified: JSON
 * by content type, parseable, and valid against the DTO. Each failure is a
 * precise DomainError naming the field. `fastPath`, when given, may accept a
 * plainly valid body first; it must never accept what validateBody refuses.
 */
export function parseProtocolBody<T extends object>(req: FastifyRequest, type: ClassConstructor<T>, fastPath?: (body: unknown) => T | null): T {
  if (req.bodyProblem === 'UNSUPPORTED_MEDIA_TYPE' || req.rawBody === undefined) {
    throw new DomainError(ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE, 'content-type must be application/json');
  }
  if (req.bodyProblem === 'INVALID_JSON') throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'body is not valid JSON');
  const quick = fastPath?.(req.body);
  if (quick) return quick;
  const result = validateBody(type, req.body);
  if (!result.ok) throw new DomainError(ErrorCode.PARAM_ILLEGAL, result.problem);
  return result.value;
}
