import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../common/crypto/safe-equal';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { GatewayConfig } from '../../config/gateway-config';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * `Authorization: Bearer <ADMIN_API_TOKEN>` on every admin route, compared in
 * constant time. The answer never says whether the token was missing or
 * wrong, and the presented value is never logged or echoed.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'adminApiToken'>) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const presented = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (presented === undefined || !safeEqual(presented, this.config.adminApiToken)) {
      throw new DomainError(ErrorCode.UNAUTHORIZED, 'a valid admin bearer token is required');
    }
    return true;
  }
}
