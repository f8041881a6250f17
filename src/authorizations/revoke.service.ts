import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { TokenVault } from '../common/crypto/token-vault';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { UnitOfWork } from '../database/unit-of-work';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { SubMerchantRepository } from '../merchants/sub-merchant.repository';
import { AuthorizationRepository } from './authorization.repository';
import type { AuthorizationEntity } from './authorization.entity';
import type { CancelTokenJobStatus } from './cancel-token-job.entity';
import { CancelTokenJobRepository, type ClaimedJob } from './cancel-token-job.repository';
import { CancelTokenWorker } from './cancel-token.worker';
import { MerchantRequestLog } from './merchant-request.log';
import { TokenTransitions } from './token-transitions';

export interface RevokeCommand {
  readonly merchant: MerchantEntity;
  readonly accessToken: string;
  readonly merchantAccountId?: string | null;
  readonly passThroughInfo?: string | null;
}

/** S: canceled (now or before). U: Alipay+ has not settled it yet; we keep retrying. F is thrown as a DomainError. */
export type RevokeResult = { status: 'S' } | { status: 'U' };

/**
 * A merchant's revoke: check the token is this merchant's, move it to
 * CANCELING and open its cancelToken job, leased to this instance, in one
 * transaction; then make the first attempt in this request and answer from
 * its outcome, within the request budget. A U is retried by the worker, with
 * the same token. Concurrent revokes of one token share one job, so Alipay+
 * sees one call; the later ones wait for the first's outcome.
 */
@Injectable()
export class RevokeService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly uow: UnitOfWork,
    private readonly authorizations: AuthorizationRepository,
    private readonly jobs: CancelTokenJobRepository,
    private readonly subMerchants: SubMerchantRepository,
    private readonly transitions: TokenTransitions,
    private readonly worker: CancelTokenWorker,
    private readonly requests: MerchantRequestLog,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {}

  async revoke(cmd: RevokeCommand): Promise<RevokeResult> {
    const hash = this.vault.lookupHash('access-token', cmd.accessToken);
    let authorizationId: string | null = null;
    try {
      const opened = await this.uow.run(async (em) => {
        const row = await this.authorizations.findOwned(cmd.merchant, hash, { em, forUpdate: true });
        if (!row) {
          // Another merchant's token answers exactly like an unknown one: no existence leak.
          throw new DomainError(ErrorCode.INVALID_ACCESS_TOKEN, 'the access token is invalid');
        }
        authorizationId = row.id;
        await this.checkSubMerchant(em, cmd);
        if (row.status === 'CANCELED') return null;
        const now = this.clock.now();
        await this.transitions.apply(em, row, { type: 'REVOKE_REQUESTED' }, now);
        const input = {
          authorizationId: row.id,
          merchantId: cmd.merchant.id,
          merchantAccountId: cmd.merchantAccountId ?? null,
          passThroughInfo: cmd.passThroughInfo ?? null,
        };
        return { ...(await this.jobs.openFor(em, input, this.worker.leaseForCaller(), now)), token: row };
      });
      if (opened === null) return await this.logged(cmd, authorizationId, { status: 'S' });
      const status = opened.claim ? await this.firstAttempt(opened.claim, opened.token) : await this.settledByWorker(opened.job.id);
      switch (status) {
        case 'SUCCEEDED':
        case 'SETTLED':
          return await this.logged(cmd, authorizationId, { status: 'S' });
        case 'FAILED': {
          const job = await this.worker.current(opened.job.id);
          throw new DomainError(ErrorCode.PROCESS_FAIL, `Alipay+ refused the cancellation: ${job?.lastResultCode ?? 'unknown'}`);
        }
        default:
          return await this.logged(cmd, authorizationId, { status: 'U' });
      }
    } catch (err) {
      if (err instanceof DomainError) await this.requests.record(cmd.merchant.id, authorizationId, 'revoke', 'F', err.code, this.clock.now());
      throw err;
    }
  }

  /**
   * This request leased the job: it calls Alipay+ itself, at once, and answers
   * from the recorded outcome; past the budget it answers from whatever the
   * job says then (the attempt goes on, and the worker retries a U).
   */
  private async firstAttempt(claim: ClaimedJob, token: AuthorizationEntity): Promise<CancelTokenJobStatus | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.config.cancelToken.revokeBudgetMs)));
    const status = await Promise.race([this.worker.attemptClaimed(claim, token), budget]).finally(() => clearTimeout(timer));
    // null: fenced out (a TOKEN_CANCELED notification settled it first), not recorded, or out of budget.
    return status ?? (await this.worker.current(claim.job.id))?.status;
  }

  /** A concurrent revoke's job (or no free attempt slot here): the worker attempts it; wait for it within the budget. */
  private async settledByWorker(jobId: string): Promise<CancelTokenJobStatus | undefined> {
    this.worker.kick();
    await this.worker.waitForSettlement(jobId, this.config.cancelToken.revokeBudgetMs);
    return (await this.worker.current(jobId))?.status;
  }

  private async checkSubMerchant(em: EntityManager, cmd: RevokeCommand): Promise<void> {
    if (!cmd.merchantAccountId) return;
    const sub = await this.subMerchants.findByAccountId(em, cmd.merchant.id, cmd.merchantAccountId);
    if (!sub) throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'merchantAccountId is not a sub-merchant of this merchant');
    if (sub.status !== 'ACTIVE') throw new DomainError(ErrorCode.ACCESS_DENIED, 'the sub-merchant is disabled');
  }

  private async logged(cmd: RevokeCommand, authorizationId: string | null, result: RevokeResult): Promise<RevokeResult> {
    await this.requests.record(
      cmd.merchant.id,
      authorizationId,
      'revoke',
      result.status,
      result.status === 'S' ? 'SUCCESS' : 'UNKNOWN_EXCEPTION',
      this.clock.now(),
    );
    return result;
  }
}
