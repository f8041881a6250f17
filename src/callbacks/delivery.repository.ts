import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, type EntityManager } from 'typeorm';
import { CallbackEndpointEntity } from '../merchants/callback-endpoint.entity';
import { insertRows, runSql, SqlExpression, updateRowsById } from '../database/raw-rows';
import { DeliveryAttemptEntity, DeliveryEntity, type DeliveryStatus } from './delivery.entity';
import type { EventEntity } from './event.entity';
import { BUMP_LEASE_VERSION, Leases } from '../database/leases';
import { SqlDialect } from '../database/sql-dialect';

export interface ClaimedDelivery {
  readonly delivery: DeliveryEntity;
  /** The fence: completion applies only while the row still carries this lease version. */
  readonly leaseVersion: number;
}

/** What one attempt of a claimed delivery came to: the row's next state and the attempt's record. */
export interface DeliveryCompletion {
  readonly claim: ClaimedDelivery;
  readonly status: Exclude<DeliveryStatus, 'LEASED'>;
  /** null keeps the claimed due time (the delivery is over, or an operator set it). */
  readonly nextAttemptAt: Date | null;
  readonly lastHttpStatus: number | null;
  readonly lastError: string | null;
  readonly attempt: Omit<DeliveryAttemptEntity, 'id' | 'deliveryId' | 'attemptNo'>;
}

/**
 * The deliveries outbox: written by the fan-out inside the event's
 * transaction, claimed with leases, completed with fenced updates, freed by
 * the reaper when an instance dies mid-send.
 */
