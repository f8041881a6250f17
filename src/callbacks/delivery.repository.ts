import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import { CallbackEndpointEntity } from '../merchants/callback-endpoint.entity';
import { runSql } from '../database/raw-rows';
import { DeliveryAttemptEntity, DeliveryEntity, type DeliveryStatus } from './delivery.entity';
import type { EventEntity } from './event.entity';

export interface ClaimedDelivery {
  readonly delivery: DeliveryEntity;
  /** The fence: completion applies only while the row still carries this lease version. */
  readonly leaseVersion: number;
}

export interface DeliveryCompletion {
  readonly status: Exclude<DeliveryStatus, 'LEASED'>;
  readonly nextAttemptAt: Date | null;
  readonly lastHttpStatus: number | null;
  readonly lastError: string | null;
}

/**
 * The deliveries outbox: written by the fan-out inside the event's
 * transaction, claimed with leases, completed with fenced updates, freed by
 * the reaper when an instance dies mid-send.
 */
@Injectable()
export class DeliveryRepository {
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
    const rows = subscribed.map((e) =>
      em.create(DeliveryEntity, {
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
      }),
    );
    await em.insert(DeliveryEntity, rows);
    return rows.length;
  }

  /**
   * Due PENDING deliveries, oldest due first, along ix_deliveries_due
   * (status, next_attempt_at). On MySQL the rows are locked FOR UPDATE SKIP
   * LOCKED, so concurrent instances never claim the same one; SQLite has a
   * single writer. `busyEndpoints` (at their concurrency cap here) are left
   * for later, so a slow endpoint's backlog does not fill every claim.
   */
  async findDue(em: EntityManager, now: Date, limit: number, busyEndpoints: readonly string[]): Promise<DeliveryEntity[]> {
    const qb = em
      .createQueryBuilder(DeliveryEntity, 'd')
      .where('d.status = :status', { status: 'PENDING' })
      .andWhere('d.next_attempt_at <= :now', { now })
      .orderBy('d.next_attempt_at', 'ASC')
      .limit(limit);
    if (busyEndpoints.length > 0) qb.andWhere('d.endpoint_id NOT IN (:...busy)', { busy: busyEndpoints });
    if (em.connection.options.type === 'mysql') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
    return qb.getMany();
  }

  /** Leases rows just found (and locked) in the same transaction. */
  async lease(em: EntityManager, rows: readonly DeliveryEntity[], owner: string, now: Date, leaseMs: number): Promise<ClaimedDelivery[]> {
    if (rows.length === 0) return [];
    const leaseExpiresAt = new Date(now.getTime() + leaseMs);
    await em.update(
      DeliveryEntity,
      { id: In(rows.map((d) => d.id)), status: 'PENDING' },
      { status: 'LEASED', leaseOwner: owner, leaseExpiresAt, updatedAt: now, leaseVersion: () => 'lease_version + 1' },
    );
    return rows.map((d) => ({
      delivery: { ...d, status: 'LEASED', leaseOwner: owner, leaseExpiresAt, leaseVersion: d.leaseVersion + 1 },
      leaseVersion: d.leaseVersion + 1,
    }));
  }

  /** Ends or reschedules a claimed delivery only while the lease is still ours; false when fenced out. */
  async complete(em: EntityManager, claim: ClaimedDelivery, change: DeliveryCompletion, now: Date): Promise<boolean> {
    const result = await em.update(
      DeliveryEntity,
      { id: claim.delivery.id, status: 'LEASED', leaseVersion: claim.leaseVersion },
      {
        status: change.status,
        attemptCount: claim.delivery.attemptCount + 1,
        nextAttemptAt: change.nextAttemptAt ?? claim.delivery.nextAttemptAt,
        lastHttpStatus: change.lastHttpStatus,
        lastError: change.lastError?.slice(0, 256) ?? null,
        deliveredAt: change.status === 'DELIVERED' ? now : null,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: now,
      },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Appends an attempt row, numbered after every earlier attempt of the delivery (operator redeliveries included). */
  async recordAttempt(em: EntityManager, attempt: Omit<DeliveryAttemptEntity, 'id' | 'attemptNo'>): Promise<number> {
    const last = await em
      .createQueryBuilder(DeliveryAttemptEntity, 'a')
      .select('MAX(a.attempt_no)', 'n')
      .where('a.delivery_id = :id', { id: attempt.deliveryId })
      .getRawOne<{ n: number | string | null }>();
    const attemptNo = Number(last?.n ?? 0) + 1;
    await em.insert(DeliveryAttemptEntity, { id: randomUUID(), attemptNo, ...attempt });
    return attemptNo;
  }

  /**
   * Frees leases whose holder died mid-send (its lease ran out), except the
   * ones this instance is still sending (`ownInFlight`), whose completion is
   * on its way. The receiver may see the callback twice: notifyId dedupes it.
   */
  async reapExpired(em: EntityManager, now: Date, ownInFlight: readonly string[]): Promise<number> {
    const qb = em
      .createQueryBuilder()
      .update(DeliveryEntity)
      .set({ status: 'PENDING', leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now, updatedAt: now, leaseVersion: () => 'lease_version + 1' })
      .where('status = :leased', { leased: 'LEASED' })
      .andWhere('lease_expires_at <= :now', { now });
    if (ownInFlight.length > 0) qb.andWhere('id NOT IN (:...mine)', { mine: ownInFlight });
    return (await qb.execute()).affected ?? 0;
  }

  /** The endpoint answered as asked: its failure streak, if any, ends. */
  async markEndpointHealthy(em: EntityManager, endpointId: string): Promise<void> {
    await em.update(CallbackEndpointEntity, { id: endpointId, failingSince: Not(IsNull()) }, { failingSince: null });
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
      { status: 'FAILED', lastError: reason.slice(0, 256), updatedAt: now, leaseVersion: () => 'lease_version + 1' },
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
