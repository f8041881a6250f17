import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../common/crypto/safe-equal';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { GatewayConfig } from '../../config/gateway-config';

const BEARER = /^Bearer +(\S+) *$/i;

/** Another way in, asked only when no bearer token is sent: the operator console's session (src/console). */
export const ADMIN_SESSION_AUTH = Symbol('ADMIN_SESSION_AUTH');
export interface AdminSessionAuth {
  accepts(req: FastifyRequest): boolean;
}

/**
 * `Authorization: Bearer <ADMIN_API_TOKEN>` on every admin route, compared in
 * constant time. The answer never says whether the token was missing or
 * wrong, and the presented value is never logged or echoed. A request with
 * no Authorization header at all may instead be let in by ADMIN_SESSION_AUTH.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'adminApiToken'>,
    @Optional() @Inject(ADMIN_SESSION_AUTH) private readonly sessions?: AdminSessionAuth,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization;
    if (header === undefined && this.sessions?.accepts(req)) return true;
    const presented = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (presented === undefined || !safeEqual(presented, this.config.adminApiToken)) {
      throw new DomainError(ErrorCode.UNAUTHORIZED, 'a valid admin bearer token is required');
    }
    return true;
  }
}
