import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { repoRoot } from './bench-keys';

export type Engine = 'sqlite' | 'mariadb';

/**
 * A database of the bench's own, read and written directly (not through the
 * gateway) to seed rows and to check what the gateway stored.
 */
export interface BenchDatabase {
  readonly engine: Engine;
  /** DATABASE_URL for the gateway. */
  readonly url: string;
  /** Where it is, for the report (no password). */
  readonly label: string;
  /** One number from a `SELECT <expr> AS n …` query. */
  scalar(sql: string): Promise<number>;
  exec(sql: string, params: unknown[]): Promise<void>;
  /** A server-wide status counter (MariaDB `SHOW GLOBAL STATUS`, e.g. Innodb_deadlocks); null on SQLite. */
  globalStatus(name: string): Promise<number | null>;
  drop(): Promise<void>;
}

export async function createSqliteDatabase(): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'acqp-bench-sqlite-'));
  const path = join(dir, 'gateway.sqlite');
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    // WAL lets this reader run beside the gateway's writer; busy_timeout rides out its commits.
    const db = new Database(path, { fileMustExist: true, timeout: 10_000 });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    engine: 'sqlite',
    url: `sqlite:${path}`,
    label: path,
    scalar: async (sql) => Number((withDb((db) => db.prepare(sql).get()) as { n: number | bigint | null }).n ?? 0),
    exec: async (sql, params) => {
      withDb((db) => db.prepare(sql).run(...params));
    },
    globalStatus: async () => null,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A fresh `acqp_bench_<random>` database on the server of `serverUrl` (the acqp
 * user may create acqp_*). `overSocket`: the gateway's DATABASE_URL names the
 * server's Unix socket (`?socketPath=`, as an operator with the database on the
 * same host would set it) when the server is on this host; the bench's own
 * reads stay on TCP.
 */
export async function createMariadbDatabase(serverUrl: string, options: { overSocket?: boolean } = {}): Promise<BenchDatabase> {
  const name = `acqp_bench_${randomBytes(5).toString('hex')}`;
  const admin = await createConnection({ uri: serverUrl, connectTimeout: 5_000 });
  let socket: string | null = null;
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    if (options.overSocket) {
      const [rows] = await admin.query('SELECT @@socket AS socket');
      socket = (rows as Array<{ socket: string | null }>)[0]?.socket ?? null;
    }
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  const gatewayUrl = new URL(url);
  if (local && socket && existsSync(socket)) gatewayUrl.searchParams.set('socketPath', socket);
  const withConn = async <T>(fn: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> => {
    const c = await createConnection({ uri: url.toString(), connectTimeout: 5_000, timezone: 'Z' });
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    engine: 'mariadb',
    url: gatewayUrl.toString(),
    label: gatewayUrl.searchParams.has('socketPath') ? `${name} over ${socket}` : `${url.host}/${name}`,
    scalar: (sql) =>
      withConn(async (c) => {
        const [rows] = await c.query(sql);
        return Number((rows as Array<{ n: unknown }>)[0]?.n ?? 0);
      }),
    exec: (sql, params) =>
      withConn(async (c) => {
        await c.execute(sql, params as never[]);
      }),
    globalStatus: (statusName) =>
      withConn(async (c) => {
        const [rows] = await c.query('SHOW GLOBAL STATUS LIKE ?', [statusName]);
        const value = (rows as Array<{ Value?: string }>)[0]?.Value;
        return value === undefined ? null : Number(value);
      }),
    drop: async () => {
      const c = await createConnection({ uri: serverUrl, connectTimeout: 5_000 });
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

/** Whether the server flushes its redo log at every commit (innodb_flush_log_at_trx_commit=1), as a production one does. */
export async function mariadbDurability(serverUrl: string): Promise<string> {
  const c = await createConnection({ uri: serverUrl, connectTimeout: 5_000 });
  try {
    const [rows] = await c.query('SELECT @@innodb_flush_log_at_trx_commit AS n');
    const n = Number((rows as Array<{ n: unknown }>)[0]?.n);
    return n === 1
      ? 'MariaDB commits durably (innodb_flush_log_at_trx_commit=1), as SQLite acknowledges'
      : `MariaDB is NOT durable (innodb_flush_log_at_trx_commit=${n}: start it with MARIADB_DURABLE=1 scripts/mariadb.sh start); its figures flatter it`;
  } finally {
    await c.end();
  }
}

/** The report's line on the MariaDB server; `overSocket` as given to createMariadbDatabase. */
export function describeMariadbServer(serverUrl: string, options: { overSocket?: boolean } = {}): string {
  const where = `MariaDB server ${new URL(serverUrl).host} (scripts/mariadb.sh; MARIADB_DIR ${process.env.MARIADB_DIR ?? '/tmp/acqp-mariadb'}), a fresh acqp_bench_* database per target`;
  return options.overSocket ? `${where}; the gateway connects over the server's Unix socket when it is on this host (DATABASE_URL ?socketPath=)` : where;
}

/**
 * The URL of the private server of `scripts/<name>.sh` (MariaDB, Redis) when
 * it answers, after starting it when `start` is set; why not otherwise.
 */
export async function localServer(name: 'mariadb' | 'redis', start: boolean): Promise<{ url: string } | { url: null; why: string }> {
  const script = (args: string[], timeout: number) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      // A MariaDB the bench starts commits durably, as production's does (and as the gateway's SQLite acknowledges).
      execFile(join(repoRoot(), 'scripts', `${name}.sh`), args, { timeout, env: { MARIADB_DURABLE: '1', ...process.env } }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout).trim(), stderr: String(stderr).trim() }),
      ),
    );
  const last = (text: string) => text.split('\n').pop() ?? '';
  if (start) {
    const started = await script(['start'], 600_000);
    return started.code === 0
      ? { url: last(started.stdout) }
      : { url: null, why: `scripts/${name}.sh start failed (exit ${started.code}): ${last(started.stderr)}` };
  }
  if ((await script(['status'], 30_000)).code !== 0) return { url: null, why: `scripts/${name}.sh status: not running` };
  return { url: last((await script(['url'], 10_000)).stdout) };
}

/** `YYYY-MM-DD HH:mm:ss.SSS` in UTC: how TypeORM writes a datetime on both engines. */
export function sqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** MariaDB statement counters (SHOW GLOBAL STATUS) the benches read around a timed phase. */
export const STATEMENT_COUNTERS = ['Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_begin', 'Com_commit', 'Com_rollback'];
const COUNTERS = [...STATEMENT_COUNTERS, 'Innodb_deadlocks', 'Innodb_row_lock_waits', 'Uptime'];

/**
 * Server-wide MariaDB counters: statements by kind, InnoDB deadlocks and
 * row-lock waits, and Uptime (a restart in between makes deltas meaningless).
 * Null on SQLite. Anything else using the server counts too.
 */
export async function serverCounters(db: BenchDatabase | undefined): Promise<Record<string, number> | null> {
  if (!db || db.engine !== 'mariadb') return null;
  const out: Record<string, number> = {};
  for (const name of COUNTERS) {
    const v = await db.globalStatus(name);
    if (v === null) return null;
    out[name] = v;
  }
  return out;
}

/** What the server did between two readings, keyed without `Com_`; null when either is missing or the server restarted. */
export function counterDelta(before: Record<string, number> | null, after: Record<string, number> | null): Record<string, number> | null {
  if (!before || !after || after.Uptime < before.Uptime) return null;
  return Object.fromEntries(COUNTERS.filter((k) => k !== 'Uptime').map((k) => [k.replace(/^Com_/, ''), after[k] - before[k]]));
}
