import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { adminClient, type AdminClient } from './admin-client';

interface Route {
  method: string;
  path: string;
}

describe(`admin API authentication on ${testEngine()}`, () => {
  let sut: TestApp;
  let admin: AdminClient;
  let routes: Route[];

  beforeAll(async () => {
    // Every route is tried with a wrong token from one address: lockouts have their own spec (test/security).
    sut = await startTestApp({ env: { AUTH_FAILURES_BEFORE_LOCKOUT: '1000' } });
    admin = adminClient(sut.baseUrl);
    const doc: any = await (await fetch(`${sut.baseUrl}/docs/openapi.json`)).json();
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/admin/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
  });
  afterAll(() => sut.close());

  /** Path parameters get a random id; the guard must refuse before anything looks the id up. */
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, () => randomUUID());
  const bodyFor = (method: string) => (['POST', 'PATCH', 'PUT'].includes(method) ? {} : undefined);

  it('documents every admin route under the admin tag with bearer auth', async () => {
    const doc: any = await (await fetch(`${sut.baseUrl}/docs/openapi.json`)).json();
    expect(routes.length).toBeGreaterThanOrEqual(24);
    for (const { method, path } of routes) {
      const op = doc.paths[path][method.toLowerCase()];
      expect({ route: `${method} ${path}`, tags: op.tags, security: op.security }).toEqual({
        route: `${method} ${path}`,
        tags: ['admin'],
        security: [{ admin: [] }],
      });
    }
  });

  it('answers 401 with a JSON error on every admin route without a token', async () => {
    for (const { method, path } of routes) {
      const answer = await admin.call(method, concrete(path), bodyFor(method), { token: null });
      expect({ route: `${method} ${path}`, status: answer.status }).toEqual({ route: `${method} ${path}`, status: 401 });
      expect(answer.json.error.code).toBe('UNAUTHORIZED');
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('answers 401 on every admin route with a wrong token, and never echoes it', async () => {
    const wrong = `wrong-${randomUUID()}`;
    for (const { method, path } of routes) {
      const answer = await admin.call(method, concrete(path), bodyFor(method), { token: wrong });
      expect({ route: `${method} ${path}`, status: answer.status }).toEqual({ route: `${method} ${path}`, status: 401 });
      expect(answer.raw).not.toContain(wrong);
    }
  });

  it.each([
    ['another scheme', 'Basic dGVzdA=='],
    ['the token without its scheme', 'test-admin-token-0123456789abcdef'],
    ['a token prefix', 'Bearer test-admin-token'],
    ['the token with extra characters', 'Bearer test-admin-token-0123456789abcdefX'],
  ])('refuses %s', async (_case, header) => {
    const res = await fetch(`${sut.baseUrl}/admin/v1/merchants`, { headers: { Authorization: header } });
    expect(res.status).toBe(401);
  });

  it('checks the token before the body: a stranger learns nothing from a broken body', async () => {
    const answer = await admin.post('/admin/v1/merchants', undefined, { token: null, rawBody: '{broken' });
    expect(answer.status).toBe(401);
  });

  it('lets the right token through', async () => {
    const answer = await admin.get('/admin/v1/merchants');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ items: expect.any(Array), nextCursor: null });
  });
});
