import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rawDate, rawDateOrNull, rawIntOrNull, type DeliveryAttemptRecord, type DeliveryRecord } from '../../admin/read-models/read-models';

export interface AttemptWithResponse extends DeliveryAttemptRecord {
  /** The first 1 KiB of what the endpoint answered, as stored; null when nothing came back. */
  readonly responseBody: string | null;
}

/** One delivery and all its attempts, read by table name (the callbacks module owns the entities and every write). */
@Injectable()
export class DeliveryDetailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async delivery(id: string): Promise<DeliveryRecord | null> {
    const r = await this.dataSource
      .createQueryBuilder()
      .select(['d.id AS id', 'd.event_id AS event_id', 'e.event_type AS event_type', 'd.endpoint_id AS endpoint_id', 'd.merchant_id AS merchant_id'])
      .addSelect(['d.status AS status', 'd.attempt_count AS attempt_count', 'd.next_attempt_at AS next_attempt_at'])
      .addSelect(['d.last_http_status AS last_http_status', 'd.last_error AS last_error', 'd.delivered_at AS delivered_at'])
      .addSelect(['d.created_at AS created_at', 'd.updated_at AS updated_at'])
      .from('deliveries', 'd')
      .leftJoin('events', 'e', 'e.id = d.event_id')
      .where('d.id = :id', { id })
      .getRawOne<Record<string, unknown>>();
    if (!r) return null;
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

  async attempts(deliveryId: string): Promise<AttemptWithResponse[]> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(['a.attempt_no AS attempt_no', 'a.started_at AS started_at', 'a.duration_ms AS duration_ms', 'a.http_status AS http_status'])
      .addSelect(['a.outcome AS outcome', 'a.error_class AS error_class', 'a.response_body AS response_body'])
      .from('delivery_attempts', 'a')
      .where('a.delivery_id = :deliveryId', { deliveryId })
      .orderBy('a.attempt_no', 'ASC')
      .getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({
      deliveryId,
      attemptNo: Number(r.attempt_no),
      startedAt: rawDate(r.started_at),
      durationMs: Number(r.duration_ms),
      httpStatus: rawIntOrNull(r.http_status),
      outcome: String(r.outcome),
      errorClass: (r.error_class as string | null) ?? null,
      responseBody: (r.response_body as string | null) ?? null,
    }));
  }
}
