import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import type { ProtocolResult } from '../http/signed-reply';
import { parseProtocolBody } from '../http/protocol-body';
import { AuthNotifyDto } from './auth-notify.dto';
import { acceptPlainlyValid } from './auth-notify.fast-path';
import { AuthNotifyService } from './auth-notify.service';
import { ApsInbound } from './aps-inbound';
import { APS_SUCCESS, apsResultFor } from './aps-result';
import { NotificationMetrics } from './notification.metrics';

/**
 * authNotify in named steps: verify the source → parse and validate → store
 * and apply (one transaction) → acknowledge. S only after the commit; any
 * failure, ours included, is a non-S answer so Alipay+ sends it again.
 */
@Injectable()
export class AuthNotifyHandler {
  private readonly logger = new Logger(AuthNotifyHandler.name);

  constructor(
    private readonly inbound: ApsInbound,
    private readonly service: AuthNotifyService,
    private readonly metrics: NotificationMetrics,
  ) {}

  async handle(req: FastifyRequest): Promise<ProtocolResult> {
    const started = performance.now();
    let type = 'UNKNOWN';
    let result: ProtocolResult;
    let label: string;
    try {
      const source = this.inbound.verify(req, 'authNotify');
      const body = parseProtocolBody(req, AuthNotifyDto, acceptPlainlyValid);
      type = body.authorizationNotifyType;
      label = await this.service.apply({ body, clientId: source.clientId, requestTime: source.requestTime });
      result = APS_SUCCESS;
    } catch (err) {
      result = apsResultFor(err);
      label = result.resultCode;
      if (!(err instanceof DomainError)) this.logger.error({ msg: 'authNotify not stored; answering U so Alipay+ retries', err });
      else this.logger.warn({ msg: 'authNotify refused', resultCode: result.resultCode, reason: err.message });
    }
    this.metrics.notifications.inc({ type, result: label });
    this.metrics.ackSeconds.observe({ type, result: result.resultStatus }, (performance.now() - started) / 1000);
    return result;
  }
}
