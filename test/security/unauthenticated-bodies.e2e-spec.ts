import { seedMerchant } from '../support/merchants';
import { postSigned } from '../support/signed-client';
import { TEST_ADMIN_TOKEN } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

/** A 1 MiB JSON array of ones: ~670 ms of CPU to parse and walk, the review found, if anything parses it. */
const HUGE = `[${Array.from({ length: 524_287 }, () => '1').join(',')}]`;

/**
 * Finding 1: every JSON route parsed and walked its body before checking
 * who sent it. Now nothing is parsed before the caller is authenticated.
 * JSON.parse is watched: no call sees a body this size unless the caller
 * signed it (the control proves the watch sees a parse when one happens).
 */
describe(`security: an unauthenticated body is never parsed, on ${testEngine()}`, () => {
  let sut: TestApp;
  let bigParses: number;
  const realParse = JSON.parse;

  beforeAll(async () => {
    sut = await startTestApp({ env: { HTTP_BODY_LIMIT_BYTES: String(2 * 1024 * 1024) } });
  });
  afterAll(async () => {
    JSON.parse = realParse;
    await sut.close();
  });
  beforeEach(() => {
    bigParses = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      if (typeof text === 'string' && text.length > 100_000) bigParses++;
      return realParse(text, reviver);
    }) as typeof JSON.parse;
  });
  afterEach(() => {
    JSON.parse = realParse;
  });

  const unsigned = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${sut.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: HUGE });

  it.each([
    ['authNotify', '/aps/api/v1/authorizations/authNotify', 'INVALID_SIGNATURE'],
    ['consultUnbinding', '/aps/api/v1/authorizations/consultUnbinding', 'INVALID_SIGNATURE'],
    // No merchant signs as SOMEONE: refused on the key look-up, before any parse.
    ['revoke', '/ams/api/v1/authorizations/revoke', 'KEY_NOT_FOUND'],
    ['query', '/ams/api/v1/authorizations/query', 'KEY_NOT_FOUND'],
    ['status', '/ams/sandbox/api/v1/authorizations/status', 'KEY_NOT_FOUND'],
  ])('%s: a signed refusal, and the body never parsed', async (_name, path, code) => {
    const res = await unsigned(path, {
      'client-id': 'SOMEONE',
      'request-time': new Date().toISOString(),
      signature: 'algorithm=RSA256,keyVersion=1,signature=QUJD',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('signature')).toMatch(/^algorithm=RSA256,/);
    expect(((await res.json()) as { result: { resultCode: string } }).result.resultCode).toBe(code);
    expect(bigParses).toBe(0);
  });

  it('admin API: 401 for a wrong token, and the body never parsed', async () => {
    const res = await unsigned('/admin/v1/merchants', { authorization: 'Bearer not-the-admin-token-0123456789' });
    expect(res.status).toBe(401);
    expect(bigParses).toBe(0);
  });

  it('console log-in: a body bigger than a form is not read as one', async () => {
    const res = await fetch(`${sut.baseUrl}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TEST_ADMIN_TOKEN}&pad=${'x'.repeat(1024 * 1024)}`,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('control: a signed body of the same size is parsed (the watch does see parses)', async () => {
    const merchant = await seedMerchant(sut.app);
    const answer = await postSigned(sut.baseUrl, '/ams/api/v1/authorizations/query', HUGE, { privateKey: merchant.privateKey, clientId: merchant.clientId });
    expect(answer.json.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(bigParses).toBe(1);
    // And the admin token holder's body is parsed too.
    await fetch(`${sut.baseUrl}/admin/v1/merchants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: HUGE,
    });
    expect(bigParses).toBe(2);
  });
});
