import { ManualClock } from '../../src/common/clock';
import { MAX_IN_FLIGHT_PER_ADDRESS } from '../../src/operators/auth-throttle';
import { newMerchantBody } from '../admin/admin-client';
import { TEST_ADMIN_TOKEN } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';

/**
 * Finding 4: console log-in took 145 wrong tokens a second, and the admin
 * bearer as many, with no 429, no log line, no lockout; admin writes left no
 * record of who made them, and there was one shared token, so no "who".
 * Now: failed log-ins are throttled per client address (growing locks, then
 * 429), each failure is a warn line and a metric; operators have named
 * tokens with roles; every admin write is an audit row; console sessions and
 * throttles live in the database, so two instances share them.
 *
 * The gateways trust 127.0.0.1 as their proxy (TRUST_PROXY), so each test
 * is its own client address through X-Forwarded-For.
 */
describe(`security: throttled log-ins, named operators and the audit trail, on ${testEngine()}`, () => {
  const clock = new ManualClock(new Date());
  const logLines: string[] = [];
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Two instances on one database, as behind a load balancer.
    a = await startTestApp({ db, clock, logLines, env: { TRUST_PROXY: '127.0.0.1' } });
    b = await startTestApp({ db, clock, env: { TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const logIn = (sut: TestApp, ip: string, token: string) =>
    fetch(`${sut.baseUrl}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    });
  const admin = (sut: TestApp, ip: string, token: string, method = 'GET', path = '/admin/v1/merchants', body?: unknown) =>
    fetch(`${sut.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (res: Response) => (await res.json()) as any;
  const metric = async (sut: TestApp, name: string, surface: string) => {
    const text = await (await fetch(`${sut.baseUrl}/metrics`)).text();
    return Number(new RegExp(`^${name}\\{surface="${surface}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  };

  it('locks a console log-in address out after 5 wrong tokens, on every instance, then lets it in once the lock is over', async () => {
    const ip = '203.0.113.10';
    const wrong = `${TEST_ADMIN_TOKEN}-wrong`;
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await logIn(a, ip, wrong)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);

    // Locked now, for a second: the right token too, and on the other instance.
    const locked = await logIn(b, ip, TEST_ADMIN_TOKEN);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect(locked.headers.get('set-cookie')).toBeNull();
    // Another address is not held up.
    expect((await logIn(a, '203.0.113.11', TEST_ADMIN_TOKEN)).status).toBe(303);

    clock.advance(1_000);
    expect((await logIn(b, ip, TEST_ADMIN_TOKEN)).status).toBe(303);

    const failures = logLines.filter((l) => l.includes('"operator authentication failed"') && l.includes(ip));
    expect(failures).toHaveLength(6);
    expect(failures.every((l) => l.includes('"level":"warn"') && l.includes('"surface":"console"'))).toBe(true);
    expect(logLines.some((l) => l.includes(wrong) || l.includes(TEST_ADMIN_TOKEN))).toBe(false);
    expect(await metric(a, 'acqp_auth_failures_total', 'console')).toBe(6);
  });

  it('throttles wrong admin bearer tokens the same way, growing the lock, with 429 in the error envelope', async () => {
    const ip = '203.0.113.20';
    for (let i = 0; i < 6; i++) expect((await admin(a, ip, `guess-${i}-0123456789abcdef`)).status).toBe(401);
    const first = await admin(b, ip, TEST_ADMIN_TOKEN);
    expect(first.status).toBe(429);
    expect(await json(first)).toEqual({
      error: { code: 'REQUEST_TRAFFIC_EXCEED_LIMIT', message: 'too many failed authentications from this address; retry in 1 s' },
    });
    clock.advance(1_000);
    expect((await admin(a, ip, 'one-more-guess-0123456789')).status).toBe(401);
    expect((await admin(b, ip, TEST_ADMIN_TOKEN)).headers.get('retry-after')).toBe('2');
    clock.advance(2_000);
    expect((await admin(b, ip, TEST_ADMIN_TOKEN)).status).toBe(200);
    expect(await metric(b, 'acqp_auth_throttled_total', 'admin')).toBeGreaterThanOrEqual(1);
  });

  it('gives the attempts that arrive together as a lock ends one turn between them, on every instance', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < 6; i++) expect((await admin(a, ip, `guess-${i}-0123456789abcdef`)).status).toBe(401);
    clock.advance(1_000);
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => admin(i % 2 ? a : b, ip, `burst-${i}-0123456789abcdef`)));
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(19);
  });

  it('does not let a valid token clear the failures counted against its address', async () => {
    const ip = '203.0.113.51';
    for (let i = 0; i < 6; i++) expect((await admin(a, ip, `guess-${i}-0123456789abcdef`)).status).toBe(401);
    clock.advance(1_000);
    expect((await admin(a, ip, TEST_ADMIN_TOKEN)).status).toBe(200);
    // Had the success reset the count, this guess would be a free one and the token after it welcome.
    expect((await admin(b, ip, 'after-success-0123456789abcdef')).status).toBe(401);
    const next = await admin(a, ip, TEST_ADMIN_TOKEN);
    expect(next.status).toBe(429);
    expect(next.headers.get('retry-after')).toBe('2');
  });

  it(`bounds a first burst of concurrent guesses from a fresh address to ${MAX_IN_FLIGHT_PER_ADDRESS} per instance`, async () => {
    const ip = '203.0.113.52';
    const burst = await Promise.all(Array.from({ length: 3 * MAX_IN_FLIGHT_PER_ADDRESS }, (_, i) => admin(a, ip, `first-${i}-0123456789abcdef`)));
    const guessed = burst.filter((r) => r.status === 401).length;
    expect(guessed).toBeGreaterThanOrEqual(1);
    expect(guessed).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_ADDRESS);
    expect(burst.filter((r) => r.status === 429).length).toBe(burst.length - guessed);
  });

  it('gives operators named tokens with roles, and records every write with who made it', async () => {
    const ip = '203.0.113.30';
    const created = await json(await admin(a, ip, TEST_ADMIN_TOKEN, 'POST', '/admin/v1/operators', { name: 'rita', role: 'read-only' }));
    expect(created.operator).toMatchObject({ name: 'rita', role: 'read-only', status: 'ACTIVE', createdBy: 'bootstrap' });
    expect(created.token).toMatch(/^acqp_op_[A-Za-z0-9_-]{43}$/);
    const alice = await json(await admin(a, ip, TEST_ADMIN_TOKEN, 'POST', '/admin/v1/operators', { name: 'alice', role: 'admin' }));
    // Shown once: never in a list.
    expect(JSON.stringify(await json(await admin(a, ip, TEST_ADMIN_TOKEN, 'GET', '/admin/v1/operators')))).not.toContain(created.token);

    expect(await json(await admin(b, ip, created.token, 'GET', '/admin/v1/operators/me'))).toEqual({
      id: created.operator.id,
      name: 'rita',
      role: 'read-only',
    });
    expect((await admin(b, ip, created.token)).status).toBe(200);
    const denied = await admin(b, ip, created.token, 'POST', '/admin/v1/merchants', newMerchantBody());
    expect(denied.status).toBe(403);
    expect((await json(denied)).error.code).toBe('ACCESS_DENIED');
    // A look-up sent as POST is a read.
    expect((await admin(b, ip, created.token, 'POST', '/admin/v1/tokens/lookup', { accessToken: 'NO-SUCH-TOKEN-0123456789' })).status).toBe(404);

    const merchant = await json(await admin(a, ip, alice.token, 'POST', '/admin/v1/merchants', newMerchantBody()));
    expect(merchant.id).toEqual(expect.any(String));

    const audit = (await json(await admin(a, ip, alice.token, 'GET', '/admin/v1/audit'))).items as Array<Record<string, unknown>>;
    expect(audit.map((e) => [e.actor, e.action, e.status])).toEqual(
      expect.arrayContaining([
        ['alice', 'POST /admin/v1/merchants', 201],
        ['rita', 'POST /admin/v1/merchants', 403],
        ['bootstrap', 'POST /admin/v1/operators', 201],
      ]),
    );
    expect(audit.find((e) => e.actor === 'alice')).toMatchObject({ target: `created=${merchant.id}`, ip, role: 'admin' });
    // Reads are not recorded, and no token is.
    expect(audit.some((e) => String(e.action).startsWith('GET '))).toBe(false);
    expect(JSON.stringify(audit)).not.toContain('acqp_op_');
    expect(logLines.some((l) => l.includes('"operator action"') && l.includes('"actor":"alice"'))).toBe(true);
  });

  it('shows who is logged in, shares the session across instances, and ends it when the operator is revoked', async () => {
    const ip = '203.0.113.40';
    const ops = await json(await admin(a, ip, TEST_ADMIN_TOKEN, 'POST', '/admin/v1/operators', { name: 'olga', role: 'admin' }));
    const login = await logIn(a, ip, ops.token);
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];

    const page = await fetch(`${b.baseUrl}/console/merchants`, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Signed in as <strong>olga</strong> (admin)');
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(html)![1];
    const viaSession = await fetch(`${b.baseUrl}/admin/v1/operators/me`, { headers: { cookie, 'x-csrf-token': csrf } });
    expect(await json(viaSession)).toMatchObject({ name: 'olga' });

    const revoked = await json(await admin(b, ip, TEST_ADMIN_TOKEN, 'POST', `/admin/v1/operators/${ops.operator.id}/revoke`));
    expect(revoked).toMatchObject({ status: 'REVOKED', revokedAt: expect.any(String) });
    expect((await admin(a, ip, ops.token)).status).toBe(401);
    expect((await fetch(`${a.baseUrl}/console/merchants`, { headers: { cookie }, redirect: 'manual' })).headers.get('location')).toBe('/console/login');
    const audit = (await json(await admin(a, ip, TEST_ADMIN_TOKEN, 'GET', '/admin/v1/audit?actor=olga'))).items as Array<Record<string, unknown>>;
    expect(audit.map((e) => e.action)).toContain('console.login');
  });
});
