import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Omittable } from '../http/dto-rules';
import type { Activity, EndpointActivity } from './stats.service';

/** The charts look back at most a day: the tables are read unindexed by time beyond the notifications'. */
export const MAX_STATS_MINUTES = 1440;
/** Endpoints answered at most by /stats/endpoints. */
export const MAX_STATS_ENDPOINTS = 200;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class StatsWindowQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_STATS_MINUTES, default: 60, description: 'How many minutes to look back, the current one included.' })
  @Omittable()
  @Type(() => Number)
  @IsInt({ message: `must be a whole number from 1 to ${MAX_STATS_MINUTES}` })
  @Min(1, { message: `must be a whole number from 1 to ${MAX_STATS_MINUTES}` })
  @Max(MAX_STATS_MINUTES, { message: `must be a whole number from 1 to ${MAX_STATS_MINUTES}` })
  minutes?: number;
}

export class EndpointStatsQuery extends StatsWindowQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_STATS_ENDPOINTS, default: 50 })
  @Omittable()
  @Type(() => Number)
  @IsInt({ message: `must be a whole number from 1 to ${MAX_STATS_ENDPOINTS}` })
  @Min(1, { message: `must be a whole number from 1 to ${MAX_STATS_ENDPOINTS}` })
  @Max(MAX_STATS_ENDPOINTS, { message: `must be a whole number from 1 to ${MAX_STATS_ENDPOINTS}` })
  limit?: number;
}

export class ActivityMinuteResponse {
  @ApiProperty({ format: 'date-time', description: 'Start of the UTC minute.' }) minute: string;
  @ApiProperty({ description: 'authNotify notifications first received in this minute (duplicates not counted again).' }) notifications: number;
  @ApiProperty({ description: 'Callback delivery attempts started in this minute.' }) deliveryAttempts: number;
  @ApiProperty() deliverySucceeded: number;
  @ApiProperty({ description: 'Attempts that did not succeed (RETRY, FAILED, DISABLED).' }) deliveryFailures: number;
}

export class ActivityResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: [ActivityMinuteResponse], description: 'Every minute of the window, oldest first, zeros included.' })
  minutes: ActivityMinuteResponse[];

  static from(a: Activity): ActivityResponse {
    return {
      from: a.from.toISOString(),
      to: a.to.toISOString(),
      minutes: a.minutes.map((m) => ({
        minute: m.minute.toISOString(),
        notifications: m.notifications,
        deliveryAttempts: m.deliveryAttempts,
        deliverySucceeded: m.deliverySucceeded,
        deliveryFailures: m.deliveryFailures,
      })),
    };
  }
}

export class EndpointActivityResponse {
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'uuid' }) merchantId: string;
  @ApiProperty() merchantName: string;
  @ApiProperty() referenceMerchantId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subMerchantId: string | null;
  @ApiProperty() url: string;
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disabledAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) failingSince: string | null;
  @ApiProperty({ description: 'Attempts in the window.' }) attempts: number;
  @ApiProperty() succeeded: number;
  @ApiProperty({ nullable: true, type: Number, description: 'succeeded / attempts; null with no attempts.' }) successRate: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt: string | null;

  static from(e: EndpointActivity): EndpointActivityResponse {
    return {
      endpointId: e.id,
      merchantId: e.merchantId,
      merchantName: e.merchantName,
      referenceMerchantId: e.referenceMerchantId,
      subMerchantId: e.subMerchantId,
      url: e.url,
      status: e.status,
      disabledReason: e.disabledReason,
      disabledAt: iso(e.disabledAt),
      failingSince: iso(e.failingSince),
      attempts: e.attempts,
      succeeded: e.succeeded,
      successRate: e.successRate,
      lastAttemptAt: iso(e.lastAttemptAt),
    };
  }
}

export class EndpointActivityListResponse {
  @ApiProperty({ type: [EndpointActivityResponse] }) items: EndpointActivityResponse[];
}