@Injectable()
export class DeliveryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A merchant's newest `limit` deliveries of its token's events, for the token status answer. */
  newestForToken(merchantId: string, authorizationId: string, limit: number): Promise<DeliveryEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(DeliveryEntity, 'd')
      .innerJoin('events', 'e', 'e.id = d.event_id')
      .where('e.authorization_id = :authorizationId AND d.merchant_id = :merchantId', { authorizationId, merchantId })
      .orderBy('d.created_at', 'DESC')
      .limit(limit)
      .getMany();
  }

  /**
   * One PENDING delivery per ACTIVE endpoint of the merchant, and of its
   * ACTIVE sub-merchants, subscribed to the event's type. Same transaction as
   * the event; uq_deliveries_event_endpoint keeps it at one per pair.
   */
  async fanOut(em: EntityManager, event: EventEntity, firstAttemptAt: Date): Promise<number> {
    if (event.merchantId === null) return 0;
    // Hand-written: this runs in every authNotify transaction, and the query builder cost more than the query.
    const { records } = await runSql(
      em,
      'SELECT e.id, e.event_types FROM callback_endpoints e ' +
        'LEFT JOIN sub_merchants s ON s.id = e.sub_merchant_id AND s.merchant_id = e.merchant_id ' +
        "WHERE e.merchant_id = ? AND e.status = 'ACTIVE' AND (e.sub_merchant_id IS NULL OR s.status = 'ACTIVE')",
      [event.merchantId],
    );
    const subscribed = (records as Array<{ id: string; event_types: string }>).filter((e) => e.event_types.split(',').includes(event.eventType));
    if (subscribed.length === 0) return 0;
    const rows = subscribed.map((e): DeliveryEntity => ({
      id: randomUUID(),
      eventId: event.id,
      endpointId: e.id,
      merchantId: event.merchantId!,
      status: 'PENDING',
      attemptCount: 0,
      nextAttemptAt: firstAttemptAt,
      leaseOwner: null,
      leaseExpiresAt: null,
      leaseVersion: 0,
      lastHttpStatus: null,
      lastError: null,
      deliveredAt: null,
      createdAt: event.createdAt,
      updatedAt: event.createdAt,
    }));
    await insertRows(em, DeliveryEntity, rows);
    return rows.length;
  }

  /**
   * Due PENDING deliveries, oldest due first, along ix_deliveries_due
   * (status, next_attempt_at). On MySQL the rows are locked FOR UPDATE SKIP
   * LOCKED, so concurrent instances never claim the same one; SQLite has a
   * single writer. `busyEndpoints` (at their concurrency cap here) are left
   * for later, so a slow endpoint's backlog does not fill every claim.
   */
  findDue(em: EntityManager, now: Date, limit: number, busyEndpoints: readonly string[]): Promise<DeliveryEntity[]> {
    return Leases.findDue(em, DeliveryEntity, 'd', now, limit, (qb) => {
      if (busyEndpoints.length > 0) qb.andWhere('d.endpoint_id NOT IN (:...busy)', { busy: busyEndpoints });
    });
  }

  /** Leases rows just found (and locked) in the same transaction. */
  async lease(em: EntityManager, rows: readonly DeliveryEntity[], owner: string, now: Date, leaseMs: number): Promise<ClaimedDelivery[]> {
    const leases = await Leases.lease(em, DeliveryEntity, rows, owner, now, leaseMs);
    return leases.map((l) => ({ delivery: l.row, leaseVersion: l.leaseVersion }));
  }

  /**
   * Ends or reschedules claimed deliveries, each only while its lease is still
   * ours, and appends their attempt rows; one transaction (the caller's) for a
   * whole batch. Returns the ids that were still ours: the rest were fenced
   * out (reaped or reset by an operator) and nothing of theirs is written.
   */
  async completeMany(em: EntityManager, items: readonly DeliveryCompletion[], now: Date): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    // Locked until commit on MySQL (SQLite has one writer), so no lease moves between this read and the updates;
    // with each delivery's last attempt number, counted over its whole life (operator redeliveries included).
    const ids = items.map((i) => i.claim.delivery.id);
    const { records } = await runSql(
      em,
      `SELECT d.id AS id, d.lease_version AS lease_version, (SELECT MAX(a.attempt_no) FROM delivery_attempts a WHERE a.delivery_id = d.id) AS last_no
       FROM deliveries d WHERE d.id IN (${ids.map(() => '?').join(', ')}) AND d.status = 'LEASED'${SqlDialect.of(em).forUpdate}`,
      ids,
    );
    const current = records as Array<{ id: string; lease_version: number | string; last_no: number | string | null }>;
    const leased = new Map(current.map((r) => [r.id, { version: Number(r.lease_version), lastNo: Number(r.last_no ?? 0) }]));
    const ours = items.filter((i) => leased.get(i.claim.delivery.id)?.version === i.claim.leaseVersion);
    if (ours.length === 0) return new Set();

    // Successes share one UPDATE; a retry's own due time makes it a group of its own.
    const groups = new Map<string, DeliveryCompletion[]>();
    for (const i of ours) {
      const key = JSON.stringify([i.status, i.nextAttemptAt?.getTime() ?? null, i.lastHttpStatus, i.lastError]);
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    }
    for (const group of groups.values()) {
      const { status, nextAttemptAt, lastHttpStatus, lastError } = group[0];
      await updateRowsById(
        em,
        DeliveryEntity,
        group.map((i) => i.claim.delivery.id),
        {
          status,
          ...(nextAttemptAt && { nextAttemptAt }),
          lastHttpStatus,
          lastError: lastError?.slice(0, 256) ?? null,
          deliveredAt: status === 'DELIVERED' ? now : null,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: now,
        },
        { attemptCount: new SqlExpression('attempt_count + 1', []) },
      );
    }

    const rows = ours.map((i): DeliveryAttemptEntity => ({
      id: randomUUID(),
      deliveryId: i.claim.delivery.id,
      attemptNo: leased.get(i.claim.delivery.id)!.lastNo + 1,
      ...i.attempt,
    }));
    await insertRows(em, DeliveryAttemptEntity, rows);
    return new Set(ours.map((i) => i.claim.delivery.id));
  }

  /**
   * Frees leases whose holder died mid-send (its lease ran out), except the
   * ones this instance is still sending (`ownInFlight`), whose completion is
   * on its way. The receiver may see the callback twice: notifyId dedupes it.
   */
  reapExpired(em: EntityManager, now: Date, ownInFlight: readonly string[]): Promise<number> {
    return Leases.reapExpired(em, DeliveryEntity, now, ownInFlight);
  }

  /** The endpoints answered as asked: their failure streaks, if any, end. */
  async markEndpointsHealthy(em: EntityManager, endpointIds: readonly string[]): Promise<void> {
    if (endpointIds.length === 0) return;
    await em.update(CallbackEndpointEntity, { id: In([...endpointIds]), failingSince: Not(IsNull()) }, { failingSince: null });
  }

  /** Starts the failure streak unless one is running. */
  async markEndpointFailing(em: EntityManager, endpointId: string, since: Date): Promise<void> {
    await em.update(CallbackEndpointEntity, { id: endpointId, failingSince: IsNull() }, { failingSince: since });
  }

  /** True if this call disabled it (it was ACTIVE). */
  async disableEndpoint(em: EntityManager, endpointId: string, reason: string, now: Date): Promise<boolean> {
    const result = await em.update(
      CallbackEndpointEntity,
      { id: endpointId, status: 'ACTIVE' },
      { status: 'DISABLED', disabledReason: reason.slice(0, 256), disabledAt: now, updatedAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  /** A disabled endpoint's waiting deliveries fail at once (operators recover them after re-enabling it). */
  async failPending(em: EntityManager, endpointId: string, reason: string, now: Date): Promise<number> {
    const result = await em.update(
      DeliveryEntity,
      { endpointId, status: 'PENDING' },
      { status: 'FAILED', lastError: reason.slice(0, 256), updatedAt: now, leaseVersion: () => BUMP_LEASE_VERSION },
    );
    return result.affected ?? 0;
  }

  /** PENDING and LEASED: what is still to be delivered. */
  countQueued(em: EntityManager): Promise<number> {
    return em.count(DeliveryEntity, { where: { status: In(['PENDING', 'LEASED']) } });
  }

  /** How late the most overdue PENDING delivery is, in seconds; 0 when none is overdue. */
  async oldestDueSeconds(em: EntityManager, now: Date): Promise<number> {
    const oldest = await em.findOne(DeliveryEntity, {
      where: { status: 'PENDING' },
      order: { nextAttemptAt: 'ASC' },
      select: { id: true, nextAttemptAt: true },
    });
    if (!oldest) return 0;
    return Math.max(0, (now.getTime() - oldest.nextAttemptAt.getTime()) / 1000);
  }
}
