import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { rawBodyOf } from '../http/raw-body';
import { verifyInboundRequest } from '../signing';
import { NotificationMetrics } from './notification.metrics';

/**
 * The first step of every call Alipay+ makes to us: the signature over the raw
 * bytes, with Alipay+'s current or previous key, a request time inside the
 * skew window, and our own client id. Nothing is parsed before this passes.
 */
@Injectable()
export class ApsInbound {
  private readonly logger = new Logger('security');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly clock: Clock,
    private readonly metrics: NotificationMetrics,
  ) {}

  verify(req: FastifyRequest, route: string): { clientId: string; requestTime: string } {
    const result = verifyInboundRequest(
      { method: req.method, path: req.url, headers: req.headers, rawBody: rawBodyOf(req) },
      { publicKeys: this.config.alipayPlus.publicKeys, nowMs: this.clock.now().getTime(), skewMs: this.config.signatureSkewMs },
    );
    if (!result.ok) {
      this.metrics.signatureFailures.inc({ route, reason: result.reason });
      this.logger.warn({ msg: 'Alipay+ request refused: signature', route, reason: result.reason, clientId: result.clientId, ip: req.ip });
      throw new DomainError(ErrorCode.INVALID_SIGNATURE, `signature verification failed: ${result.reason}`);
    }
    if (result.clientId !== this.config.alipayPlus.clientId) {
      this.metrics.signatureFailures.inc({ route, reason: 'UNKNOWN_CLIENT' });
      this.logger.warn({ msg: 'Alipay+ request refused: client id', route, clientId: result.clientId, ip: req.ip });
      throw new DomainError(ErrorCode.INVALID_CLIENT, 'client-id is not this acquirer');
    }
    return { clientId: result.clientId, requestTime: String(req.headers['request-time']) };
  }
}
