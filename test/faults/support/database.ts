import { DataSource } from 'typeorm';
import { TokenVault } from '../../../src/common/crypto/token-vault';
import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { testEnvironment } from '../../support/test-app';
import type { TestDatabase } from '../../support/test-database';

/**
 * The test's own view of the database the gateway processes share: a separate
 * connection (a second SQLite handle on the same WAL file, or a small MySQL
 * pool), opened once the first gateway has migrated the schema. Raw SQL only,
 * so what is read is what the tables hold.
 */
export interface FaultDatabase {
  readonly source: DataSource;
  /** The gateway's look-up hash (the test keys): finds rows by access token or auth code. */
  readonly vault: TokenVault;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** `SELECT COUNT(*)`-style helper: the first column of the first row, as a number. */
  count(sql: string, params?: unknown[]): Promise<number>;
  /** Deliveries by status, e.g. `{ DELIVERED: 640, LEASED: 40, PENDING: 320 }`. */
  deliveryStatuses(): Promise<Record<string, number>>;
  /** The authorization row's id and status for an access token, or undefined. */
  token(accessToken: string): Promise<{ id: string; status: string } | undefined>;
  close(): Promise<void>;
}

export async function openFaultDatabase(db: TestDatabase): Promise<FaultDatabase> {
  const config = loadConfig(testEnvironment(db));
  const options = config.database.kind === 'mysql' ? { ...config.database, poolSize: 4 } : config.database;
  const source = await new DataSource(dataSourceOptions(options)).initialize();
  const vault = new TokenVault(config);
  const query = <T>(sql: string, params: unknown[] = []) => source.query<T[]>(sql, params);
  const count = async (sql: string, params: unknown[] = []) => {
    const [row] = await query<Record<string, unknown>>(sql, params);
    return Number(Object.values(row ?? {})[0] ?? 0);
  };
  return {
    source,
    vault,
    query,
    count,
    async deliveryStatuses() {
      const rows = await query<{ status: string; n: number | string }>('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status');
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },
    async token(accessToken) {
      const [row] = await query<{ id: string; status: string }>('SELECT id, status FROM authorizations WHERE access_token_hash = ?', [
        vault.lookupHash('access-token', accessToken),
      ]);
      return row;
    },
    close: () => source.destroy(),
  };
}

/**
 * Polls `condition` until it holds or `ms` pass; never a fixed sleep standing
 * in for an outcome. A condition that throws (a query while the database is
 * coming back) counts as not yet, and its last error is shown on timeout.
 */
export async function until<T>(
  what: string,
  condition: () => Promise<T | false | undefined | null> | T | false | undefined | null,
  ms: number,
  explain?: () => Promise<string> | string,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = explain ? await Promise.resolve(explain()).catch((e: Error) => `(describe failed: ${e.message})`) : '';
      throw new Error(`timed out after ${ms} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}\n${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
