import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import type { AdminErrorResponse } from './admin-error.response';
import { httpStatusFor } from '../../common/errors/error-table';

/**
 * The one place admin routes turn failures into HTTP: domain errors by their
 * code, anything unexpected as a 500 whose details stay in the log.
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.describe(exception);
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="admin"');
    void reply.status(status).send(body);
  }

  private describe(exception: unknown): { status: number; body: AdminErrorResponse } {
    if (exception instanceof DomainError) {
      return { status: httpStatusFor(exception.code), body: { error: { code: exception.code, message: exception.message } } };
    }
    // Framework errors (e.g. a route-level 404) keep their status; their text is Nest's, never request data.
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = status === 404 ? ErrorCode.NOT_FOUND : status === 415 ? ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE : ErrorCode.PARAM_ILLEGAL;
      return { status, body: { error: { code, message: exception.message } } };
    }
    this.logger.error({ msg: 'admin request failed', err: exception });
    return { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'internal error; see the gateway log' } } };
  }
}
