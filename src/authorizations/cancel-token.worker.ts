import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlipayPlusClient } from '../alipayplus/alipayplus.client';
import type { CancelTokenOutcome } from '../alipayplus/cancel-token.transformers';
import { Clock } from '../common/clock';
import { PollLoop } from '../common/poll-loop';
import { TokenVault } from '../common/crypto/token-vault';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { SchemaGate } from '../database/schema-gate';
import { NOT_TOLD, UnitOfWork } from '../database/unit-of-work';
import { AuthorizationRepository } from './authorization.repository';
import type { AuthorizationEntity } from './authorization.entity';
import type { CancelTokenJobEntity, CancelTokenJobStatus } from './cancel-token-job.entity';
import { CancelTokenJobRepository, type ClaimedJob } from './cancel-token-job.repository';
import { decideCancelAttempt } from './cancel-attempt.policy';
import { CancelTokenMetrics } from './cancel-token.metrics';
import { TokenTransitions } from './token-transitions';

/** A lease longer than one attempt (5 s timeout) with room to record it. */
const LEASE_MS = 30_000;
const CLAIM_BATCH = 16;

/**
 * Settles merchant revokes with Alipay+ cancelToken, in every instance: claims
 * due jobs, calls Alipay+ outside any transaction, and completes each with a
 * fenced update in the same transaction as the token's state change. U,
 * timeouts and connection errors are retried with the same accessToken on a
 * backoff, durably: a restart picks up where the last instance stopped.
 */
