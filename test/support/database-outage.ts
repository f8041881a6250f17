import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { testEngine } from './test-database';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'mariadb.sh');

/**
 * Takes the database away from a running gateway and brings it back. On the
 * project's own MariaDB (scripts/mariadb.sh, as in CI) the server really stops;
 * on SQLite, or a server the tests don't manage, the gateway's pool is closed
 * and reopened, which its queries see the same way.
 */
export function databaseOutage(dataSource: DataSource) {
  const managed = testEngine() === 'mysql' && scriptManages(process.env.TEST_DATABASE_URL!);
  return {
    kind: managed ? ('server stopped' as const) : ('pool closed' as const),
    async stop(): Promise<void> {
      if (managed) execFileSync(SCRIPT, ['stop'], { stdio: 'ignore' });
      else await dataSource.destroy();
    },
    async start(): Promise<void> {
      if (managed) execFileSync(SCRIPT, ['start'], { stdio: 'ignore' });
      else await dataSource.initialize();
    },
  };
}

function scriptManages(url: string): boolean {
  try {
    const scriptUrl = execFileSync(SCRIPT, ['url'], { encoding: 'utf8' }).trim();
    execFileSync(SCRIPT, ['status'], { stdio: 'ignore' });
    return new URL(scriptUrl).port === new URL(url).port && new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}
