import type { KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { rawBodyOf } from '../http/raw-body';
import { MerchantDirectory } from '../merchants/merchant-directory';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { CLIENT_ID_RULE, isWithinSkew, loadPublicKey, readSignatureHeaders, verifyMessage } from '../signing';
import { MerchantRateLimiter } from './rate-limiter';

/**
 * The first step of every merchant call: who signed it (their client id), with
 * their current or previous key, over the raw bytes, inside the skew window;
 * then whether they may call now (status, rate limit). Nothing is parsed first.
 */
@Injectable()
export class MerchantInbound {
  private readonly logger = new Logger('security');
  /** Parsed keys by merchant id, refreshed when the merchant record changes. */
  private readonly keys = new Map<string, { updatedAt: number; keys: KeyObject[] }>();

  constructor(
    private readonly merchants: MerchantDirectory,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly limiter: MerchantRateLimiter,
    private readonly clock: Clock,
  ) {}

  async verify(req: FastifyRequest): Promise<MerchantEntity> {
    const headers = readSignatureHeaders(req.headers);
    if ('reason' in headers) {
      throw this.refuse(
        req,
        headers.reason,
        headers.clientId,
        ErrorCode.INVALID_SIGNATURE,
        headers.reason === 'MALFORMED_CLIENT_ID' ? CLIENT_ID_RULE : undefined,
      );
    }
    const merchant = await this.merchants.findByClientId(headers.clientId);
    if (!merchant || !merchant.publicKey) {
      throw this.refuse(req, 'NO_KEY_FOR_CLIENT', headers.clientId, ErrorCode.KEY_NOT_FOUND, 'no key is registered for this client-id');
    }
    if (!isWithinSkew(headers.timeMs, this.clock.now().getTime(), this.config.signatureSkewMs)) {
      throw this.refuse(req, 'STALE_TIME', headers.clientId, ErrorCode.INVALID_SIGNATURE);
    }
    const ok = verifyMessage(
      { method: req.method, path: req.url, clientId: headers.clientId, time: headers.time, body: rawBodyOf(req) },
      headers.signature.signature,
      this.keysOf(merchant),
    );
    if (!ok) throw this.refuse(req, 'INVALID_SIGNATURE', headers.clientId, ErrorCode.INVALID_SIGNATURE);
    if (merchant.status !== 'ACTIVE') throw new DomainError(ErrorCode.ACCESS_DENIED, 'the merchant is disabled');
    if (!this.limiter.tryTake(merchant.id, merchant.rateLimitPerSecond)) {
      throw new DomainError(ErrorCode.REQUEST_TRAFFIC_EXCEED_LIMIT, 'request rate limit exceeded; retry later');
    }
    return merchant;
  }

  private keysOf(m: MerchantEntity): KeyObject[] {
    const cached = this.keys.get(m.id);
    if (cached && cached.updatedAt === m.updatedAt.getTime()) return cached.keys;
    const keys = [m.publicKey, m.previousPublicKey].filter((k): k is string => !!k).map(loadPublicKey);
    this.keys.set(m.id, { updatedAt: m.updatedAt.getTime(), keys });
    return keys;
  }

  private refuse(req: FastifyRequest, reason: string, clientId: string | undefined, code: ErrorCode, message?: string): DomainError {
    this.logger.warn({ msg: 'merchant request refused', route: req.routeOptions.url, reason, clientId, ip: req.ip });
    return new DomainError(code, message ?? `signature verification failed: ${reason}`);
  }
}
