import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlipayPlusClient } from '../alipayplus/alipayplus.client';
import { issuedTokenOf, type IssuedToken } from '../alipayplus/authorization.transformers';
import { AuthCodeEntity } from '../authorizations/auth-code.entity';
import { AuthorizationRepository, isOwner } from '../authorizations/authorization.repository';
import { TokenTransitions } from '../authorizations/token-transitions';
import { Clock } from '../common/clock';
import { TokenVault } from '../common/crypto/token-vault';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { NOT_TOLD, UnitOfWork } from '../database/unit-of-work';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { AuthCodeRepository } from './auth-code.repository';
import { BindingMetrics, metricCode } from './binding.metrics';
import { exchangeRetryDelayMs, AUTH_CODE_VALIDITY_MS } from './exchange-policy';

/** Who asks for the exchange: the merchant's applyToken, or the gateway on AUTHCODE_CREATED. */
export type ExchangeSource = 'MERCHANT' | 'AUTO';

export interface ExchangeCommand {
  readonly merchant: Pick<MerchantEntity, 'id' | 'referenceMerchantId'>;
  readonly authCode: string;
  readonly customerBelongsTo?: string | null;
  readonly merchantRegion?: string | null;
  readonly source: ExchangeSource;
}

/**
 * S: the token, this call's or (`replay`) an earlier one's, with when the code
 * was first seen. F: Alipay+ refused the code. U: not known yet; ask again.
 */
export type ExchangeResult =
  | { readonly status: 'S'; readonly authorizationId: string; readonly replay: boolean; readonly codeSeenAt: Date }
  | { readonly status: 'F'; readonly resultCode: string; readonly resultMessage: string }
  | { readonly status: 'U' };

/** Alipay+'s answer to one exchange, as recorded. */
type Answer = { kind: 'S'; issued: IssuedToken } | { kind: 'F'; resultCode: string; resultMessage: string } | { kind: 'U'; resultCode: string };

type Leased = { readonly kind: 'leased'; readonly code: AuthCodeEntity; readonly leaseUntil: Date };
type Opened = Leased | { readonly kind: 'settled'; readonly result: ExchangeResult } | { readonly kind: 'busy' };

/** A lease outlasts one applyToken attempt (ALIPAYPLUS_TIMEOUT_MS) by this much, room to record its outcome. */
const LEASE_MARGIN_MS = 10_000;
/**
 * Refusals that are about the code itself and final: kept, so the same code
 * gets the same F without asking again. Any other F (USED_CODE among them: a
 * lost answer may have issued the token, whose TOKEN_CREATED then links it)
 * leaves the code free.
 */
const FINAL_REFUSALS: ReadonlySet<string> = new Set(['INVALID_CODE', 'EXPIRED_CODE']);
/** How often a caller that found the exchange in another's hands looks again. */
const WAIT_STEP_MS = 100;

/**
 * Exchanges an auth code for a token with Alipay+ applyToken, once. The
 * code's row is the lock: whoever leases it (a merchant's applyToken or the
 * automatic exchange, in any instance) asks Alipay+; anyone else arriving
 * meanwhile waits for that answer. The token is written through
 * TokenTransitions as a TOKEN_CREATED, so a TOKEN_CREATED notification for
 * it later is a duplicate (one token, one callback), and the same code asked
 * again answers the same token.
 */
@Injectable()
export class AuthCodeExchange {
  private readonly logger = new Logger(AuthCodeExchange.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly uow: UnitOfWork,
    private readonly codes: AuthCodeRepository,
    private readonly authorizations: AuthorizationRepository,
    private readonly transitions: TokenTransitions,
    private readonly client: AlipayPlusClient,
    private readonly vault: TokenVault,
    private readonly metrics: BindingMetrics,
    private readonly clock: Clock,
  ) {}

  /** The exchange's outcome within `budgetMs`; past it, U (the exchange in flight still completes and is kept). */
  async exchange(cmd: ExchangeCommand, budgetMs: number): Promise<ExchangeResult> {
    // Real time, not the clock: this bounds how long a request waits, whatever a test's clock says.
    const deadline = Date.now() + budgetMs;
    const hash = this.vault.lookupHash('auth-code', cmd.authCode);
    const opened = await this.uow.run((em) => this.open(em, cmd, hash), { ...NOT_TOLD, retryOnDuplicateKey: true });
    switch (opened.kind) {
      case 'settled':
        return opened.result;
      case 'leased':
        return this.ask(cmd, opened);
      case 'busy':
        return this.waitForOther(hash, deadline);
    }
  }

