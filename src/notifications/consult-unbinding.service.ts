import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { MerchantDirectory } from '../merchants/merchant-directory';
import { GuardedHttpClient } from '../outbound/guarded-http.client';
import { signedRequestHeaders } from '../signing';
import type { ConsultUnbindingDto } from './auth-notify.dto';

/** What we may spend asking a merchant, leaving room inside Alipay+'s 5 s for our own work. */
export const CONSULT_BUDGET_MS = 3_000;
/** A consult answer is `{"allowUnbinding": "true"}` or so; anything longer is not read. */
const MAX_ANSWER_BYTES = 8 * 1024;

/**
 * consultUnbinding: may this user unbind? The merchant's policy answers:
 * ALLOW (default), DENY, or ASK its consult URL within the budget. An unknown
 * merchant, or one that does not answer in time, is answered "true": the user
 * can always unbind at the wallet, and a silent merchant must not trap them.
 */
@Injectable()
export class ConsultUnbindingService {
  private readonly logger = new Logger(ConsultUnbindingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly merchants: MerchantDirectory,
    private readonly http: GuardedHttpClient,
    private readonly clock: Clock,
  ) {}

  async allowUnbinding(req: ConsultUnbindingDto): Promise<boolean> {
    const merchant = await this.merchants.findByReference(this.dataSource.manager, req.referenceMerchantId);
    if (!merchant || merchant.consultPolicy === 'ALLOW') return true;
    if (merchant.consultPolicy === 'DENY') return false;
    if (!merchant.consultUrl) return true;
    try {
      return await this.askMerchant(merchant, merchant.consultUrl, req);
    } catch (err) {
      this.logger.warn({ msg: 'merchant consult failed; allowing', merchantId: merchant.id, err });
      return true;
    }
  }

  /**
   * POSTs the question, signed like a callback: the gateway's key under the
   * merchant's own client id. Through the guarded client, so the consult URL
   * is checked against the SSRF rules on the address actually connected to,
   * every time. Only an HTTP 200 saying `allowUnbinding: "false"` keeps the
   * user bound; anything else (refused, blocked, late, unreadable) allows.
   */
  private async askMerchant(merchant: MerchantEntity, url: string, req: ConsultUnbindingDto): Promise<boolean> {
    const body = Buffer.from(
      JSON.stringify({ accessToken: req.accessToken, referenceMerchantId: req.referenceMerchantId, authClientId: req.authClientId }),
      'utf8',
    );
    const target = new URL(url);
    const headers = signedRequestHeaders(
      { method: 'POST', path: target.pathname + target.search, clientId: merchant.clientId, time: this.clock.now().toISOString(), body },
      this.config.gateway.privateKey,
    );
    const exchange = await this.http.post(url, headers, body, { timeoutMs: CONSULT_BUDGET_MS, maxReadBytes: MAX_ANSWER_BYTES });
    if (exchange.kind === 'error') {
      this.logger.warn({
        msg: 'merchant consult URL gave no answer; allowing',
        merchantId: merchant.id,
        errorClass: exchange.errorClass,
        detail: exchange.detail,
      });
      return true;
    }
    if (exchange.status !== 200 || exchange.truncated) return true;
    try {
      const answer = JSON.parse(exchange.body.toString('utf8')) as { allowUnbinding?: unknown } | null;
      return !(answer?.allowUnbinding === 'false' || answer?.allowUnbinding === false);
    } catch {
      return true;
    }
  }
}
