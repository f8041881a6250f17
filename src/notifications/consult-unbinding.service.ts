import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { MerchantDirectory } from '../merchants/merchant-directory';
import { signedRequestHeaders } from '../signing';
import type { ConsultUnbindingDto } from './auth-notify.dto';

/** What we may spend asking a merchant, leaving room inside Alipay+'s 5 s for our own work. */
export const CONSULT_BUDGET_MS = 3_000;

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
    private readonly clock: Clock,
  ) {}

  async allowUnbinding(req: ConsultUnbindingDto): Promise<boolean> {
    const merchant = await this.merchants.findByReference(this.dataSource.manager, req.referenceMerchantId);
    if (!merchant || merchant.consultPolicy === 'ALLOW') return true;
    if (merchant.consultPolicy === 'DENY') return false;
    if (!merchant.consultUrl) return true;
    try {
      return await this.askMerchant(merchant.consultUrl, req);
    } catch (err) {
      this.logger.warn({ msg: 'merchant consult URL did not answer in time; allowing', merchantId: merchant.id, err });
      return true;
    }
  }

  private async askMerchant(url: string, req: ConsultUnbindingDto): Promise<boolean> {
    const body = JSON.stringify({ accessToken: req.accessToken, referenceMerchantId: req.referenceMerchantId, authClientId: req.authClientId });
    const target = new URL(url);
    const headers = signedRequestHeaders(
      { method: 'POST', path: target.pathname + target.search, clientId: this.config.gateway.clientId, time: this.clock.now().toISOString(), body },
      this.config.gateway.privateKey,
    );
    const res = await fetch(target, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(CONSULT_BUDGET_MS) });
    const answer = (await res.json()) as { allowUnbinding?: unknown };
    return !(res.ok && (answer.allowUnbinding === 'false' || answer.allowUnbinding === false));
  }
}
