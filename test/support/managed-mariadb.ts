import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { testEngine } from './test-database';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'mariadb.sh');

/** The project's own MariaDB (scripts/mariadb.sh, as in CI), when TEST_DATABASE_URL points at it; else null. */
export interface ManagedMariadb {
  stop(): void;
  start(): void;
  /** Runs SQL as root over the server's private socket: for what the test user may not do (make users). */
  asRoot(sql: string): void;
}

export function managedMariadb(): ManagedMariadb | null {
  if (testEngine() !== 'mysql' || !scriptManages(process.env.TEST_DATABASE_URL!)) return null;
  return {
    stop: () => execFileSync(SCRIPT, ['stop'], { stdio: 'ignore' }),
    start: () => execFileSync(SCRIPT, ['start'], { stdio: 'ignore' }),
    asRoot: (sql) => execFileSync(SCRIPT, ['sql'], { input: sql, stdio: ['pipe', 'ignore', 'pipe'] }),
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
