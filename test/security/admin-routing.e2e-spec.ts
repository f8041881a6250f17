import { adminClient, type AdminClient } from '../admin/admin-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

/**
 * Finding 8: an unknown admin route answered 404 before authentication, in
 * Nest's body rather than our envelope, and `?status=BOGUS` answered 200
 * with an empty list. Now the admin API authenticates before routing, and a
 * bad enum in a filter is a 400 that names the field.
 */
describe(`security: the admin API authenticates before routing, on ${testEngine()}`, () => {
  let sut: TestApp;
  let admin: AdminClient;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = adminClient(sut.baseUrl);
  });
  afterAll(() => sut.close());

  it.each(['/admin/v1/no-such-thing', '/admin/v1/merchants/x/y/z', '/admin/anything', '/admin'])(
    '%s: 401 in our envelope without a token, 404 in our envelope with one',
    async (path) => {
      const stranger = await admin.get(path, { token: null });
      expect({ status: stranger.status, body: stranger.json }).toEqual({
        status: 401,
        body: { error: { code: 'UNAUTHORIZED', message: 'a valid admin bearer token is required' } },
      });
      const operator = await admin.get(path);
      expect({ status: operator.status, body: operator.json }).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such admin route' } } });
    },
  );

  it.each(['/%61dmin/v1/merchants', '/%61%64%6d%69%6e/v1/operators/me', '/admin%2Fv1/merchants'])(
    '%s: a path the router reads as an admin route is authenticated like one',
    async (path) => {
      const stranger = await admin.get(path, { token: null });
      expect(stranger.status).toBe(401);
      expect(stranger.json).toEqual({ error: { code: 'UNAUTHORIZED', message: 'a valid admin bearer token is required' } });
    },
  );

  it('answers a bad enum in a filter with 400 naming the field', async () => {
    const answer = await admin.get('/admin/v1/deliveries?status=BOGUS');
    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual({ code: 'PARAM_ILLEGAL', message: 'status: must be one of PENDING, LEASED, DELIVERED, FAILED' });
    expect((await admin.get('/admin/v1/deliveries?status=FAILED')).status).toBe(200);
  });
});
