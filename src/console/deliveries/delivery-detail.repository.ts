import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deliveryQuery, toDelivery } from '../../admin/read-models/delivery-read.repository';
import { rawDate, rawIntOrNull, type DeliveryAttemptRecord, type DeliveryRecord } from '../../admin/read-models/read-models';

export interface AttemptWithResponse extends DeliveryAttemptRecord {
  /** The first 1 KiB of what the endpoint answered, as stored; null when nothing came back. */
  readonly responseBody: string | null;
}

/** One delivery and all its attempts, read by table name (the callbacks module owns the entities and every write). */
@Injectable()
export class DeliveryDetailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async delivery(id: string): Promise<DeliveryRecord | null> {
    const r = await deliveryQuery(this.dataSource).where('d.id = :id', { id }).getRawOne<Record<string, unknown>>();
    return r ? toDelivery(r) : null;
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
