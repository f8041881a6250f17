import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import { AuditTrail } from '../../operators/audit-trail';

const READS_ONLY = 'acqp:admin-reads-only';

/** A route that changes nothing though it is not a GET (a look-up sent as POST to keep a token out of URLs). */
export const AdminRead = (): MethodDecorator => SetMetadata(READS_ONLY, true);

/** True when the request changes nothing: a GET, or a route marked @AdminRead(). */
export function readsOnly(reflector: Reflector, context: ExecutionContext): boolean {
  const req = context.switchToHttp().getRequest<FastifyRequest>();
  return req.method === 'GET' || req.method === 'HEAD' || reflector.get<boolean>(READS_ONLY, context.getHandler()) === true;
}

/**
 * What the authenticated operator (AdminGate) may do here: `admin` anything,
 * `read-only` only what changes nothing; a write refused for its role goes
 * to the audit trail. A request the gate did not authenticate never reaches
 * a handler.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const operator = req.operator;
    if (!operator) throw new DomainError(ErrorCode.UNAUTHORIZED, 'a valid admin bearer token is required');
    if (operator.role !== 'admin' && !readsOnly(this.reflector, context)) {
      await this.audit.record({ actor: operator, action: `${req.method} ${req.routeOptions.url ?? req.url}`, target: null, status: 403, ip: req.ip });
      throw new DomainError(ErrorCode.ACCESS_DENIED, `operator ${operator.name} is ${operator.role}: it may look, not change`);
    }
    return true;
  }
}
