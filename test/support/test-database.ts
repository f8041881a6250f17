import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

/**
 * A database of its own for one test file: a fresh SQLite file, or, when
 * `TEST_DATABASE_URL` points at MySQL/MariaDB, a fresh `acqp_test_*` database
 * on that server. The schema is made by the real migrations (by the app).
 */
export interface TestDatabase {
  readonly engine: 'sqlite' | 'mysql';
  /** A `DATABASE_URL` for the gateway. */
  readonly url: string;
  drop(): Promise<void>;
}

export function testEngine(): 'sqlite' | 'mysql' {
  return process.env.TEST_DATABASE_URL ? 'mysql' : 'sqlite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'acqp-test-'));
    return {
      engine: 'sqlite',
      url: `sqlite:${join(dir, 'gateway.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `acqp_test_${randomBytes(5).toString('hex')}`;
  const admin = new URL(serverUrl);
  const conn = await createConnection({ uri: serverUrl.replace(/^mariadb:/, 'mysql:') });
  // As an operator makes one: the server's default character set and collation, nothing chosen for us.
  await conn.query(`CREATE DATABASE \`${name}\``);
  await conn.end();
  admin.pathname = `/${name}`;
  return {
    engine: 'mysql',
    url: admin.toString(),
    drop: async () => {
      const c = await createConnection({ uri: serverUrl.replace(/^mariadb:/, 'mysql:') });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