@Injectable()
export class CancelTokenWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CancelTokenWorker.name);
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly loop: PollLoop;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly uow: UnitOfWork,
    private readonly schema: SchemaGate,
    private readonly jobs: CancelTokenJobRepository,
    private readonly authorizations: AuthorizationRepository,
    private readonly transitions: TokenTransitions,
    private readonly client: AlipayPlusClient,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
    private readonly metrics: CancelTokenMetrics,
  ) {
    this.loop = new PollLoop(() => this.cycle(), this.config.cancelToken.pollMs);
  }

  onApplicationBootstrap(): void {
    this.metrics.watchPending(() => this.jobs.countPending(this.dataSource.manager));
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs a claim cycle now (after a revoke commits), instead of waiting for the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** One claim cycle and the attempts it started, awaited: for tests and tools that move a clock. */
  async runOnce(): Promise<void> {
    await this.loop.runOnce();
    await Promise.allSettled([...this.inFlight]);
  }

  /** A lease for a job the caller will attempt itself (attemptClaimed), while this instance has a free attempt slot; null when it has none. */
  leaseForCaller(): { owner: string; ms: number } | null {
    return this.inFlight.size < this.config.cancelToken.concurrency ? { owner: this.owner, ms: LEASE_MS } : null;
  }

  /**
   * The first attempt of a job its revoke leased to this instance
   * (leaseForCaller), made at once in the revoking request, with the token
   * row it already read: no claim cycle, no second read. Resolves with the
   * job's status once the attempt is recorded; null when it was fenced out
   * (a TOKEN_CANCELED notification settled the job first) or could not be
   * recorded (the lease then expires and the worker retries).
   */
  attemptClaimed(claim: ClaimedJob, token: AuthorizationEntity): Promise<CancelTokenJobStatus | null> {
    const p = this.attempt(claim, token);
    const tracked: Promise<void> = p.then(() => void this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return p;
  }

  /** Resolves when the job leaves PENDING/LEASED in this instance, or after `ms` (then the caller re-reads). */
  waitForSettlement(jobId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const list = this.waiters.get(jobId) ?? [];
      list.push(done);
      this.waiters.set(jobId, list);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private async cycle(): Promise<void> {
    // On a database not migrated yet, SchemaGate has said so once; polling now would only fail.
    if (!this.schema.migrated) return;
    try {
      const now = this.clock.now();
      await this.uow.run((em) => this.jobs.reapExpired(em, now), NOT_TOLD);
      const free = this.config.cancelToken.concurrency - this.inFlight.size;
      if (free <= 0) return;
      const claims = await this.uow.run((em) => this.jobs.claimDue(em, this.owner, now, LEASE_MS, Math.min(free, CLAIM_BATCH)), NOT_TOLD);
      for (const claim of claims) {
        const p: Promise<void> = this.attempt(claim).then(() => void this.inFlight.delete(p));
        this.inFlight.add(p);
      }
    } catch (err) {
      this.logger.error({ msg: 'cancelToken claim cycle failed; will retry', err });
    }
  }

  /** One attempt and its record; the job's status after it, or null when fenced out or not recorded. */
  private async attempt(claim: ClaimedJob, known?: AuthorizationEntity): Promise<CancelTokenJobStatus | null> {
    const job = claim.job;
    try {
      const token = known ?? (await this.authorizations.findById(this.dataSource.manager, job.authorizationId));
      if (!token) throw new Error(`authorization ${job.authorizationId} of job ${job.id} is missing`);
      const startedAt = this.clock.now();
      const { outcome, durationMs } = await this.client.cancelToken({
        // Alipay+ cancelToken is idempotent on accessToken: every retry sends the same one.
        accessToken: this.vault.decrypt(token.accessTokenEnc),
        acquirerId: this.config.alipayPlus.acquirerId,
        pspId: token.pspId ?? '',
        authClientId: token.authClientId ?? undefined,
        passThroughInfo: job.passThroughInfo ?? undefined,
      });
      this.metrics.attempts.inc({ outcome: outcome.kind, code: outcome.resultCode });
      return await this.complete(claim, outcome, startedAt, durationMs);
    } catch (err) {
      this.logger.error({ msg: 'cancelToken attempt failed; the lease will expire and it will run again', jobId: job.id, err });
      return null;
    } finally {
      this.wake(job.id);
    }
  }

  private async complete(claim: ClaimedJob, outcome: CancelTokenOutcome, startedAt: Date, durationMs: number): Promise<CancelTokenJobStatus | null> {
    const job = claim.job;
    const decision = decideCancelAttempt(outcome, job.attemptCount + 1, { retryBaseMs: this.config.cancelToken.retryBaseMs, random: Math.random });
    const applied = await this.uow.run(async (em) => {
      const now = this.clock.now();
      const row = decision.locksToken ? await this.authorizations.findByIdForUpdate(em, job.authorizationId) : null;
      if (decision.recordAttempt)
        await this.jobs.recordAttempt(em, {
          jobId: job.id,
          attemptNo: job.attemptCount + 1,
          startedAt,
          durationMs: Math.round(durationMs),
          resultStatus: decision.resultStatus,
          resultCode: outcome.resultCode,
          errorClass: decision.errorClass,
        });
      const nextAttemptAt = decision.retryDelayMs === null ? undefined : new Date(now.getTime() + decision.retryDelayMs);
      const stillOurs = await this.jobs.complete(
        em,
        claim,
        { status: decision.status, nextAttemptAt, resultStatus: decision.resultStatus, resultCode: outcome.resultCode, countAttempt: decision.recordAttempt },
        now,
      );
      // Fenced out: a TOKEN_CANCELED notification settled the job meanwhile, or our lease expired.
      if (!stillOurs) return false;
      if (decision.tokenEvent !== null) await this.transitions.apply(em, row!, { type: decision.tokenEvent }, now);
      return true;
    });
    if (decision.configurationFailure) {
      this.logger.error({
        msg: 'Alipay+ refused our cancelToken as misconfigured; check keys and client id. Retrying.',
        jobId: job.id,
        resultCode: outcome.resultCode,
      });
    } else if (outcome.kind === 'UNKNOWN') {
      this.logger.warn({
        msg: 'cancelToken unsettled; will retry with the same accessToken',
        jobId: job.id,
        reason: outcome.reason,
        resultCode: outcome.resultCode,
      });
    }
    return applied ? decision.status : null;
  }

  private wake(jobId: string): void {
    const list = this.waiters.get(jobId);
    this.waiters.delete(jobId);
    for (const w of list ?? []) w();
  }

  /** For the revoke answer: the job as it is now. */
  current(jobId: string): Promise<CancelTokenJobEntity | null> {
    return this.jobs.findById(this.dataSource.manager, jobId);
  }
}
