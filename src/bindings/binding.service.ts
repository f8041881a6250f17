import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlipayPlusClient } from '../alipayplus/alipayplus.client';
import { issuedTokenOf, preparedAuthorizationOf, type PreparedAuthorization } from '../alipayplus/authorization.transformers';
import { CONFIGURATION_FAILURE_CODES, type AcqpOutcome } from '../alipayplus/cancel-token.transformers';
import type { AuthorizationEntity } from '../authorizations/authorization.entity';
import { AuthorizationRepository } from '../authorizations/authorization.repository';
import { MerchantRequestLog } from '../authorizations/merchant-request.log';
import { TokenTransitions } from '../authorizations/token-transitions';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { Clock } from '../common/clock';
import { TokenVault } from '../common/crypto/token-vault';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { UnitOfWork } from '../database/unit-of-work';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { AuthCodeExchange } from './auth-code-exchange';
import { BindingMetrics } from './binding.metrics';
import { ConsultationRepository } from './consultation.repository';
import { AUTH_CODE_VALIDITY_MS } from './exchange-policy';
import { metricCode } from './binding.metrics';

export interface ConsultCommand {
  readonly merchant: MerchantEntity;
  readonly customerBelongsTo: string;
  readonly authRedirectUrl: string;
  readonly scopes: readonly string[];
  readonly authState: string;
  readonly terminalType: string;
  readonly authClientId?: string | null;
  readonly osType?: string | null;
  readonly osVersion?: string | null;
  readonly merchantRegion?: string | null;
  readonly merchantAccountId?: string | null;
  readonly extendInfo?: string | null;
}

export interface ApplyTokenCommand {
  readonly merchant: MerchantEntity;
  readonly grantType: 'AUTHORIZATION_CODE' | 'REFRESH_TOKEN';
  readonly customerBelongsTo: string;
  readonly authCode?: string | null;
  readonly refreshToken?: string | null;
  readonly merchantRegion?: string | null;
}

/** A token as the merchant's applyToken answer carries it. */
export interface IssuedTokenView {
  accessToken: string;
  accessTokenExpiryTime?: string;
  refreshToken?: string;
  refreshTokenExpiryTime?: string;
  userLoginId?: string;
}

/** F carries the code the merchant hears (Alipay+'s own where it is about the merchant's input). */
export type BindingResult<T> = { status: 'S'; value: T } | { status: 'F'; resultCode: string; resultMessage: string } | { status: 'U' };

/**
 * Binding through the gateway, for a merchant's Antom calls: consult
 * (Alipay+ prepare), applyToken with an auth code (AuthCodeExchange) or with
 * a refresh token (Alipay+ applyToken, the token's row renewed in place).
 * Every call lands in the token's timeline (merchant_requests), and a
 * consult is kept with its authState, which AUTHCODE_CREATED echoes.
 */
@Injectable()
export class BindingService {
  private readonly logger = new Logger(BindingService.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly client: AlipayPlusClient,
    private readonly exchanges: AuthCodeExchange,
    private readonly authorizations: AuthorizationRepository,
    private readonly consultations: ConsultationRepository,
    private readonly transitions: TokenTransitions,
    private readonly requests: MerchantRequestLog,
    private readonly vault: TokenVault,
    private readonly metrics: BindingMetrics,
    private readonly clock: Clock,
  ) {}

