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

/** The two engines as the bench needs them: statements, a transaction to roll back, the plan. */
interface Engine {
  readonly version: string;
  insert(rows: unknown[][]): Promise<void>;
  analyze(): Promise<void>;
  all(q: CapturedQuery): Promise<Array<Record<string, string>>>;
  run(q: CapturedQuery): Promise<void>;
  /** Runs fn in a transaction that is then rolled back. */
  inTx<T>(fn: () => Promise<T>): Promise<T>;
  explain(q: CapturedQuery): Promise<string[]>;
  close(): Promise<void>;
}

/** Times the captured statements, each run inside a transaction that is rolled back. */
export class Driver {
  constructor(private readonly engine: Engine) {}

  get version(): string {
    return this.engine.version;
  }

  insert = (rows: unknown[][]) => this.engine.insert(rows);
  analyze = () => this.engine.analyze();
  explain = (q: CapturedQuery) => this.engine.explain(q);
  close = () => this.engine.close();

  timeSelect(q: CapturedQuery): Promise<{ ms: number; rows: Array<Record<string, string>> }> {
    return this.engine.inTx(async () => {
      const t0 = performance.now();
      const rows = await this.engine.all(q);
      return { ms: performance.now() - t0, rows };
    });
  }

  /** The dispatcher's claim: findDue, then the lease UPDATE of the rows found. */
  timeClaim(select: CapturedQuery, lease: CapturedQuery): Promise<number> {
    return this.engine.inTx(async () => {
      const t0 = performance.now();
      const rows = await this.engine.all(select);
      await this.engine.run({
        sql: lease.sql,
        params: substituteIds(
          lease,
          rows.map((r) => r.d_id ?? r.id),
        ),
      });
      return performance.now() - t0;
    });
  }

  timeStatement(q: CapturedQuery): Promise<number> {
    return this.engine.inTx(async () => {
      const t0 = performance.now();
      await this.engine.run(q);
      return performance.now() - t0;
    });
  }
}

export async function mariadbDriver(url: string): Promise<Driver> {
  const c: Connection = await createConnection({ uri: url, timezone: 'Z', connectTimeout: 5_000 });
  const [v] = await c.query('SELECT VERSION() AS v');
  const version = String((v as Array<{ v: string }>)[0].v);
  const inTx = async <T>(fn: () => Promise<T>): Promise<T> => {
    // The dispatcher's unit of work runs in READ COMMITTED (src/database/unit-of-work.ts).
    await c.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await c.query('START TRANSACTION');
    try {
      return await fn();
    } finally {
      await c.query('ROLLBACK');
    }
  };
  const line = (kind: string, r: Record<string, unknown>, fields: string[]) => `${kind}: ${fields.map((f) => `${f} ${String(r[f])}`).join(', ')}`;
  return new Driver({
    version,
    insert: async (rows) => void (await c.query(`INSERT INTO deliveries (${COLUMNS}) VALUES ?`, [rows])),
    analyze: async () => void (await c.query('ANALYZE TABLE deliveries')),
    all: async (q) => (await c.query(q.sql, q.params))[0] as Array<Record<string, string>>,
    run: async (q) => void (await c.query(q.sql, q.params)),
    inTx,
    explain: async (q) => {
      const [plan] = await c.query(`EXPLAIN ${q.sql}`, q.params);
      const out = (plan as Array<Record<string, unknown>>).map((r) => line('EXPLAIN', r, ['table', 'type', 'key', 'key_len', 'rows', 'Extra']));
      if (!/mariadb/i.test(version)) return out;
      // ANALYZE runs it: r_rows is what the engine actually read (locks taken, then rolled back).
      const [analyzed] = await inTx(() => c.query(`ANALYZE ${q.sql}`, q.params));
      return [
        ...out,
        ...(analyzed as Array<Record<string, unknown>>).map((r) =>
          line('ANALYZE', r, ['table', 'type', 'key', 'rows', 'r_rows', 'filtered', 'r_filtered', 'Extra']),
        ),
      ];
    },
    close: () => c.end(),
  });
}

/** The lease UPDATE's parameters with its `id IN (...)` list replaced by `ids` (same length as captured). */
function substituteIds(lease: CapturedQuery, ids: string[]): unknown[] {
  const isId = (p: unknown) => typeof p === 'string' && /^[0-9a-f-]{36}$/.test(p);
  const firstId = lease.params.findIndex(isId);
  if (firstId === -1) return lease.params;
  const out = [...lease.params];
  for (let i = 0; i < ids.length && firstId + i < out.length; i++) if (isId(out[firstId + i])) out[firstId + i] = ids[i];
  return out;
}

export function sqliteDriver(path: string): Driver {
  const db = new Database(path, { fileMustExist: true, timeout: 10_000 });
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => cache.get(sql) ?? cache.set(sql, db.prepare(sql)).get(sql)!;
  return new Driver({
    version: `SQLite ${(db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v}`,
    insert: async (rows) => {
      // SQLite binds at most 32,766 parameters per statement: 2,000 rows of 15 columns at a time.
      for (let from = 0; from < rows.length; from += 2000) {
        const part = rows.slice(from, from + 2000);
        prepare(`INSERT INTO deliveries (${COLUMNS}) VALUES ${part.map(() => `(${new Array(15).fill('?').join(',')})`).join(',')}`).run(...part.flat());
      }
    },
    analyze: async () => void db.exec('ANALYZE'),
    all: async (q) => prepare(q.sql).all(...(q.params as never[])) as Array<Record<string, string>>,
    run: async (q) => void prepare(q.sql).run(...(q.params as never[])),
    inTx: async (fn) => {
      db.exec('BEGIN');
      try {
        return await fn();
      } finally {
        db.exec('ROLLBACK');
      }
    },
    explain: async (q) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.params as never[])) as Array<{ detail: string }>).map((r) => `QUERY PLAN: ${r.detail}`),
    close: async () => void db.close(),
  });
}

/** The query with its time parameter (a Date, or the datetime text TypeORM made of it) moved to `at`. */
export function withTime(q: CapturedQuery, at: Date): CapturedQuery {
  return {
    sql: q.sql,
    params: q.params.map((p) => (p instanceof Date ? at : typeof p === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/.test(p) ? sqlTime(at) : p)),
  };
}