  /** The code's row, inserted if this is the first we hear of it, locked; then who asks Alipay+. */
  private async open(em: EntityManager, cmd: ExchangeCommand, hash: string): Promise<Opened> {
    const now = this.clock.now();
    await this.codes.insertIfAbsent(
      em,
      Object.assign(new AuthCodeEntity(), {
        id: randomUUID(),
        authCodeHash: hash,
        authCodeEnc: this.vault.encrypt(cmd.authCode),
        encKeyId: this.vault.currentKeyId,
        merchantId: cmd.merchant.id,
        referenceMerchantId: cmd.merchant.referenceMerchantId,
        customerBelongsTo: cmd.customerBelongsTo ?? null,
        createdAt: now,
      }),
    );
    const code = (await this.codes.findByHashForUpdate(em, hash))!;
    // Another merchant's code answers as Alipay+ answers a made-up one: no existence leak.
    if (!isOwner(code, cmd.merchant)) return { kind: 'settled', result: invalidCode() };
    const settled = settledResult(code);
    if (settled) return { kind: 'settled', result: settled };
    // Exchanged, but the answer was lost (a timeout, a crash): Alipay+'s TOKEN_CREATED linked the token to the code since.
    const linked = await this.authorizations.findIdByAuthCode(em, code.id);
    if (linked) {
      await this.codes.update(em, code.id, { exchangeStatus: 'EXCHANGED', exchangeLeaseUntil: null, nextExchangeAt: null, authorizationId: linked });
      return { kind: 'settled', result: { status: 'S', authorizationId: linked, replay: true, codeSeenAt: code.createdAt } };
    }
    if (code.exchangeStatus === 'EXCHANGING' && code.exchangeLeaseUntil && code.exchangeLeaseUntil > now) return { kind: 'busy' };
    const leaseUntil = new Date(now.getTime() + this.config.alipayPlus.requestTimeoutMs + LEASE_MARGIN_MS);
    await this.codes.update(em, code.id, {
      exchangeStatus: 'EXCHANGING',
      exchangeLeaseUntil: leaseUntil,
      exchangeAttempts: code.exchangeAttempts + 1,
      customerBelongsTo: code.customerBelongsTo ?? cmd.customerBelongsTo ?? null,
    });
    return { kind: 'leased', code, leaseUntil };
  }

  /** This caller holds the lease: one applyToken, then its outcome recorded, fenced on the lease. */
  private async ask(cmd: ExchangeCommand, { code, leaseUntil }: Leased): Promise<ExchangeResult> {
    const { outcome } = await this.client.applyToken({
      acquirerId: this.config.alipayPlus.acquirerId,
      authClientId: code.authClientId ?? cmd.merchant.referenceMerchantId,
      referenceMerchantId: cmd.merchant.referenceMerchantId,
      grantType: 'AUTHORIZATION_CODE',
      authCode: cmd.authCode,
      customerBelongsTo: code.customerBelongsTo ?? cmd.customerBelongsTo ?? null,
      pspId: code.pspId,
      merchantRegion: cmd.merchantRegion ?? null,
    });
    const issued = outcome.kind === 'S' ? issuedTokenOf(outcome.body) : null;
    // An S without a token is not trusted: U, and the code is asked again.
    const answer: Answer = issued
      ? { kind: 'S', issued }
      : outcome.kind === 'F'
        ? { kind: 'F', resultCode: outcome.resultCode, resultMessage: outcome.resultMessage ?? outcome.resultCode }
        : { kind: 'U', resultCode: outcome.kind === 'S' ? 'MALFORMED_RESPONSE' : outcome.resultCode };
    this.metrics.exchanges.inc({ source: cmd.source, result: answer.kind, code: metricCode(outcome.resultCode) });
    try {
      return await this.uow.run((em) => this.record(em, cmd, code, leaseUntil, answer), { retryOnDuplicateKey: true });
    } catch (err) {
      // Not recorded: the lease runs out and the next caller (or the automatic exchange) asks again.
      this.logger.error({ msg: 'could not record an applyToken outcome; answering U', err });
      return { status: 'U' };
    }
  }

