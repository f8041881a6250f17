import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthCodeEntity } from '../authorizations/auth-code.entity';
import { Clock } from '../common/clock';
import { PollLoop } from '../common/poll-loop';
import { TokenVault } from '../common/crypto/token-vault';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { SchemaGate } from '../database/schema-gate';
import { AuthCodeExchange } from './auth-code-exchange';
import { AuthCodeRepository } from './auth-code.repository';
import { ConsultationRepository } from './consultation.repository';

/** Exchanges at once per cycle, at most. */
const BATCH = 8;

/**
 * The automatic exchange, for merchants that turned it on: AUTHCODE_CREATED
 * marks the code due (in the notification's own transaction, so a restart
 * loses nothing), and every instance exchanges due codes through
 * AuthCodeExchange, whose lease makes one of them (or a merchant's own
 * applyToken racing it) the only one asking Alipay+. The token's
 * TOKEN_CREATED then goes to the merchant's subscribed endpoints.
 */
@Injectable()
export class AutoExchangeWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AutoExchangeWorker.name);
  private readonly loop: PollLoop;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly schema: SchemaGate,
    private readonly codes: AuthCodeRepository,
    private readonly consultations: ConsultationRepository,
    private readonly exchange: AuthCodeExchange,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {
    // The revoke worker's poll (CANCEL_TOKEN_POLL_MS): a safety net only, since AUTHCODE_CREATED kicks this loop.
    this.loop = new PollLoop(() => this.cycle(), this.config.cancelToken.pollMs);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** A code just became due (AUTHCODE_CREATED committed): look now rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** One cycle now: lets tests step without sleeping. */
  runOnce(): Promise<void> {
    return this.loop.runOnce();
  }

  private async cycle(): Promise<void> {
    if (!this.schema.migrated) return;
    let due: AuthCodeEntity[];
    try {
      due = await this.codes.due(this.dataSource.manager, this.clock.now(), BATCH);
    } catch (err) {
      this.logger.error({ msg: 'auto-exchange poll failed; will retry', err });
      return;
    }
    await Promise.all(due.map((code) => this.exchangeOne(code)));
    if (due.length === BATCH) this.loop.runAgain();
  }

  private async exchangeOne(code: AuthCodeEntity): Promise<void> {
    if (!code.merchantId || !code.referenceMerchantId) return;
    try {
      // The wallet is known from the merchant's consult with the code's authState (AUTHCODE_CREATED does not name it).
      const wallet =
        code.customerBelongsTo ?? (code.authState ? await this.consultations.walletFor(this.dataSource.manager, code.merchantId, code.authState) : null);
      await this.exchange.exchange(
        {
          merchant: { id: code.merchantId, referenceMerchantId: code.referenceMerchantId },
          authCode: this.vault.decrypt(code.authCodeEnc),
          customerBelongsTo: wallet,
          source: 'AUTO',
        },
        0,
      );
    } catch (err) {
      this.logger.error({ msg: 'auto-exchange failed; the code stays due', authCodeId: code.id, err });
    }
  }
}
