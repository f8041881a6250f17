import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface DbSnapshot {
  /** Rows per table, every table in the database (the migrations' own included). */
  counts: Record<string, number>;
  /** sha256 of every row of every table, order-independent. */
  checksums: Record<string, string>;
}

/**
 * The whole database in a comparable form: row counts of every table and a
 * checksum over all their rows (status columns included), so any insert,
 * update or delete shows. The tables of one test are small.
 */
export async function snapshotDatabase(db: DataSource, except: readonly string[] = []): Promise<DbSnapshot> {
  const tables = (await tableNames(db)).filter((t) => !except.includes(t));
  const counts: Record<string, number> = {};
  const checksums: Record<string, string> = {};
  for (const table of tables) {
    const rows: Array<Record<string, unknown>> = await db.query(`SELECT * FROM ${db.driver.escape(table)}`);
    const lines = rows.map((row) => JSON.stringify(row, (_, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort();
    counts[table] = rows.length;
    checksums[table] = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  }
  return { counts, checksums };
}

/** A snapshot taken once the database has stopped changing (background workers settle after seeding). */
export async function settledSnapshot(db: DataSource, { intervalMs = 400, timeoutMs = 15_000, except = [] as readonly string[] } = {}): Promise<DbSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let previous = await snapshotDatabase(db, except);
  for (;;) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const next = await snapshotDatabase(db, except);
    if (JSON.stringify(next) === JSON.stringify(previous) || Date.now() > deadline) return next;
    previous = next;
  }
}

async function tableNames(db: DataSource): Promise<string[]> {
  const sql =
    db.options.type === 'better-sqlite3'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()';
  const rows: Array<{ name?: string; NAME?: string; TABLE_NAME?: string }> = await db.query(sql);
  return rows.map((r) => r.name ?? r.NAME ?? r.TABLE_NAME ?? '').sort();
}
