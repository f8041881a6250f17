import { adminClient, newMerchantBody } from '../admin/admin-client';
import { TEST_ADMIN_TOKEN } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { consoleLogin } from './console-client';

/** The console's session and CSRF rules over plain HTTP (the browser test drives the pages themselves). */
describe(`console session on ${testEngine()}`, () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${sut.baseUrl}${path}`, { headers, redirect: 'manual' });
  const postForm = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${sut.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const api = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${sut.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('sends a stranger to the log-in page, which is strict about what it loads', async () => {
    expect((await get('/console')).headers.get('location')).toBe('/console/merchants');
    const page = await get('/console/deliveries');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/login');

    const login = await get('/console/login');
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toContain('text/html');
    expect(login.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(login.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(login.headers.get('cache-control')).toBe('no-store');
    const html = await login.text();
    expect(html).toContain('<label for="token">');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('sets an HttpOnly, SameSite=Strict cookie holding a random id, never the token', async () => {
    const { setCookie, cookie, csrfToken } = await consoleLogin(sut.baseUrl);
    expect(setCookie).toMatch(/^acqp_console=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain(TEST_ADMIN_TOKEN);
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfToken).not.toBe(cookie.split('=')[1]);
    const page = await get('/console/merchants', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(TEST_ADMIN_TOKEN);
    // Logged in already: the log-in page sends the operator on.
    expect((await get('/console/login', { cookie })).headers.get('location')).toBe('/console/merchants');
  });

  it('refuses a wrong token and a log-in posted from another site, setting no cookie', async () => {
    const wrong = await postForm('/console/login', { token: `${TEST_ADMIN_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('That is not an operator token.');
    expect((await postForm('/console/login', {})).status).toBe(401);

    const crossSite = await postForm('/console/login', { token: TEST_ADMIN_TOKEN }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const fetchMeta = await postForm('/console/login', { token: TEST_ADMIN_TOKEN }, { 'sec-fetch-site': 'cross-site' });
    expect(fetchMeta.status).toBe(403);
  });

  it('lets the session into the admin API only together with its CSRF token, on reads and writes', async () => {
    const { cookie, csrfToken } = await consoleLogin(sut.baseUrl);
    const other = await consoleLogin(sut.baseUrl);

    expect((await api('GET', '/admin/v1/merchants', { cookie })).status).toBe(401);
    expect((await api('GET', '/admin/v1/merchants', { cookie, 'x-csrf-token': other.csrfToken })).status).toBe(401);
    expect((await api('GET', '/admin/v1/merchants', { 'x-csrf-token': csrfToken })).status).toBe(401);
    expect((await api('POST', '/admin/v1/merchants', { cookie }, newMerchantBody())).status).toBe(401);

    expect((await api('GET', '/admin/v1/merchants', { cookie, 'x-csrf-token': csrfToken })).status).toBe(200);
    const created = await api('POST', '/admin/v1/merchants', { cookie, 'x-csrf-token': csrfToken }, newMerchantBody());
    expect(created.status).toBe(201);
    // The stats and delivery routes the console added are admin routes like the others.
    expect((await api('GET', '/admin/v1/stats/activity', { cookie, 'x-csrf-token': csrfToken })).status).toBe(200);
    expect((await api('GET', '/admin/v1/stats/activity', {})).status).toBe(401);
  });

  it('judges a request that sends a bearer token by that token alone', async () => {
    const { cookie, csrfToken } = await consoleLogin(sut.baseUrl);
    const answer = await api('GET', '/admin/v1/merchants', { cookie, 'x-csrf-token': csrfToken, authorization: 'Bearer wrong-token-wrong-token-wrong' });
    expect(answer.status).toBe(401);
    expect((await adminClient(sut.baseUrl).get('/admin/v1/merchants')).status).toBe(200);
  });

  it('logs out with the CSRF token only, then the cookie opens nothing', async () => {
    const { cookie, csrfToken } = await consoleLogin(sut.baseUrl);
    const forged = await fetch(`${sut.baseUrl}/console/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': 'forged' } });
    expect(forged.status).toBe(403);
    expect((await api('GET', '/admin/v1/merchants', { cookie, 'x-csrf-token': csrfToken })).status).toBe(200);

    const out = await fetch(`${sut.baseUrl}/console/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('acqp_console=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
    expect((await api('GET', '/admin/v1/merchants', { cookie, 'x-csrf-token': csrfToken })).status).toBe(401);
    const page = await get('/console/merchants', { cookie });
    expect(page.headers.get('location')).toBe('/console/login');
    expect(page.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('logs out from the plain form too (no JavaScript), with the token as a field', async () => {
    const { cookie, csrfToken } = await consoleLogin(sut.baseUrl);
    const out = await postForm('/console/logout', { csrf: csrfToken }, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/console/login');
    expect((await api('GET', '/admin/v1/merchants', { cookie, 'x-csrf-token': csrfToken })).status).toBe(401);
  });

  it('serves its assets from the gateway, and nothing it does not know', async () => {
    const css = await get('/console/assets/console.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    const js = await get('/console/assets/core.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await get('/console/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await get('/console/nope', { cookie: (await consoleLogin(sut.baseUrl)).cookie })).status).toBe(404);
  });
});
