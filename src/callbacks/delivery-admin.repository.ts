import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual, Not, type EntityManager } from 'typeorm';
import { BUMP_LEASE_VERSION } from '../database/leases';
import { CallbackEndpointEntity } from '../merchants/callback-endpoint.entity';
import { DeliveryAttemptEntity, DeliveryEntity, type DeliveryStatus } from './delivery.entity';

export interface RecentAttempt {
  readonly startedAt: Date;
  readonly httpStatus: number | null;
  readonly errorClass: string | null;
  readonly outcome: string;
}

/** A fresh retry series from now: the schedule starts over, the attempt rows stay. */
const requeue = (now: Date) => ({
  status: 'PENDING' as const,
  nextAttemptAt: now,
  attemptCount: 0,
  leaseOwner: null,
  leaseExpiresAt: null,
  deliveredAt: null,
  updatedAt: now,
  // Bumped so a completion still in flight for an older lease can never land on the requeued row.
  leaseVersion: () => BUMP_LEASE_VERSION,
});

/**
 * Operator actions on deliveries (redeliver, recover) and the endpoint health
 * read. Operators act across merchants, so these look rows up by id alone.
 */
@Injectable()
export class DeliveryAdminRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findDelivery(em: EntityManager, id: string): Promise<DeliveryEntity | null> {
    return em.findOne(DeliveryEntity, { where: { id } });
  }

  findEndpoint(id: string, em: EntityManager = this.dataSource.manager): Promise<CallbackEndpointEntity | null> {
    return em.findOne(CallbackEndpointEntity, { where: { id } });
  }

  /** Any status but LEASED (an instance is sending it) → PENDING now; false if it was LEASED meanwhile. */
  async redeliver(em: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await em.update(DeliveryEntity, { id, status: Not('LEASED') }, requeue(now));
    return (result.affected ?? 0) === 1;
  }

  /** Every FAILED delivery of the endpoint created at or after `since` → PENDING now; how many. */
  async recoverSince(em: EntityManager, endpointId: string, since: Date, now: Date): Promise<number> {
    const result = await em.update(DeliveryEntity, { endpointId, status: 'FAILED', createdAt: MoreThanOrEqual(since) }, requeue(now));
    return result.affected ?? 0;
  }

  /** The endpoint's last `limit` attempts, newest first. */
  async recentAttempts(endpointId: string, limit: number): Promise<RecentAttempt[]> {
    return this.dataSource.manager
      .createQueryBuilder(DeliveryAttemptEntity, 'a')
      .innerJoin(DeliveryEntity, 'd', 'd.id = a.delivery_id')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .orderBy('a.started_at', 'DESC')
      .addOrderBy('a.attempt_no', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** The endpoint's deliveries by status. */
  async countByStatus(endpointId: string): Promise<Partial<Record<DeliveryStatus, number>>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(DeliveryEntity, 'd')
      .select('d.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .groupBy('d.status')
      .getRawMany<{ status: DeliveryStatus; n: number | string }>();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
