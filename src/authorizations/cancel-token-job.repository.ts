import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { CancelTokenAttemptEntity, CancelTokenJobEntity, type CancelTokenJobStatus } from './cancel-token-job.entity';
import { BUMP_LEASE_VERSION, Leases } from '../database/leases';
import { insertRow } from '../database/raw-rows';

export interface ClaimedJob {
  readonly job: CancelTokenJobEntity;
  /** The fence: completion applies only while the job still carries this lease version. */
  readonly leaseVersion: number;
}

/** The durable retry state of merchant revokes: claimed with leases, completed with fenced updates. */
@Injectable()
export class CancelTokenJobRepository {
  /**
   * The job for a token, created on its first revoke and reopened by a new
   * revoke after an F. Given a `lease`, a job it creates or reopens is LEASED
   * to that owner at once, so the revoking request makes the first attempt
   * itself (the claim): no worker poll, no claim transaction; without one it
   * is PENDING for the worker. A job already PENDING or LEASED (a concurrent
   * revoke's) is returned without a claim.
   */
  async openFor(
    em: EntityManager,
    input: { authorizationId: string; merchantId: string; merchantAccountId: string | null; passThroughInfo: string | null },
    lease: { owner: string; ms: number } | null,
    now: Date,
  ): Promise<{ job: CancelTokenJobEntity; claim: ClaimedJob | null }> {
    const leased = lease
      ? { status: 'LEASED' as const, leaseOwner: lease.owner, leaseExpiresAt: new Date(now.getTime() + lease.ms), nextAttemptAt: now, updatedAt: now }
      : { status: 'PENDING' as const, leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now, updatedAt: now };
    const existing = await em.findOne(CancelTokenJobEntity, { where: { authorizationId: input.authorizationId } });
    if (existing && (existing.status === 'PENDING' || existing.status === 'LEASED')) return { job: existing, claim: null };
    if (existing) {
      await em.update(CancelTokenJobEntity, { id: existing.id }, { ...input, ...leased, settledAt: null, leaseVersion: () => BUMP_LEASE_VERSION });
      const job = await em.findOneOrFail(CancelTokenJobEntity, { where: { id: existing.id } });
      return { job, claim: lease ? { job, leaseVersion: job.leaseVersion } : null };
    }
    const job = em.create(CancelTokenJobEntity, {
      id: randomUUID(),
      ...input,
      ...leased,
      attemptCount: 0,
      leaseVersion: 0,
      lastResultStatus: null,
      lastResultCode: null,
      settledAt: null,
      createdAt: now,
    });
    // Every column is set: em.insert would read the defaulted ones back in a second statement.
    await insertRow(em, CancelTokenJobEntity, job);
    return { job, claim: lease ? { job, leaseVersion: 0 } : null };
  }

  /** Ends a merchant revoke's cancelToken retries when a TOKEN_CANCELED notification settles it first. */
  async settleByNotification(em: EntityManager, authorizationId: string, now: Date): Promise<void> {
    await em.update(
      CancelTokenJobEntity,
      { authorizationId, status: In(['PENDING', 'LEASED']) },
      // Bumping the lease version fences out an attempt in flight: its completion will not apply.
      { status: 'SETTLED', settledAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null, leaseVersion: () => BUMP_LEASE_VERSION },
    );
  }

  /**
   * Claims up to `limit` due jobs for `owner`: on MySQL with FOR UPDATE SKIP
   * LOCKED so instances never claim the same job; SQLite has one writer.
   */
  async claimDue(em: EntityManager, owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedJob[]> {
    const due = await Leases.findDue(em, CancelTokenJobEntity, 'j', now, limit);
    const leases = await Leases.lease(em, CancelTokenJobEntity, due, owner, now, leaseMs);
    return leases.map((l) => ({ job: l.row, leaseVersion: l.leaseVersion }));
  }

  /** Ends or reschedules a claimed job, only if the lease is still ours; false when fenced out. */
  async complete(
    em: EntityManager,
    claim: ClaimedJob,
    change: { status: CancelTokenJobStatus; nextAttemptAt?: Date; resultStatus: string | null; resultCode: string | null; countAttempt?: boolean },
    now: Date,
  ): Promise<boolean> {
    const settled = change.status === 'SUCCEEDED' || change.status === 'FAILED';
    const result = await em.update(
      CancelTokenJobEntity,
      { id: claim.job.id, status: 'LEASED', leaseVersion: claim.leaseVersion },
      {
        status: change.status,
        nextAttemptAt: change.nextAttemptAt ?? claim.job.nextAttemptAt,
        attemptCount: () => (change.countAttempt === false ? 'attempt_count' : 'attempt_count + 1'),
        lastResultStatus: change.resultStatus,
        lastResultCode: change.resultCode,
        leaseOwner: null,
        leaseExpiresAt: null,
        settledAt: settled ? now : null,
        updatedAt: now,
      },
    );
    return (result.affected ?? 0) === 1;
  }

  async recordAttempt(em: EntityManager, attempt: Omit<CancelTokenAttemptEntity, 'id'>): Promise<void> {
    await em.insert(CancelTokenAttemptEntity, { id: randomUUID(), ...attempt });
  }

  /** Frees the leases of instances that died mid-attempt; cancelToken is idempotent, so resending is safe. */
  reapExpired(em: EntityManager, now: Date): Promise<number> {
    return Leases.reapExpired(em, CancelTokenJobEntity, now);
  }

  findById(em: EntityManager, id: string): Promise<CancelTokenJobEntity | null> {
    return em.findOne(CancelTokenJobEntity, { where: { id } });
  }

  countPending(em: EntityManager): Promise<number> {
    return em.count(CancelTokenJobEntity, { where: { status: In(['PENDING', 'LEASED']) } });
  }
}
