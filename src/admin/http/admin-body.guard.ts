import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';

/**
 * The gateway's raw-body parser never fails a request (protocol routes answer
 * bad bodies with their own signed result), so admin routes refuse here what
 * it could not parse: 415 for a non-JSON body, 400 for broken JSON or JSON
 * that is not an object. Runs after the token guard: strangers learn nothing.
 */
@Injectable()
export class AdminBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (req.bodyProblem === 'UNSUPPORTED_MEDIA_TYPE') {
      throw new DomainError(ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE, 'body: must be application/json');
    }
    if (req.bodyProblem === 'INVALID_JSON') throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'body: is not valid JSON');
    const hasBody = (req.rawBody?.length ?? 0) > 0;
    if (hasBody && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))) {
      throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'body: must be a JSON object');
    }
    return true;
  }
}
