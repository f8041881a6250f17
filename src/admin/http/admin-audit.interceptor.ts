import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import { DomainError } from '../../common/errors/domain-error';
import { AuditTrail } from '../../operators/audit-trail';
import { readsOnly } from './admin-access.guard';
import { httpStatusFor } from '../../common/errors/error-table';

/**
 * Every admin write, done or refused, becomes an audit row (and a log line):
 * who, which route, which object (its route ids, and the id of what was
 * created), the answer's status, from where. Reads are not recorded. The
 * row is written before the answer goes out; if it cannot be written the
 * action stands and the log line still tells.
 */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly audit: AuditTrail,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (readsOnly(this.reflector, context)) return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const success = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap((body: unknown) => from(this.record(req, success, createdId(body)).then(() => body))),
      catchError((err: unknown) =>
        from(
          this.record(req, err instanceof DomainError ? httpStatusFor(err.code) : 500, null).then(() => {
            throw err;
          }),
        ),
      ),
    );
  }

  private async record(req: FastifyRequest, status: number, created: string | null): Promise<void> {
    if (!req.operator) return;
    const params = Object.entries((req.params ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
    if (created) params.push(`created=${created}`);
    try {
      await this.audit.record({
        actor: req.operator,
        action: `${req.method} ${req.routeOptions.url ?? req.url}`,
        target: params.length > 0 ? params.join(' ') : null,
        status,
        ip: req.ip,
      });
    } catch (err) {
      this.logger.error({ msg: 'audit row not written; the log line above is the record', err });
    }
  }
}

/** The id of what a create answered with, if it is one. */
function createdId(body: unknown): string | null {
  const id = (body as { id?: unknown } | null)?.id ?? (body as { operator?: { id?: unknown } } | null)?.operator?.id;
  return typeof id === 'string' ? id : null;
}
