import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { PageRequest } from '../../common/keyset-page';
import { newestFirst } from '../../database/keyset.query';
import { rawDate, rawDateOrNull, rawIntOrNull, type DeliveryAttemptRecord, type DeliveryRecord } from '../read-models/read-models';

export interface DeliveryFilter {
  readonly status?: string;
  readonly endpointId?: string;
  readonly merchantId?: string;
  readonly since?: Date;
  readonly until?: Date;
}

export interface AttemptWithResponse extends DeliveryAttemptRecord {
  /** The first 1 KiB of what the endpoint answered, as stored; null when nothing came back. */
  readonly responseBody: string | null;
}

/**
 * The one read repository for deliveries, serving the admin API's lists and
 * the console's detail view. Reads the deliveries and delivery_attempts tables by name. The callbacks
 * module owns their entities and every write; reading raw keeps this module
 * from registering a second entity for the same table.
 */
/** A delivery_attempts row as both drivers return it: numbers may arrive as strings, dates as strings or Dates. */
interface AttemptRow {
  delivery_id: string;
  attempt_no: number | string;
  started_at: Date | string;
  duration_ms: number | string;
  http_status: number | string | null;
  outcome: string;
  error_class: string | null;
}

@Injectable()
export class DeliveryReadRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(filter: DeliveryFilter, page: PageRequest): Promise<DeliveryRecord[]> {
    const qb = this.deliveries();
    if (filter.status !== undefined) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.endpointId !== undefined) qb.andWhere('d.endpoint_id = :endpointId', { endpointId: filter.endpointId });
    if (filter.merchantId !== undefined) qb.andWhere('d.merchant_id = :merchantId', { merchantId: filter.merchantId });
    if (filter.since !== undefined) qb.andWhere('d.created_at >= :since', { since: filter.since });
    if (filter.until !== undefined) qb.andWhere('d.created_at < :until', { until: filter.until });
    return (await newestFirst(qb, 'd', page).getRawMany()).map(toDelivery);
  }

  async forEvents(eventIds: string[]): Promise<DeliveryRecord[]> {
    if (eventIds.length === 0) return [];
    const qb = this.deliveries().where('d.event_id IN (:...eventIds)', { eventIds }).orderBy('d.created_at', 'ASC').addOrderBy('d.id', 'ASC');
    return (await qb.getRawMany()).map(toDelivery);
  }

  async attempts(deliveryIds: string[]): Promise<DeliveryAttemptRecord[]> {
    if (deliveryIds.length === 0) return [];
    const rows = await this.attemptRows()
      .where('a.delivery_id IN (:...deliveryIds)', { deliveryIds })
      .orderBy('a.delivery_id', 'ASC')
      .addOrderBy('a.attempt_no', 'ASC')
      .getRawMany<AttemptRow>();
    return rows.map(toAttempt);
  }

  async delivery(id: string): Promise<DeliveryRecord | null> {
    const r = await this.deliveries().where('d.id = :id', { id }).getRawOne<Record<string, unknown>>();
    return r ? toDelivery(r) : null;
  }

  /** One delivery's attempts, oldest first, with what the endpoint answered (the console's detail view). */
  async attemptsWithResponses(deliveryId: string): Promise<AttemptWithResponse[]> {
    const rows = await this.attemptRows()
      .addSelect('a.response_body AS response_body')
      .where('a.delivery_id = :deliveryId', { deliveryId })
      .orderBy('a.attempt_no', 'ASC')
      .getRawMany<AttemptRow & { response_body: string | null }>();
    return rows.map((r) => ({ ...toAttempt(r), responseBody: r.response_body ?? null }));
  }

  private attemptRows(): SelectQueryBuilder<ObjectLiteral> {
    return this.dataSource
      .createQueryBuilder()
      .select(['a.delivery_id AS delivery_id', 'a.attempt_no AS attempt_no', 'a.started_at AS started_at', 'a.duration_ms AS duration_ms'])
      .addSelect(['a.http_status AS http_status', 'a.outcome AS outcome', 'a.error_class AS error_class'])
      .from('delivery_attempts', 'a');
  }

  private deliveries(): SelectQueryBuilder<Record<string, unknown>> {
    return deliveryQuery(this.dataSource);
  }
}

/** Deliveries with their event type, as rows `toDelivery` maps: the one read shape for the admin API and the console. */
function deliveryQuery(dataSource: DataSource): SelectQueryBuilder<Record<string, unknown>> {
  return dataSource
    .createQueryBuilder()
    .select(['d.id AS id', 'd.event_id AS event_id', 'e.event_type AS event_type', 'd.endpoint_id AS endpoint_id', 'd.merchant_id AS merchant_id'])
    .addSelect(['d.status AS status', 'd.attempt_count AS attempt_count', 'd.next_attempt_at AS next_attempt_at'])
    .addSelect(['d.last_http_status AS last_http_status', 'd.last_error AS last_error', 'd.delivered_at AS delivered_at'])
    .addSelect(['d.created_at AS created_at', 'd.updated_at AS updated_at'])
    .from('deliveries', 'd')
    .leftJoin('events', 'e', 'e.id = d.event_id');
}

function toDelivery(r: Record<string, unknown>): DeliveryRecord {
  return {
    id: String(r.id),
    eventId: String(r.event_id),
    eventType: (r.event_type as string | null) ?? null,
    endpointId: String(r.endpoint_id),
    merchantId: String(r.merchant_id),
    status: String(r.status),
    attemptCount: Number(r.attempt_count),
    nextAttemptAt: rawDate(r.next_attempt_at),
    lastHttpStatus: rawIntOrNull(r.last_http_status),
    lastError: (r.last_error as string | null) ?? null,
    deliveredAt: rawDateOrNull(r.delivered_at),
    createdAt: rawDate(r.created_at),
    updatedAt: rawDate(r.updated_at),
  };
}

function toAttempt(r: AttemptRow): DeliveryAttemptRecord {
  return {
    deliveryId: r.delivery_id,
    attemptNo: Number(r.attempt_no),
    startedAt: rawDate(r.started_at),
    durationMs: Number(r.duration_ms),
    httpStatus: rawIntOrNull(r.http_status),
    outcome: r.outcome,
    errorClass: r.error_class ?? null,
  };
}
