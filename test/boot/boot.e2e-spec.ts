import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { startGatewayProcess } from '../support/gateway-process';
import { createTestDatabase, testEngine } from '../support/test-database';
import { TEST_KEYS } from '../support/fixtures';

/**
 * The real binary, as an operator starts it: sandbox with nothing set, fail
 * fast with one line naming the variable, drain on SIGTERM.
 */
describe('gateway boot', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'acqp-boot-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const liveEnv = (extra: Record<string, string>) => ({
    PORT: '0',
    HOST: '127.0.0.1',
    ALIPAYPLUS_BASE_URL: 'https://open-sea-global.alipayplus.com',
    ALIPAYPLUS_CLIENT_ID: 'SANDBOX_5YC47N2ZQHJ004124',
    ALIPAYPLUS_ACQUIRER_ID: '102218800000001234',
    ALIPAYPLUS_PRIVATE_KEY: TEST_KEYS.acqpPrivate,
    ALIPAYPLUS_PUBLIC_KEY: TEST_KEYS.alipayPlusPublic,
    GATEWAY_PRIVATE_KEY: TEST_KEYS.acqpPrivate,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    ADMIN_API_TOKEN: 'boot-test-admin-token-0123456789',
    ...extra,
  });

  async function expectBootFailure(env: Record<string, string>, variable: string) {
    const started = Date.now();
    const gw = startGatewayProcess(env, cwd);
    const code = await gw.exited;
    const elapsed = Date.now() - started;
    expect(code).toBe(1);
    expect(elapsed).toBeLessThan(5_000);
    const lastLine = gw.stderr().trim().split('\n').pop() ?? '';
    expect(lastLine).toMatch(/^acqp-gateway: /);
    expect(lastLine).toContain(variable);
    return lastLine;
  }

  it('starts in sandbox mode with no environment and reports ready on SQLite', async () => {
    const gw = startGatewayProcess({ PORT: '0', HOST: '127.0.0.1' }, cwd);
    try {
      const port = await gw.listening();
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
      expect(gw.stdout()).toContain('SANDBOX MODE');
      // Every line is JSON, and request-scoped lines carry the request id.
      for (const line of gw.stdout().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      gw.child.kill('SIGTERM');
      expect(await gw.exited).toBe(0);
      expect(gw.stdout()).toContain('shutdown complete');
    } finally {
      gw.child.kill('SIGKILL');
    }
  });

  it('refuses sandbox mode in production', async () => {
    await expectBootFailure({ NODE_ENV: 'production', PORT: '0' }, 'NODE_ENV');
  });

  it('fails fast on a DATABASE_URL that is not a URL', async () => {
    const line = await expectBootFailure({ PORT: '0', DATABASE_URL: 'not a url' }, 'DATABASE_URL');
    expect(line).not.toContain('\n');
  });

  it('fails fast on a DATABASE_URL with an unsupported scheme', async () => {
    await expectBootFailure({ PORT: '0', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' }, 'DATABASE_URL');
  });

  it('fails fast, without printing the password, on a DATABASE_URL nothing answers at', async () => {
    const line = await expectBootFailure(liveEnv({ DATABASE_URL: 'mysql://acqp:s3cretpw@127.0.0.1:1/acqp' }), 'DATABASE_URL');
    expect(line).not.toContain('s3cretpw');
  });

  it('fails fast, naming the socket, on a socketPath where no server listens', async () => {
    const line = await expectBootFailure(liveEnv({ DATABASE_URL: `mysql://acqp:s3cretpw@localhost/acqp?socketPath=${join(cwd, 'no.sock')}` }), 'DATABASE_URL');
    expect(line).toContain('no.sock');
    expect(line).not.toContain('s3cretpw');
  });

  // Port 1 answers nothing, so ready means the gateway went through the socket.
  (testEngine() === 'mysql' ? it : it.skip)('connects through the Unix socket named by socketPath (MySQL/MariaDB)', async () => {
    const db = await createTestDatabase();
    const conn = await createConnection({ uri: db.url });
    const [[{ socket }]] = (await conn.query('SELECT @@socket AS socket')) as unknown as [[{ socket: string }]];
    await conn.end();
    const url = new URL(db.url);
    url.hostname = 'localhost';
    url.port = '1';
    url.searchParams.set('socketPath', socket);
    const gw = startGatewayProcess(liveEnv({ DATABASE_URL: url.toString(), DATABASE_MIGRATE_ON_START: 'true' }), cwd);
    try {
      const port = await gw.listening();
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    } finally {
      gw.child.kill('SIGKILL');
      await gw.exited;
      await db.drop();
    }
  });

  it('fails fast on a malformed private key and does not echo it', async () => {
    const line = await expectBootFailure(liveEnv({ ALIPAYPLUS_PRIVATE_KEY: 'MIIBOGUSKEYMATERIAL' }), 'ALIPAYPLUS_PRIVATE_KEY');
    expect(line).not.toContain('MIIBOGUSKEYMATERIAL');
  });

  it('names every bad variable in one line', async () => {
    const line = await expectBootFailure(liveEnv({ PORT: 'eighty', ALIPAYPLUS_PUBLIC_KEY: 'nope', TOKEN_ENCRYPTION_KEY: 'short' }), 'PORT');
    expect(line).toContain('ALIPAYPLUS_PUBLIC_KEY');
    expect(line).toContain('TOKEN_ENCRYPTION_KEY');
  });

  it('names a missing live-mode variable when only part of the Alipay+ set is given', async () => {
    const env = liveEnv({});
    delete (env as Record<string, string>).ALIPAYPLUS_ACQUIRER_ID;
    await expectBootFailure(env, 'ALIPAYPLUS_ACQUIRER_ID');
  });
});
