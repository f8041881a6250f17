import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process';
import { testEnvironment } from '../../support/test-app';
import type { TestDatabase } from '../../support/test-database';

/**
 * What every gateway in the fault suite runs with: live mode on the test keys,
 * callbacks allowed to reach 127.0.0.1, short polls and a callback schedule
 * of seconds instead of hours. LOG_LEVEL info: the process announces
 * "gateway listening" at info.
 */
export function faultEnvironment(db: TestDatabase, overrides: Record<string, string> = {}): Record<string, string> {
  const env = testEnvironment(db, {
    LOG_LEVEL: 'info',
    DATABASE_MIGRATE_ON_START: 'true',
    CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    CALLBACK_POLL_MS: '100',
    CANCEL_TOKEN_POLL_MS: '100',
    CALLBACK_RETRY_SCHEDULE: '0s,1s,1s,2s,2s,5s,5s,10s',
    ...overrides,
  });
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface FaultGateway {
  readonly name: string;
  readonly pid: number;
  readonly baseUrl: string;
  readonly process: GatewayProcess;
  /** `kill -9`: no drain, no shutdown hooks; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the drain to finish. */
  stop(): Promise<void>;
  /** The last lines of its stdout and stderr, for failure messages. */
  logTail(lines?: number): string;
}

const running = new Set<{ gw: GatewayProcess; dataDir: string }>();

/** With FAULTS_LOG_DIR set, each gateway's whole stdout and stderr are kept there once it has exited (for a failed run). */
function keepLogs(name: string, gw: GatewayProcess): void {
  const dir = process.env.FAULTS_LOG_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}-${gw.child.pid}`);
  writeFileSync(`${base}.stdout.log`, gw.stdout());
  writeFileSync(`${base}.stderr.log`, gw.stderr());
}

/** Spawns the compiled gateway (dist/src/main.js) and waits until it listens. */
export async function spawnGateway(name: string, env: Record<string, string>): Promise<FaultGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), `acqp-fault-${name}-`));
  const gw = startGatewayProcess({ ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }, dataDir);
  const entry = { gw, dataDir };
  running.add(entry);
  void gw.exited.then(() => keepLogs(name, gw));
  const port = await gw.listening(30_000);
  const pid = gw.child.pid!;
  const gone = async () => {
    await gw.exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    name,
    pid,
    baseUrl: `http://127.0.0.1:${port}`,
    process: gw,
    kill9: async () => {
      if (gw.child.exitCode === null && gw.child.signalCode === null) process.kill(pid, 'SIGKILL');
      await gone();
    },
    stop: async () => {
      if (gw.child.exitCode === null && gw.child.signalCode === null) process.kill(pid, 'SIGTERM');
      await gone();
    },
    logTail: (lines = 30) =>
      `--- ${name} (pid ${pid}) stdout ---\n${gw.stdout().trim().split('\n').slice(-lines).join('\n')}\n--- stderr ---\n${gw.stderr().trim().split('\n').slice(-lines).join('\n')}`,
  };
}

/** For afterAll, failed test or not: SIGKILL every gateway this file started that still runs, by its pid. */
export async function killAllGateways(): Promise<void> {
  const left = [...running];
  running.clear();
  for (const { gw } of left) {
    if (gw.child.pid !== undefined && gw.child.exitCode === null && gw.child.signalCode === null) process.kill(gw.child.pid, 'SIGKILL');
  }
  await Promise.all(left.map(({ gw }) => gw.exited));
  for (const { dataDir } of left) rmSync(dataDir, { recursive: true, force: true });
}
