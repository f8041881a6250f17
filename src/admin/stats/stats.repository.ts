import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rawDate, rawDateOrNull } from '../read-models/read-models';
import { SqlDialect } from '../../database/sql-dialect';

/** Rows per UTC minute, the minute as `YYYY-MM-DD HH:MM`. */
export interface MinuteCount {
  readonly minute: string;
  readonly total: number;
  readonly succeeded: number;
}

export interface EndpointWindowCount {
  readonly endpointId: string;
  readonly attempts: number;
  readonly succeeded: number;
  readonly lastAttemptAt: Date;
}

export interface EndpointRow {
  readonly id: string;
  readonly merchantId: string;
  readonly merchantName: string;
  readonly referenceMerchantId: string;
  readonly subMerchantId: string | null;
  readonly url: string;
  readonly status: string;
  readonly disabledReason: string | null;
  readonly disabledAt: Date | null;
  readonly failingSince: Date | null;
}

/**
 * Counts for the console's charts and endpoint overview, read from the
 * notifications, delivery_attempts, deliveries and callback_endpoints tables
 * by name (their modules own the entities and every write). Grouped by minute
 * in SQL, so a busy hour is still one small answer.
 */
@Injectable()
export class StatsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
  ) {}

  async notificationsPerMinute(since: Date): Promise<MinuteCount[]> {
    const minute = this.minuteOf('n.received_at');
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(minute, 'minute')
      .addSelect('COUNT(*)', 'total')
      .from('notifications', 'n')
      .where('n.received_at >= :since', { since })
      .groupBy(minute)
      .getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({ minute: String(r.minute), total: Number(r.total), succeeded: 0 }));
  }

  async deliveryAttemptsPerMinute(since: Date): Promise<MinuteCount[]> {
    const minute = this.minuteOf('a.started_at');
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(minute, 'minute')
      .addSelect('COUNT(*)', 'total')
      .addSelect("SUM(CASE WHEN a.outcome = 'SUCCEEDED' THEN 1 ELSE 0 END)", 'succeeded')
      .from('delivery_attempts', 'a')
      .where('a.started_at >= :since', { since })
      .groupBy(minute)
      .getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({ minute: String(r.minute), total: Number(r.total), succeeded: Number(r.succeeded ?? 0) }));
  }

  /** Attempts per endpoint since a time, busiest first. */
  async attemptsPerEndpoint(since: Date, limit: number): Promise<EndpointWindowCount[]> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('d.endpoint_id', 'endpoint_id')
      .addSelect('COUNT(*)', 'attempts')
      .addSelect("SUM(CASE WHEN a.outcome = 'SUCCEEDED' THEN 1 ELSE 0 END)", 'succeeded')
      .addSelect('MAX(a.started_at)', 'last_attempt_at')
      .from('delivery_attempts', 'a')
      .innerJoin('deliveries', 'd', 'd.id = a.delivery_id')
      .where('a.started_at >= :since', { since })
      .groupBy('d.endpoint_id')
      .orderBy('attempts', 'DESC')
      .limit(limit)
      .getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({
      endpointId: String(r.endpoint_id),
      attempts: Number(r.attempts),
      succeeded: Number(r.succeeded ?? 0),
      lastAttemptAt: rawDate(r.last_attempt_at),
    }));
  }

  /** Endpoints by id, plus (up to `limit`) every disabled or failing one, most recently changed first. */
  async endpoints(ids: string[], limit: number): Promise<EndpointRow[]> {
    const qb = this.endpointRows().where("e.status = 'DISABLED' OR e.failing_since IS NOT NULL").orderBy('e.updated_at', 'DESC').limit(limit);
    const troubled = await qb.getRawMany<Record<string, unknown>>();
    const busy = ids.length === 0 ? [] : await this.endpointRows().where('e.id IN (:...ids)', { ids }).getRawMany<Record<string, unknown>>();
    const byId = new Map<string, EndpointRow>();
    for (const r of [...troubled, ...busy]) byId.set(String(r.id), toEndpoint(r));
    return [...byId.values()];
  }

  private endpointRows() {
    return this.dataSource
      .createQueryBuilder()
      .select(['e.id AS id', 'e.merchant_id AS merchant_id', 'm.name AS merchant_name', 'm.reference_merchant_id AS reference_merchant_id'])
      .addSelect(['e.sub_merchant_id AS sub_merchant_id', 'e.url AS url', 'e.status AS status', 'e.disabled_reason AS disabled_reason'])
      .addSelect(['e.disabled_at AS disabled_at', 'e.failing_since AS failing_since'])
      .from('callback_endpoints', 'e')
      .innerJoin('merchants', 'm', 'm.id = e.merchant_id');
  }

  /** The UTC minute of a DATETIME column as `YYYY-MM-DD HH:MM`: MySQL formats it, SQLite stores it as that text already. */
  private minuteOf(column: string): string {
    return this.dialect.minuteOf(column);
  }
}

function toEndpoint(r: Record<string, unknown>): EndpointRow {
  return {
    id: String(r.id),
    merchantId: String(r.merchant_id),
    merchantName: String(r.merchant_name),
    referenceMerchantId: String(r.reference_merchant_id),
    subMerchantId: (r.sub_merchant_id as string | null) ?? null,
    url: String(r.url),
    status: String(r.status),
    disabledReason: (r.disabled_reason as string | null) ?? null,
    disabledAt: rawDateOrNull(r.disabled_at),
    failingSince: rawDateOrNull(r.failing_since),
  };
}
