import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, Max, Min } from 'class-validator';
import { Omittable } from '../http/dto-rules';
import { DELIVERY_STATUSES } from '../../callbacks/delivery.entity';
import type { EndpointHealth, RequeuedDelivery } from '../../callbacks/delivery-admin.service';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class RecoverDeliveriesDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-20T00:00:00Z', description: 'Recover FAILED deliveries created at or after this time.' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  since: string;
}

export class HealthQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, description: 'How many of the latest attempts to judge.' })
  @Omittable()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number from 1 to 1000' })
  @Min(1, { message: 'must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'must be a whole number from 1 to 1000' })
  window?: number;
}

export class RequeuedDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;

  static from(d: RequeuedDelivery): RequeuedDeliveryResponse {
    return { id: d.id, status: d.status, nextAttemptAt: d.nextAttemptAt.toISOString() };
  }
}

export class RecoveredResponse {
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'date-time' }) since: string;
  @ApiProperty({ description: 'FAILED deliveries put back to PENDING.' }) recovered: number;
}

export class LastErrorResponse {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: String, example: 'TIMEOUT' }) errorClass: string | null;
  @ApiProperty({ nullable: true, type: Number }) httpStatus: number | null;
}

export class DeliveryCountsResponse {
  @ApiProperty() PENDING: number;
  @ApiProperty() LEASED: number;
  @ApiProperty() DELIVERED: number;
  @ApiProperty() FAILED: number;
}

export class EndpointHealthResponse {
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status: string;
  @ApiProperty({ nullable: true, type: String, example: 'the endpoint answered 410 Gone' }) disabledReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disabledAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Start of the current failure streak.' }) failingSince: string | null;
  @ApiProperty({ description: 'Attempts judged (at most `window`).' }) attempts: number;
  @ApiProperty() succeeded: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.98, description: 'succeeded / attempts; null with no attempts.' }) successRate: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSuccessAt: string | null;
  @ApiProperty({ nullable: true, type: LastErrorResponse }) lastError: LastErrorResponse | null;
  @ApiProperty({ type: DeliveryCountsResponse }) deliveries: DeliveryCountsResponse;

  static from(h: EndpointHealth): EndpointHealthResponse {
    return {
      endpointId: h.endpointId,
      status: h.status,
      disabledReason: h.disabledReason,
      disabledAt: iso(h.disabledAt),
      failingSince: iso(h.failingSince),
      attempts: h.attempts,
      succeeded: h.succeeded,
      successRate: h.successRate,
      lastSuccessAt: iso(h.lastSuccessAt),
      lastError: h.lastError && { at: h.lastError.at.toISOString(), errorClass: h.lastError.errorClass, httpStatus: h.lastError.httpStatus },
      deliveries: { ...h.deliveries },
    };
  }
}