  async consult(cmd: ConsultCommand): Promise<BindingResult<PreparedAuthorization>> {
    // Alipay+ knows the merchant as its referenceMerchantId: another auth client would bind under someone else's name.
    if (cmd.authClientId != null && cmd.authClientId !== cmd.merchant.referenceMerchantId) {
      throw new DomainError(ErrorCode.PARAM_ILLEGAL, "authClientId: must be the merchant's own referenceMerchantId (or left out)");
    }
    const { outcome } = await this.client.prepare({
      acquirerId: this.config.alipayPlus.acquirerId,
      authClientId: cmd.merchant.referenceMerchantId,
      authClientName: cmd.merchant.name,
      referenceMerchantId: cmd.merchant.referenceMerchantId,
      customerBelongsTo: cmd.customerBelongsTo,
      authRedirectUrl: cmd.authRedirectUrl,
      scopes: cmd.scopes,
      authState: cmd.authState,
      terminalType: cmd.terminalType,
      osType: cmd.osType,
      osVersion: cmd.osVersion,
      merchantRegion: cmd.merchantRegion,
      extendInfo: cmd.extendInfo,
    });
    const prepared = outcome.kind === 'S' ? preparedAuthorizationOf(outcome.body) : null;
    const result: BindingResult<PreparedAuthorization> = prepared ? { status: 'S', value: prepared } : this.notSucceeded(outcome, 'prepare');
    await this.uow.run((em) =>
      this.consultations.insert(em, {
        id: randomUUID(),
        merchantId: cmd.merchant.id,
        authState: cmd.authState,
        customerBelongsTo: cmd.customerBelongsTo,
        pspId: null,
        scopes: cmd.scopes.join(' '),
        merchantAccountId: cmd.merchantAccountId ?? null,
        resultStatus: result.status,
        resultCode: codeOf(result),
        createdAt: this.clock.now(),
      }),
    );
    this.count('consult', result);
    return result;
  }

  async applyToken(cmd: ApplyTokenCommand): Promise<BindingResult<IssuedTokenView>> {
    const api = cmd.grantType === 'AUTHORIZATION_CODE' ? 'applyToken' : 'refresh';
    const { result, authorizationId } = cmd.grantType === 'AUTHORIZATION_CODE' ? await this.byAuthCode(cmd) : await this.byRefreshToken(cmd);
    await this.requests.record(cmd.merchant.id, authorizationId, api, result.status, codeOf(result), this.clock.now());
    this.count(api, result);
    return result;
  }

  private async byAuthCode(cmd: ApplyTokenCommand): Promise<{ result: BindingResult<IssuedTokenView>; authorizationId: string | null }> {
    const exchanged = await this.exchanges.exchange(
      { merchant: cmd.merchant, authCode: cmd.authCode!, customerBelongsTo: cmd.customerBelongsTo, merchantRegion: cmd.merchantRegion, source: 'MERCHANT' },
      this.config.cancelToken.revokeBudgetMs + this.config.alipayPlus.requestTimeoutMs,
    );
    if (exchanged.status !== 'S') return { result: exchanged.status === 'F' ? this.forMerchant(exchanged) : exchanged, authorizationId: null };
    const row = (await this.authorizations.findById(this.dataSource.manager, exchanged.authorizationId))!;
    // The same code again gets the same token while the code would still be valid and its token lives; past that, it is spent.
    const stale = exchanged.replay && this.clock.now().getTime() - exchanged.codeSeenAt.getTime() > AUTH_CODE_VALIDITY_MS;
    if (row.status === 'CANCELED' || stale) {
      return { result: { status: 'F', resultCode: 'USED_CODE', resultMessage: 'the authorization code was already used' }, authorizationId: row.id };
    }
    return { result: { status: 'S', value: this.view(row) }, authorizationId: row.id };
  }