  private async record(em: EntityManager, cmd: ExchangeCommand, leased: AuthCodeEntity, leaseUntil: Date, answer: Answer): Promise<ExchangeResult> {
    const now = this.clock.now();
    const issued = answer.kind === 'S' ? answer.issued : null;
    // Token row first, then the code's: the order a TOKEN_CREATED notification takes them in.
    const tokenHash = issued ? this.vault.lookupHash('access-token', issued.accessToken) : null;
    const tokenRow = tokenHash ? await this.authorizations.findByTokenHashForUpdate(em, tokenHash) : null;
    const code = (await this.codes.findByHashForUpdate(em, leased.authCodeHash))!;
    const fenced = code.exchangeStatus !== 'EXCHANGING' || code.exchangeLeaseUntil?.getTime() !== leaseUntil.getTime();
    if (fenced) return settledResult(code) ?? { status: 'U' };

    if (issued) {
      const authorizationId = tokenRow?.id ?? randomUUID();
      await this.transitions.apply(
        em,
        tokenRow,
        {
          kind: 'notice',
          event: { type: 'TOKEN_CREATED' },
          accessToken: issued.accessToken,
          accessTokenHash: tokenHash!,
          newId: authorizationId,
          merchantId: cmd.merchant.id,
          ids: {
            referenceMerchantId: cmd.merchant.referenceMerchantId,
            referenceAgreementId: code.referenceAgreementId,
            customerId: issued.customerId ?? code.customerId,
            authClientId: code.authClientId ?? cmd.merchant.referenceMerchantId,
            acquirerId: this.config.alipayPlus.acquirerId,
            pspId: issued.pspId ?? code.pspId,
          },
          details: {
            refreshToken: issued.refreshToken,
            accessTokenExpiryTime: issued.accessTokenExpiryTime,
            refreshTokenExpiryTime: issued.refreshTokenExpiryTime,
            scopes: null,
            userLoginId: issued.userLoginId,
            wallet: null,
          },
          exchangedFrom: { authCodeId: code.id, customerBelongsTo: code.customerBelongsTo },
        },
        now,
      );
      await this.codes.update(em, code.id, {
        exchangeStatus: 'EXCHANGED',
        exchangeLeaseUntil: null,
        nextExchangeAt: null,
        exchangeResultCode: 'SUCCESS',
        authorizationId,
      });
      return { status: 'S', authorizationId, replay: false, codeSeenAt: code.createdAt };
    }
    if (answer.kind === 'F') {
      // A refusal that is not the code's own (our setup, the merchant's fields) stops the automatic exchange too.
      const final = FINAL_REFUSALS.has(answer.resultCode);
      await this.codes.update(em, code.id, {
        exchangeStatus: final ? 'FAILED' : null,
        exchangeLeaseUntil: null,
        nextExchangeAt: null,
        exchangeResultCode: answer.resultCode,
      });
      return { status: 'F', resultCode: answer.resultCode, resultMessage: answer.resultMessage };
    }
    // U: free the code; the automatic exchange tries again while the code is valid.
    // open() counted this attempt already.
    const retryAt = new Date(now.getTime() + exchangeRetryDelayMs(code.exchangeAttempts));
    const auto = cmd.source === 'AUTO' || code.nextExchangeAt !== null;
    const stillValid = retryAt.getTime() < code.createdAt.getTime() + AUTH_CODE_VALIDITY_MS;
    await this.codes.update(em, code.id, {
      exchangeStatus: auto && stillValid ? 'PENDING' : null,
      exchangeLeaseUntil: null,
      nextExchangeAt: auto && stillValid ? retryAt : null,
      exchangeResultCode: answer.kind === 'U' ? answer.resultCode : null,
    });
    return { status: 'U' };
  }

  /** Another caller is asking Alipay+: its outcome, read as it lands, within the deadline. */
  private async waitForOther(hash: string, deadline: number): Promise<ExchangeResult> {
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      const code = await this.codes.findByHash(hash);
      const settled = code && settledResult(code);
      if (settled) return settled;
      if (code?.exchangeStatus !== 'EXCHANGING') return { status: 'U' };
    }
    return { status: 'U' };
  }
}

/** What a code's row already says for good: its token, or Alipay+'s refusal. */
function settledResult(code: AuthCodeEntity): ExchangeResult | null {
  if (code.authorizationId) return { status: 'S', authorizationId: code.authorizationId, replay: true, codeSeenAt: code.createdAt };
  if (code.exchangeStatus === 'FAILED') {
    const resultCode = code.exchangeResultCode ?? 'PROCESS_FAIL';
    return { status: 'F', resultCode, resultMessage: `Alipay+ refused the authorization code: ${resultCode}` };
  }
  return null;
}

function invalidCode(): ExchangeResult {
  return { status: 'F', resultCode: 'INVALID_CODE', resultMessage: 'the authorization code is invalid' };
}
