import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { TestDatabase } from '../../support/test-database';

const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'mariadb.sh');
const run = promisify(execFile);

/** Takes the database away from running gateway processes, and brings it back. */
export interface DatabaseOutage {
  readonly kind: string;
  readonly down: boolean;
  begin(): Promise<void>;
  end(): Promise<void>;
}

/**
 * Why an outage cannot be staged for this database, or null when it can:
 * on MySQL only the server scripts/mariadb.sh runs (the project's own, as in
 * CI) may be stopped.
 */
export function outageUnavailable(): string | null {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return null;
  const url = new URL(serverUrl);
  if (url.hostname !== '127.0.0.1') return `TEST_DATABASE_URL is not on 127.0.0.1: the tests do not manage that server`;
  try {
    execFileSync(SCRIPT, ['status'], { stdio: 'ignore', env: { ...process.env, MARIADB_PORT: url.port } });
    return null;
  } catch {
    return `no scripts/mariadb.sh server answers on port ${url.port}: the tests do not manage that server`;
  }
}

/**
 * MySQL/MariaDB: `scripts/mariadb.sh stop` then `start`, the real server going
 * away (every connection of every process dropped) and coming back.
 *
 * SQLite: the gateway's pool is inside its process, out of the test's reach;
 * the outage is another process taking the database's write lock and holding
 * it past the gateway's busy timeout, so writes fail (SQLITE_BUSY) as they
 * would while a backup or an operator's shell holds it. Run asynchronously
 * (execFile, a lock that retries on a timer) so the simulator in this process
 * keeps sending meanwhile.
 */
export function databaseOutage(db: TestDatabase): DatabaseOutage {
  if (db.engine === 'mysql') {
    const env = { ...process.env, MARIADB_PORT: new URL(db.url).port };
    let down = false;
    return {
      kind: 'MariaDB server stopped (scripts/mariadb.sh stop/start)',
      get down() {
        return down;
      },
      async begin() {
        down = true;
        await run(SCRIPT, ['stop'], { env });
      },
      async end() {
        await run(SCRIPT, ['start'], { env });
        down = false;
      },
    };
  }
  const path = db.url.slice('sqlite:'.length);
  let holder: Database.Database | null = null;
  return {
    kind: 'SQLite write lock held by another process past the busy timeout',
    get down() {
      return holder !== null;
    },
    async begin() {
      const conn = new Database(path, { timeout: 0 });
      // Never wait inside SQLite (that would block this process's event loop): retry on a timer.
      for (;;) {
        try {
          conn.exec('BEGIN IMMEDIATE');
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      holder = conn;
    },
    async end() {
      const conn = holder;
      holder = null;
      if (!conn) return;
      conn.exec('ROLLBACK');
      conn.close();
    },
  };
}
