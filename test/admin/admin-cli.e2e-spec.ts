import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES_DIR, TEST_ADMIN_TOKEN } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { adminClient, newPublicKeyPem, unique, type AdminClient } from './admin-client';

/** Built by `npm test` (tsc runs first); run `npx tsc -p tsconfig.json` before running this file alone. */
const CLI = resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'admin.cli.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

describe(`admin CLI on ${testEngine()}`, () => {
  let sut: TestApp;
  let admin: AdminClient;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.json)`);
    sut = await startTestApp();
    admin = adminClient(sut.baseUrl);
    dir = mkdtempSync(join(tmpdir(), 'acqp-admin-cli-'));
  });
  afterAll(async () => {
    await sut.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI as an operator would: its own process, cwd without a .env, talking HTTP to the running gateway. */
  const cli = (args: string[], env: Record<string, string> = { ADMIN_API_TOKEN: TEST_ADMIN_TOKEN }, url = sut.baseUrl): Promise<CliRun> =>
    new Promise((done) => {
      const childEnv = { PATH: process.env.PATH ?? '', ...env };
      execFile(process.execPath, [CLI, ...args, '--url', url], { cwd: dir, env: childEnv, timeout: 20_000 }, (err, stdout, stderr) => {
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr, json });
      });
    });

  const keyFile = () => {
    const path = join(dir, `${unique('key-')}.pem`);
    writeFileSync(path, newPublicKeyPem());
    return path;
  };

  it('creates a merchant from a key file; the merchant then exists in the API', async () => {
    const reference = unique('2188');
    const run = await cli([
      'merchants:create',
      '--reference-merchant-id',
      reference,
      '--name',
      'CLI Shop',
      '--client-id',
      unique('CLI_'),
      '--public-key-file',
      keyFile(),
    ]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      referenceMerchantId: reference,
      name: 'CLI Shop',
      status: 'ACTIVE',
      publicKeyFingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const fetched = await admin.get(`/admin/v1/merchants/${run.json.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json.referenceMerchantId).toBe(reference);
  });

  it('runs sub-merchant, endpoint, key and token commands through the same API', async () => {
    const m = (await cli(['merchants:create', '--reference-merchant-id', unique('2188'), '--name', 'x', '--client-id', unique('CLI_')])).json;
    const sub = await cli(['sub-merchants:create', '--merchant-id', m.id, '--merchant-account-id', 'S1', '--name', 'Store']);
    expect(sub.json).toMatchObject({ merchantId: m.id, merchantAccountId: 'S1' });
    const endpoint = await cli([
      'endpoints:create',
      '--merchant-id',
      m.id,
      '--sub-merchant-id',
      sub.json.id,
      '--endpoint-url',
      'https://store.example/h',
      '--signing-scheme',
      'STANDARD_WEBHOOKS',
      '--event-types',
      'TOKEN_CANCELED,TOKEN_CREATED',
    ]);
    expect(endpoint.stderr).toBe('');
    expect(endpoint.json).toMatchObject({ eventTypes: ['TOKEN_CANCELED', 'TOKEN_CREATED'], secret: expect.stringMatching(/^whsec_/) });
    const listed = await cli(['endpoints:list', '--merchant-id', m.id]);
    expect(listed.json.items.map((e: any) => e.id)).toEqual([endpoint.json.id]);
    expect(listed.stdout).not.toContain(endpoint.json.secret);

    expect((await cli(['merchants:rotate-key', '--id', m.id, '--public-key-file', keyFile()])).json.publicKeyFingerprint).toEqual(expect.any(String));
    expect((await cli(['merchants:update', '--id', m.id, '--rate-limit-per-second', '10'])).json.rateLimitPerSecond).toBe(10);
    expect((await cli(['merchants:disable', '--id', m.id])).json.status).toBe('DISABLED');
    expect((await cli(['deliveries:list', '--merchant-id', m.id])).json).toEqual({ items: [], nextCursor: null });
  });

  it("prints the gateway's public key as PEM and as bare base64, both the key openssl derives from GATEWAY_PRIVATE_KEY", async () => {
    // The test gateway signs with the vectors' ACQP key (test/support/test-app.ts).
    const privatePem = join(FIXTURES_DIR, 'vectors', 'acqp-test-private.pem');
    const opensslPem = execFileSync('openssl', ['pkey', '-in', privatePem, '-pubout'], { encoding: 'utf8' });
    const opensslDer = execFileSync('openssl', ['pkey', '-in', privatePem, '-pubout', '-outform', 'DER']);

    const whole = await cli(['gateway:public-key']);
    expect(whole.code).toBe(0);
    expect(whole.json).toMatchObject({ pem: opensslPem, base64: opensslDer.toString('base64'), algorithm: 'RSA256', keyVersion: '1' });
    const pem = await cli(['gateway:public-key', '--field', 'pem']);
    expect(pem.stdout).toBe(opensslPem);
    const base64 = await cli(['gateway:public-key', '--field', 'base64']);
    expect(base64.stdout).toBe(`${opensslDer.toString('base64')}\n`);
    // What an SDK does with it: openssl reads the bare base64 as the same key.
    const file = join(dir, 'gateway-public.der');
    writeFileSync(file, Buffer.from(base64.stdout.trim(), 'base64'));
    expect(execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', file], { encoding: 'utf8' })).toBe(opensslPem);

    const missing = await cli(['gateway:public-key', '--field', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no field nope');
  });

  it('creates, lists and revokes named operator tokens; the token is printed once and then works; the audit trail names who', async () => {
    const name = unique('cli-').toLowerCase();
    const created = await cli(['operators:create', '--name', name, '--role', 'admin']);
    expect(created.code).toBe(0);
    expect(created.json.token).toMatch(/^acqp_op_/);
    const token = created.json.token as string;
    expect((await cli(['operators:me'], { ADMIN_API_TOKEN: token })).json).toEqual({ id: created.json.operator.id, name, role: 'admin' });
    await cli(['merchants:create', '--reference-merchant-id', unique('2188'), '--name', 'By Op', '--client-id', unique('CLI_')], { ADMIN_API_TOKEN: token });
    const audit = await cli(['audit:list', '--actor', name]);
    expect(audit.json.items.map((e: any) => [e.actor, e.action, e.status])).toEqual([[name, 'POST /admin/v1/merchants', 201]]);
    expect((await cli(['operators:list'])).stdout).not.toContain(token);

    expect((await cli(['operators:revoke', '--id', created.json.operator.id])).json.status).toBe('REVOKED');
    const after = await cli(['operators:me'], { ADMIN_API_TOKEN: token });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('401 UNAUTHORIZED');
  });

  it("exits 1 with the API's error message when the API refuses", async () => {
    const reference = unique('2188');
    await cli(['merchants:create', '--reference-merchant-id', reference, '--name', 'x', '--client-id', unique('CLI_')]);
    const dup = await cli(['merchants:create', '--reference-merchant-id', reference, '--name', 'y', '--client-id', unique('CLI_')]);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toBe('');
    expect(dup.stderr).toContain('409 CONFLICT: referenceMerchantId: a merchant with this id already exists');

    const unknown = await cli(['tokens:lookup', '--access-token', 'NO-SUCH-TOKEN-0123456789']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404 NOT_FOUND');
    expect(unknown.stderr).not.toContain('NO-SUCH-TOKEN');
  });

  it('exits 1 on a wrong token or an unreachable gateway, and 2 on a bad command line', async () => {
    const wrong = await cli(['merchants:list'], { ADMIN_API_TOKEN: 'not-the-admin-token-at-all' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('401 UNAUTHORIZED');
    expect(wrong.stderr).not.toContain('not-the-admin-token-at-all');

    const down = await cli(['merchants:list'], { ADMIN_API_TOKEN: TEST_ADMIN_TOKEN }, 'http://127.0.0.1:9');
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach http://127.0.0.1:9');

    const bad = await cli(['merchants:get']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('merchants:get needs --id');
    expect((await cli(['merchants:explode'])).code).toBe(2);
  });

  it('reads the token from --token-file, or from the sandbox token file under DATA_DIR', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, `${TEST_ADMIN_TOKEN}\n`);
    expect((await cli(['merchants:list', '--token-file', file], {})).code).toBe(0);

    const dataDir = join(dir, 'elsewhere');
    mkdirSync(join(dataDir, 'sandbox'), { recursive: true });
    writeFileSync(join(dataDir, 'sandbox', 'admin-api-token'), TEST_ADMIN_TOKEN);
    expect((await cli(['merchants:list'], { DATA_DIR: dataDir })).code).toBe(0);
    const none = await cli(['merchants:list'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no admin token');
  });
});
