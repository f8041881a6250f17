import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPrivateKey, loadPublicKey, signMessage } from '../../src/signing';

/**
 * The repository root, found from this file whether it runs from `bench/`
 * (ts) or `dist/bench/` (compiled): the nearest folder with package.json
 * that also holds `test/fixtures`.
 */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the repository root above ${__dirname}`);
}

const pem = (name: string) => readFileSync(join(repoRoot(), 'test', 'fixtures', 'vectors', name), 'utf8');

/** The protocol vectors' test-only keys, as the e2e tests use them (test/support/fixtures.ts). */
export const BENCH_PEMS = {
  acqpPrivate: pem('acqp-test-private.pem'),
  acqpPublic: pem('acqp-test-public.pem'),
  alipayPlusPrivate: pem('alipayplus-test-private.pem'),
  alipayPlusPublic: pem('alipayplus-test-public.pem'),
};

export const BENCH_KEYS = {
  acqpPrivate: loadPrivateKey(BENCH_PEMS.acqpPrivate),
  acqpPublic: loadPublicKey(BENCH_PEMS.acqpPublic),
  alipayPlusPrivate: loadPrivateKey(BENCH_PEMS.alipayPlusPrivate),
  alipayPlusPublic: loadPublicKey(BENCH_PEMS.alipayPlusPublic),
};

/** Same values as test/support/fixtures.ts. */
export const BENCH_CLIENT_ID = 'SANDBOX_5YC47N2ZQHJ004124';
export const BENCH_ACQUIRER_ID = '102218800000001234';
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const BENCH_TOKEN_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export const AUTH_NOTIFY_PATH = '/aps/api/v1/authorizations/authNotify';
export const REVOKE_PATH = '/ams/api/v1/authorizations/revoke';

/**
 * A live-mode gateway environment with the test keys, as testEnvironment() in
 * test/support/test-app.ts builds it, for a child process.
 */
export function gatewayEnvironment(options: {
  port: number;
  databaseUrl: string;
  dataDir: string;
  logLevel: string;
  alipayPlusBaseUrl?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    LOG_LEVEL: options.logLevel,
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    DATABASE_MIGRATE_ON_START: 'true',
    ADMIN_API_TOKEN: BENCH_ADMIN_TOKEN,
    ALIPAYPLUS_BASE_URL: options.alipayPlusBaseUrl ?? 'http://127.0.0.1:9/unused',
    ALIPAYPLUS_CLIENT_ID: BENCH_CLIENT_ID,
    ALIPAYPLUS_ACQUIRER_ID: BENCH_ACQUIRER_ID,
    ALIPAYPLUS_PRIVATE_KEY: BENCH_PEMS.acqpPrivate,
    ALIPAYPLUS_PUBLIC_KEY: BENCH_PEMS.alipayPlusPublic,
    GATEWAY_PRIVATE_KEY: BENCH_PEMS.acqpPrivate,
    TOKEN_ENCRYPTION_KEY: BENCH_TOKEN_ENCRYPTION_KEY,
    ...options.extra,
  };
}

/**
 * How the benches run the gateway's node: with the heap cap it has in
 * production (Dockerfile CMD, `npm start`, `npm run start:prod`), so the
 * peak RSS they report is the deployed one.
 */
export const GATEWAY_NODE_ARGS: readonly string[] = ['--max-old-space-size=128'];

/** Median time of one RSA-2048 signMessage here and now, in ms: what one signed answer or callback costs any process on this machine. */
export function measureSignMs(): number {
  const body = Buffer.from('x'.repeat(600));
  const times: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++)
      signMessage({ method: 'POST', path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, time: new Date().toISOString(), body }, BENCH_KEYS.acqpPrivate);
    times.push((performance.now() - t0) / 20);
  }
  return times.sort((a, b) => a - b)[3];
}
