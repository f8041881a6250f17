/**
 * The claim-scaling bench's database side: the deliveries it seeds and a thin
 * driver per engine (mysql2 / better-sqlite3 directly, no TypeORM) that times
 * the dispatcher's captured statements inside rolled-back transactions.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { createConnection, type Connection } from 'mysql2/promise';
import { sqlTime } from './bench-database';

/** Deliveries per event, spread over this many endpoints. */
export const ENDPOINTS = 100;

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

export interface Captured {
  findDue: CapturedQuery;
  findDueBusy: CapturedQuery;
  lease: CapturedQuery;
  reap: CapturedQuery;
}

export const endpointId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const MERCHANT_ID = '00000000-0000-4000-8000-00000000abcd';

/** Row values in the deliveries column order below, for `count` rows starting at event number `firstEvent`. */
export function deliveryRows(count: number, firstEvent: number, now: number): unknown[][] {
  const ids = Array.from({ length: count }, () => randomUUID()).sort();
  const rows: unknown[][] = new Array(count);
  for (let k = 0; k < count; k++) {
    const event = firstEvent + Math.floor(k / ENDPOINTS);
    // 90% due within the last hour (a backlog), 10% retries due within the next 6 h.
    const at = Math.random() < 0.9 ? now - Math.random() * 3_600_000 : now + Math.random() * 6 * 3_600_000;
    const created = sqlTime(new Date(Math.min(at, now)));
    rows[k] = [
      ids[k],
      `e0000000-0000-4000-8000-${String(event).padStart(12, '0')}`,
      endpointId(k % ENDPOINTS),
      MERCHANT_ID,
      'PENDING',
      0,
      sqlTime(new Date(at)),
      null,
      null,
      0,
      null,
      null,
      null,
      created,
      created,
    ];
  }
  return rows;
}

const COLUMNS =
  'id, event_id, endpoint_id, merchant_id, status, attempt_count, next_attempt_at, lease_owner, lease_expires_at, lease_version, last_http_status, last_error, delivered_at, created_at, updated_at';

export interface Driver {
  readonly version: string;
  insert(rows: unknown[][]): Promise<void>;
  analyze(): Promise<void>;
  /** One timed run: ms for the statement, inside a transaction that is rolled back. */
  timeSelect(q: CapturedQuery): Promise<{ ms: number; rows: Array<{ id: string }> }>;
  timeClaim(select: CapturedQuery, lease: CapturedQuery): Promise<number>;
  timeStatement(q: CapturedQuery): Promise<number>;
  explain(q: CapturedQuery): Promise<string[]>;
  close(): Promise<void>;
}

export async function mariadbDriver(url: string): Promise<Driver> {
  const c: Connection = await createConnection({ uri: url, timezone: 'Z', connectTimeout: 5_000 });
  const [v] = await c.query('SELECT VERSION() AS v');
  const version = String((v as Array<{ v: string }>)[0].v);
  // The dispatcher's unit of work runs in READ COMMITTED (src/database/unit-of-work.ts).
  const begin = async () => {
    await c.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await c.query('START TRANSACTION');
  };
  return {
    version,
    insert: async (rows) => {
      await c.query(`INSERT INTO deliveries (${COLUMNS}) VALUES ?`, [rows]);
    },
    analyze: async () => {
      await c.query('ANALYZE TABLE deliveries');
    },
    timeSelect: async (q) => {
      await begin();
      try {
        const t0 = performance.now();
        const [rows] = await c.query(q.sql, q.params);
        return { ms: performance.now() - t0, rows: rows as Array<{ id: string }> };
      } finally {
        await c.query('ROLLBACK');
      }
    },
    timeClaim: async (select, lease) => {
      await begin();
      try {
        const t0 = performance.now();
        const [rows] = await c.query(select.sql, select.params);
        const ids = (rows as Array<Record<string, string>>).map((r) => r.d_id ?? r.id);
        await c.query(lease.sql, substituteIds(lease, ids));
        return performance.now() - t0;
      } finally {
        await c.query('ROLLBACK');
      }
    },
    timeStatement: async (q) => {
      await begin();
      try {
        const t0 = performance.now();
        await c.query(q.sql, q.params);
        return performance.now() - t0;
      } finally {
        await c.query('ROLLBACK');
      }
    },
    explain: async (q) => {
      const out: string[] = [];
      const [plan] = await c.query(`EXPLAIN ${q.sql}`, q.params);
      for (const r of plan as Array<Record<string, string | number | null>>) {
        out.push(`EXPLAIN: table ${r.table}, type ${r.type}, key ${r.key}, key_len ${r.key_len}, rows ${r.rows}, Extra: ${r.Extra}`);
      }
      if (/mariadb/i.test(version)) {
        // ANALYZE runs it: r_rows is what the engine actually read (locks taken, then rolled back).
        await begin();
        try {
          const [analyzed] = await c.query(`ANALYZE ${q.sql}`, q.params);
          for (const r of analyzed as Array<Record<string, string | number | null>>) {
            out.push(
              `ANALYZE: table ${r.table}, type ${r.type}, key ${r.key}, rows ${r.rows}, r_rows ${r.r_rows}, filtered ${r.filtered}, r_filtered ${r.r_filtered}, Extra: ${r.Extra}`,
            );
          }
        } finally {
          await c.query('ROLLBACK');
        }
      }
      return out;
    },
    close: () => c.end(),
  };
}

