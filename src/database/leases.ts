import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { updateRowsById, SqlExpression, type ColumnExpressions } from './raw-rows';
import { SqlDialect } from './sql-dialect';

/**
 * The lease columns a claimable row has (cancelToken jobs, callback
 * deliveries): PENDING rows fall due at `next_attempt_at`; a claim makes them
 * LEASED by an owner until `lease_expires_at`; `lease_version` is the fence,
 * bumped by every claim, reap and reset, so an attempt whose lease was taken
 * away cannot complete.
 */
export interface Leasable extends ObjectLiteral {
  id: string;
  status: string;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  leaseVersion: number;
  nextAttemptAt: Date;
  updatedAt: Date;
}

export interface Lease<T extends Leasable> {
  /** The row as leased (status, owner, expiry and version as written). */
  readonly row: T;
  /** The fence a completion must present. */
  readonly leaseVersion: number;
}

export const BUMP_LEASE_VERSION = 'lease_version + 1';

/**
 * The leasing both workers share: find due rows (locked with SKIP LOCKED on
 * MySQL, so instances claim disjoint rows; SQLite has one writer), lease
 * them, and reap leases whose owner died. Completions are the caller's: each
 * table records different things, but every one is fenced on `leaseVersion`.
 */
export const Leases = {
  /**
   * Up to `limit` PENDING rows due by `now`, oldest due first, locked until
   * commit; `narrow` adds the caller's own conditions on `alias`.
   */
  findDue<T extends Leasable>(
    em: EntityManager,
    target: EntityTarget<T>,
    alias: string,
    now: Date,
    limit: number,
    narrow?: (qb: SelectQueryBuilder<T>) => void,
  ): Promise<T[]> {
    const qb = em
      .createQueryBuilder(target, alias)
      .where(`${alias}.status = :status`, { status: 'PENDING' })
      .andWhere(`${alias}.next_attempt_at <= :now`, { now })
      .orderBy(`${alias}.next_attempt_at`, 'ASC')
      .limit(limit);
    narrow?.(qb);
    return SqlDialect.of(em).lockForUpdate(qb, { skipLocked: true }).getMany();
  },

  /** Leases rows just found (and locked) in the same transaction to `owner` until `now + leaseMs`. */
  async lease<T extends Leasable>(
    em: EntityManager,
    target: EntityTarget<T>,
    rows: readonly T[],
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<Array<Lease<T>>> {
    if (rows.length === 0) return [];
    const leaseExpiresAt = new Date(now.getTime() + leaseMs);
    // Hand-written (raw-rows): a claim runs on every dispatcher cycle.
    await updateRowsById(
      em,
      target,
      rows.map((r) => r.id),
      { status: 'LEASED', leaseOwner: owner, leaseExpiresAt, updatedAt: now } as Partial<T>,
      { leaseVersion: new SqlExpression(BUMP_LEASE_VERSION, []) } as ColumnExpressions<T>,
      new SqlExpression("status = 'PENDING'", []),
    );
    return rows.map((r) => ({
      row: { ...r, status: 'LEASED', leaseOwner: owner, leaseExpiresAt, leaseVersion: r.leaseVersion + 1 },
      leaseVersion: r.leaseVersion + 1,
    }));
  },

  /**
   * Frees the leases that expired by `now` (their owner died mid-attempt):
   * PENDING and due at once, under a new version, so the dead owner's
   * completion, should it come after all, is fenced out. `except`: rows this
   * instance is still working on.
   */
  async reapExpired<T extends Leasable>(em: EntityManager, target: EntityTarget<T>, now: Date, except: readonly string[] = []): Promise<number> {
    const qb = em
      .createQueryBuilder()
      .update(target)
      .set({ status: 'PENDING', leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now, updatedAt: now, leaseVersion: () => BUMP_LEASE_VERSION } as never)
      .where('status = :leased', { leased: 'LEASED' })
      .andWhere('lease_expires_at <= :now', { now });
    if (except.length > 0) qb.andWhere('id NOT IN (:...except)', { except });
    return (await qb.execute()).affected ?? 0;
  },
};
