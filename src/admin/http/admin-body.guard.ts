import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import { declaresJson } from '../../http/raw-body';
import { parseStrictJson } from '../../http/strict-json';

/**
 * Parses an admin request's body, after the token guard: a stranger's body
 * is never parsed. The gateway's raw-body parser keeps every body as bytes,
 * so this is where admin routes read theirs, strictly (UTF-8, no repeated
 * keys): 415 for a body that is not declared JSON, 400 for one that does not
 * parse or is not an object. The parsed object becomes `req.body`.
 */
@Injectable()
export class AdminBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!req.rawBody || req.rawBody.length === 0) return true;
    if (!declaresJson(req)) throw new DomainError(ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE, 'body: must be application/json');
    const parsed = parseStrictJson(req.rawBody);
    if (!parsed.ok) throw new DomainError(ErrorCode.PARAM_ILLEGAL, parsed.problem);
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'body: must be a JSON object');
    }
    req.body = parsed.value;
    return true;
  }
}