/** The lease UPDATE's parameters with its `id IN (...)` list replaced by `ids` (same length as captured). */
function substituteIds(lease: CapturedQuery, ids: string[]): unknown[] {
  const captured = lease.params;
  const firstId = captured.findIndex((p) => typeof p === 'string' && /^[0-9a-f-]{36}$/.test(p));
  if (firstId === -1) return captured;
  const out = [...captured];
  for (let i = 0; i < ids.length && firstId + i < out.length; i++) {
    if (typeof out[firstId + i] === 'string' && /^[0-9a-f-]{36}$/.test(out[firstId + i] as string)) out[firstId + i] = ids[i];
  }
  return out;
}

export function sqliteDriver(path: string): Driver {
  const db = new Database(path, { fileMustExist: true, timeout: 10_000 });
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const inTx = <T>(fn: () => T): T => {
    db.exec('BEGIN');
    try {
      return fn();
    } finally {
      db.exec('ROLLBACK');
    }
  };
  return {
    version: `SQLite ${(db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v}`,
    insert: async (rows) => {
      // SQLite binds at most 32,766 parameters per statement: 2,000 rows of 15 columns at a time.
      for (let from = 0; from < rows.length; from += 2000) {
        const part = rows.slice(from, from + 2000);
        const stmt = prepare(
          `INSERT INTO deliveries (${COLUMNS}) VALUES ${Array.from({ length: part.length }, () => `(${new Array(15).fill('?').join(',')})`).join(',')}`,
        );
        stmt.run(...part.flat());
      }
    },
    analyze: async () => {
      db.exec('ANALYZE');
    },
    timeSelect: async (q) =>
      inTx(() => {
        const stmt = prepare(q.sql);
        const t0 = performance.now();
        const rows = stmt.all(...(q.params as never[])) as Array<{ id: string }>;
        return { ms: performance.now() - t0, rows };
      }),
    timeClaim: async (select, lease) =>
      inTx(() => {
        const t0 = performance.now();
        const rows = prepare(select.sql).all(...(select.params as never[])) as Array<Record<string, string>>;
        prepare(lease.sql).run(
          ...(substituteIds(
            lease,
            rows.map((r) => r.d_id ?? r.id),
          ) as never[]),
        );
        return performance.now() - t0;
      }),
    timeStatement: async (q) =>
      inTx(() => {
        const t0 = performance.now();
        prepare(q.sql).run(...(q.params as never[]));
        return performance.now() - t0;
      }),
    explain: async (q) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.params as never[])) as Array<{ detail: string }>).map((r) => `QUERY PLAN: ${r.detail}`),
    close: async () => {
      db.close();
    },
  };
}

/** The query with its time parameter (a Date, or the datetime text TypeORM made of it) moved to `at`. */
export function withTime(q: CapturedQuery, at: Date): CapturedQuery {
  return {
    sql: q.sql,
    params: q.params.map((p) => (p instanceof Date ? at : typeof p === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/.test(p) ? sqlTime(at) : p)),
  };
}
