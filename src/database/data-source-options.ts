import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { DatabaseConfig } from '../config/gateway-config';
import { ENTITIES } from './entities';

/** MySQL's connect timeout, short enough that a bad DATABASE_URL fails the boot within 5 s. */
const CONNECT_TIMEOUT_MS = 3_000;

/** TypeORM options for either engine. The schema comes from migrations only, never `synchronize`. */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (db.kind === 'sqlite') {
    protectSqliteFiles(db.path);
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      enableWAL: true,
      // One writer at a time is SQLite's model; wait for the lock rather than fail, but briefly:
      // better-sqlite3 waits synchronously, so the whole event loop (health checks included) waits too.
      timeout: 2_000,
      prepareDatabase: (sqlite: { pragma(s: string): unknown }) => {
        sqlite.pragma('synchronous = NORMAL');
        // Past SQLite's 2 MB default, the randomly keyed indexes of a busy outbox no longer fit, and every
        // write reads its pages back from the OS on the event loop (fan-out bench: 411/s at 2 MB, 595-607/s at 32-64 MB).
        sqlite.pragma(`cache_size = -${db.cacheMb * 1024}`);
        sqlite.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: db.url,
    ...(db.socketPath !== undefined && { socketPath: db.socketPath }),
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    poolSize: db.poolSize,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // trace: false spares mysql2 a captured stack per query (5% of the CPU on the authNotify path).
    extra: { waitForConnections: true, enableKeepAlive: true, trace: false },
  };
}

/**
 * The embedded database holds encrypted tokens, sessions and the audit
 * trail: a folder the gateway makes for it is 0700, and the database file is
 * 0600 whatever the umask. SQLite gives its -wal and -shm files the mode of
 * the database file; ones left by an older version are tightened too.
 * Folders that already exist keep their mode (they may be shared, like /tmp).
 */
function protectSqliteFiles(path: string): void {
  const made = mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (made !== undefined) chmodSync(dirname(path), 0o700);
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}
