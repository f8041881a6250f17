import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { EventEntity } from '../../src/callbacks/event.entity';

/** `YYYY-MM-DD HH:MM:SS.SSS` in UTC: what both engines store in a DATETIME column. */
const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

export interface SeedDelivery {
  eventId: string;
  endpointId: string;
  merchantId: string;
  status: string;
  createdAt: Date;
  attempts?: Array<{ httpStatus: number | null; outcome: string; errorClass?: string }>;
}

/** Far enough ahead that the running dispatcher never finds a seeded delivery due and changes it under the test. */
const NEVER_DUE = new Date('2099-01-01T00:00:00.000Z');

/**
 * Writes deliveries and their attempts straight to their tables, with known
 * statuses and attempts: these tests check that the admin API shows what is
 * there, not how the dispatcher got it there.
 */
export async function seedDelivery(db: DataSource, d: SeedDelivery): Promise<string> {
  const id = randomUUID();
  const attempts = d.attempts ?? [];
  const last = attempts[attempts.length - 1];
  await db.query(
    'INSERT INTO deliveries (id, event_id, endpoint_id, merchant_id, status, attempt_count, next_attempt_at, lease_version, ' +
      'last_http_status, last_error, delivered_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)',
    [
      id,
      d.eventId,
      d.endpointId,
      d.merchantId,
      d.status,
      attempts.length,
      sqlTime(NEVER_DUE),
      last?.httpStatus ?? null,
      last?.errorClass ?? null,
      d.status === 'DELIVERED' ? sqlTime(d.createdAt) : null,
      sqlTime(d.createdAt),
      sqlTime(d.createdAt),
    ],
  );
  for (const [i, a] of attempts.entries()) {
    await db.query(
      'INSERT INTO delivery_attempts (id, delivery_id, attempt_no, started_at, duration_ms, http_status, error_class, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [randomUUID(), id, i + 1, sqlTime(new Date(d.createdAt.getTime() + i * 1000)), 120 + i, a.httpStatus, a.errorClass ?? null, a.outcome],
    );
  }
  return id;
}

/** An outbox event of its own, as the authNotify intake would write it. */
export async function seedEvent(db: DataSource, merchantId: string, at: Date): Promise<string> {
  const id = randomUUID();
  await db.manager.insert(EventEntity, {
    id,
    eventType: 'TOKEN_CANCELED',
    dedupeKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
    authorizationId: null,
    authCodeId: null,
    merchantId,
    cancelSource: 'PSP',
    occurredAt: at,
    createdAt: at,
  });
  return id;
}