  /**
   * Alipay+ rotates the pair: a new access token and refresh token, the old
   * ones dead. The token's row is renewed in place, so its timeline goes on.
   */
  private async byRefreshToken(cmd: ApplyTokenCommand): Promise<{ result: BindingResult<IssuedTokenView>; authorizationId: string | null }> {
    const hash = this.vault.lookupHash('refresh-token', cmd.refreshToken!);
    const row = await this.authorizations.findOwnedByRefreshHash(cmd.merchant, hash);
    // Only an ACTIVE token is refreshed: a renewed pair under a pending revoke would outlive its cancelToken.
    if (!row || row.status !== 'ACTIVE') return { result: invalidRefreshToken(), authorizationId: row?.id ?? null };
    const { outcome } = await this.client.applyToken({
      acquirerId: this.config.alipayPlus.acquirerId,
      authClientId: row.authClientId ?? cmd.merchant.referenceMerchantId,
      referenceMerchantId: cmd.merchant.referenceMerchantId,
      grantType: 'REFRESH_TOKEN',
      refreshToken: cmd.refreshToken,
      customerBelongsTo: cmd.customerBelongsTo,
      pspId: row.pspId,
      merchantRegion: cmd.merchantRegion,
    });
    const issued = outcome.kind === 'S' ? issuedTokenOf(outcome.body) : null;
    if (!issued) return { result: this.notSucceeded(outcome, 'applyToken'), authorizationId: row.id };
    const renewed = await this.uow.run((em) => this.transitions.renew(em, row.id, hash, issued, this.clock.now()));
    if (renewed.kind === 'gone') {
      this.logger.warn({ msg: 'a token stopped being ACTIVE while Alipay+ refreshed it; its new pair is not kept', authorizationId: row.id });
      return { result: invalidRefreshToken(), authorizationId: row.id };
    }
    return { result: { status: 'S', value: this.view(renewed.row) }, authorizationId: row.id };
  }

  private view(row: AuthorizationEntity): IssuedTokenView {
    const view: IssuedTokenView = { accessToken: this.vault.decrypt(row.accessTokenEnc) };
    if (row.accessTokenExpiryTime) view.accessTokenExpiryTime = row.accessTokenExpiryTime.toISOString();
    if (row.refreshTokenEnc) view.refreshToken = this.vault.decrypt(row.refreshTokenEnc);
    if (row.refreshTokenExpiryTime) view.refreshTokenExpiryTime = row.refreshTokenExpiryTime.toISOString();
    if (row.userLoginId) view.userLoginId = row.userLoginId;
    return view;
  }

  /** F or U for a merchant: Alipay+'s refusal of our own setup is ours to fix, not the merchant's. */
  private notSucceeded(outcome: AcqpOutcome, api: string): BindingResult<never> {
    if (outcome.kind === 'F') return this.forMerchant({ resultCode: outcome.resultCode, resultMessage: outcome.resultMessage ?? outcome.resultCode });
    if (outcome.kind === 'S') this.logger.error({ msg: `Alipay+ ${api} answered S without what S promises; answering U` });
    return { status: 'U' };
  }

  private forMerchant(f: { resultCode: string; resultMessage: string }): BindingResult<never> {
    // One message for every invalid code, Alipay+'s verdict or ours (another merchant's code): no existence leak.
    if (f.resultCode === 'INVALID_CODE') return { status: 'F', resultCode: 'INVALID_CODE', resultMessage: 'the authorization code is invalid' };
    if (!CONFIGURATION_FAILURE_CODES.has(f.resultCode)) return { status: 'F', resultCode: f.resultCode, resultMessage: f.resultMessage };
    this.logger.error({ msg: 'Alipay+ refused the acquirer itself: check the Alipay+ client id, keys and base URL', resultCode: f.resultCode });
    return {
      status: 'F',
      resultCode: 'PROCESS_FAIL',
      resultMessage: `Alipay+ refused the acquirer's request (${f.resultCode}); the acquirer has been alerted`,
    };
  }

  private count(api: string, result: BindingResult<unknown>): void {
    this.metrics.calls.inc({ api, result: result.status, code: metricCode(codeOf(result)) });
  }
}

function invalidRefreshToken(): BindingResult<never> {
  return { status: 'F', resultCode: 'INVALID_REFRESH_TOKEN', resultMessage: 'the refresh token is invalid' };
}

function codeOf(result: BindingResult<unknown>): string {
  return result.status === 'S' ? 'SUCCESS' : result.status === 'F' ? result.resultCode : 'UNKNOWN_EXCEPTION';
}
