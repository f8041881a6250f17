import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { StatsRepository, type EndpointRow, type MinuteCount } from './stats.repository';

const MINUTE_MS = 60_000;

export interface ActivityMinute {
  /** Start of the UTC minute. */
  readonly minute: Date;
  readonly notifications: number;
  readonly deliveryAttempts: number;
  readonly deliverySucceeded: number;
  /** Attempts that did not succeed: RETRY, FAILED, DISABLED. */
  readonly deliveryFailures: number;
}

export interface Activity {
  readonly from: Date;
  readonly to: Date;
  readonly minutes: ActivityMinute[];
}

export interface EndpointActivity extends EndpointRow {
  readonly attempts: number;
  readonly succeeded: number;
  /** succeeded / attempts in the window; null without attempts. */
  readonly successRate: number | null;
  readonly lastAttemptAt: Date | null;
}

/** Per-minute activity and per-endpoint success for the last N minutes, for the console's charts and health page. */
@Injectable()
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly clock: Clock,
  ) {}

  /** The last `minutes` whole UTC minutes, the current one included, every minute present (zeros too), oldest first. */
  async activity(minutes: number): Promise<Activity> {
    const to = this.clock.now();
    const from = new Date(Math.floor(to.getTime() / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS);
    const [notifications, attempts] = await Promise.all([this.stats.notificationsPerMinute(from), this.stats.deliveryAttemptsPerMinute(from)]);
    const n = byMinute(notifications);
    const a = byMinute(attempts);
    const buckets: ActivityMinute[] = [];
    for (let i = 0; i < minutes; i++) {
      const minute = new Date(from.getTime() + i * MINUTE_MS);
      const key = minuteKey(minute);
      const attempt = a.get(key);
      buckets.push({
        minute,
        notifications: n.get(key)?.total ?? 0,
        deliveryAttempts: attempt?.total ?? 0,
        deliverySucceeded: attempt?.succeeded ?? 0,
        deliveryFailures: attempt ? attempt.total - attempt.succeeded : 0,
      });
    }
    return { from, to, minutes: buckets };
  }

  /**
   * Endpoints worth an operator's look: every disabled or failing one, and
   * the busiest of the window, with the window's success rate; disabled
   * first, then failing, then the lowest success rate.
   */
  async endpoints(minutes: number, limit: number): Promise<EndpointActivity[]> {
    const since = new Date(this.clock.now().getTime() - minutes * MINUTE_MS);
    const counts = await this.stats.attemptsPerEndpoint(since, limit);
    const rows = await this.stats.endpoints(
      counts.map((c) => c.endpointId),
      limit,
    );
    const byId = new Map(counts.map((c) => [c.endpointId, c]));
    const items = rows.map((row): EndpointActivity => {
      const c = byId.get(row.id);
      return {
        ...row,
        attempts: c?.attempts ?? 0,
        succeeded: c?.succeeded ?? 0,
        successRate: c && c.attempts > 0 ? c.succeeded / c.attempts : null,
        lastAttemptAt: c?.lastAttemptAt ?? null,
      };
    });
    return items.sort(worstFirst).slice(0, limit);
  }
}

function worstFirst(x: EndpointActivity, y: EndpointActivity): number {
  const rank = (e: EndpointActivity) => (e.status === 'DISABLED' ? 0 : e.failingSince !== null ? 1 : 2);
  return rank(x) - rank(y) || (x.successRate ?? 1) - (y.successRate ?? 1) || y.attempts - x.attempts || x.id.localeCompare(y.id);
}

/** `YYYY-MM-DD HH:MM` of a UTC minute: the repository's bucket key. */
export function minuteKey(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

function byMinute(rows: MinuteCount[]): Map<string, MinuteCount> {
  return new Map(rows.map((r) => [r.minute, r]));
}
