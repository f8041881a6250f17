import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES, STORED_ATTEMPT_OUTCOMES } from '../../callbacks/delivery.entity';
import type { Page } from '../../common/keyset-page';
import type { DeliveryAttemptRecord, DeliveryRecord } from '../read-models/read-models';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The event id merchants see, stable across retries.' }) eventId: string;
  @ApiProperty({ nullable: true, type: String, example: 'TOKEN_CANCELED' }) eventType: string | null;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'uuid' }) merchantId: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty() attemptCount: number;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, type: Number }) lastHttpStatus: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(d: DeliveryRecord): DeliveryResponse {
    return {
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      endpointId: d.endpointId,
      merchantId: d.merchantId,
      status: d.status,
      attemptCount: d.attemptCount,
      nextAttemptAt: d.nextAttemptAt.toISOString(),
      lastHttpStatus: d.lastHttpStatus,
      lastError: d.lastError,
      deliveredAt: iso(d.deliveredAt),
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
    };
  }
}

export class DeliveryAttemptResponse {
  @ApiProperty() attemptNo: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty() durationMs: number;
  @ApiProperty({ nullable: true, type: Number }) httpStatus: number | null;
  @ApiProperty({ enum: STORED_ATTEMPT_OUTCOMES }) outcome: string;
  @ApiProperty({ nullable: true, type: String }) errorClass: string | null;

  static from(a: DeliveryAttemptRecord): DeliveryAttemptResponse {
    return {
      attemptNo: a.attemptNo,
      startedAt: a.startedAt.toISOString(),
      durationMs: a.durationMs,
      httpStatus: a.httpStatus,
      outcome: a.outcome,
      errorClass: a.errorClass,
    };
  }
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items: DeliveryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;

  static from(page: Page<DeliveryRecord>): DeliveryPageResponse {
    return { items: page.items.map((d) => DeliveryResponse.from(d)), nextCursor: page.nextCursor };
  }
}
