import { randomUUID } from 'node:crypto';
import type { AlipayPlusClient } from '../../src/alipayplus/alipayplus.client';
import { issuedTokenOf, preparedAuthorizationOf, type ApplyTokenRequest, type PrepareRequest } from '../../src/alipayplus/authorization.transformers';
import type { AcqpOutcome } from '../../src/alipayplus/cancel-token.transformers';
import { loadPrivateKey } from '../../src/signing';
import { TEST_ACQUIRER_ID, TEST_KEYS } from '../support/fixtures';
import { clientFor, PSP_ID, requestFor } from './client-fixtures';
import { startGatewayStub, type GatewayStub } from './gateway-stub';
import { startSimulator, type RunningSimulator } from './simulator-server';

const PREFIX = '/sandbox/alipayplus';
const MERCHANT = '218823863726123456780';
const AUTH_CLIENT = '218823863726123456789';
const REDIRECT = 'https://merchant.example/bound?from=wallet';

const prepareRequest = (overrides: Partial<PrepareRequest> = {}): PrepareRequest => ({
  acquirerId: TEST_ACQUIRER_ID,
  authClientId: AUTH_CLIENT,
  authClientName: 'Test <Shop> & Co',
  referenceMerchantId: MERCHANT,
  customerBelongsTo: 'ALIPAY_CN',
  authRedirectUrl: REDIRECT,
  scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
  authState: randomUUID(),
  terminalType: 'WEB',
  ...overrides,
});

const codeRequest = (authCode: string, overrides: Partial<ApplyTokenRequest> = {}): ApplyTokenRequest => ({
  acquirerId: TEST_ACQUIRER_ID,
  authClientId: AUTH_CLIENT,
  referenceMerchantId: MERCHANT,
  grantType: 'AUTHORIZATION_CODE',
  authCode,
  ...overrides,
});

const refreshRequest = (refreshToken: string): ApplyTokenRequest => ({
  acquirerId: TEST_ACQUIRER_ID,
  authClientId: AUTH_CLIENT,
  referenceMerchantId: MERCHANT,
  grantType: 'REFRESH_TOKEN',
  refreshToken,
});

function bodyOf(outcome: AcqpOutcome): Record<string, unknown> {
  if (outcome.kind !== 'S') throw new Error(`expected S, got ${JSON.stringify(outcome)}`);
  return outcome.body;
}

const tokenOf = (outcome: AcqpOutcome) => issuedTokenOf(bodyOf(outcome))!;

/** Lets the simulator's after-answer work (setImmediate) run. */
const afterAnswer = () => new Promise((resolve) => setImmediate(resolve));

describe('the Alipay+ simulator binding a wallet: prepare, the wallet, applyToken', () => {
  let stub: GatewayStub;
  let sim: RunningSimulator;
  let sut: AlipayPlusClient;

  beforeAll(async () => {
    stub = await startGatewayStub('signed-S');
    sim = await startSimulator({ prefix: PREFIX, gatewayBaseUrl: stub.baseUrl });
    sut = clientFor(sim.baseUrl);
  });
  afterAll(async () => {
    sut.close();
    await sim.close();
    await stub.close();
  });

  const wallet = (query = '') => `${sim.baseUrl}/_simulator/wallet/authorize${query}`;

  /** prepare, then the user authorizes in the wallet (no notification): the auth code. */
  async function authCodeFor(overrides: Partial<PrepareRequest> = {}): Promise<string> {
    const prepared = prepareRequest(overrides);
    bodyOf((await sut.prepare(prepared)).outcome);
    const { authCode } = await sim.simulator.authorizeConsent({ authState: prepared.authState }, { notify: false });
    return authCode;
  }

  describe('prepare and the wallet', () => {
    it('answers S with the consent page under the mount prefix, which serves a form for its ticket', async () => {
      const prepared = prepareRequest({ authRedirectUrl: 'https://merchant.example/bound?from=wallet&lang="en"' });
      const { outcome } = await sut.prepare(prepared);

      const urls = preparedAuthorizationOf(bodyOf(outcome))!;
      expect(urls.authUrl).toMatch(new RegExp(`^${sim.baseUrl}/_simulator/wallet/authorize\\?ticket=[0-9a-f]{32}$`));
      expect(urls.normalUrl).toBe(urls.authUrl);
      const ticket = new URL(urls.authUrl!).searchParams.get('ticket')!;
      expect(sim.simulator.pendingConsent(ticket)).toEqual({
        ticket,
        authState: prepared.authState,
        authClientId: AUTH_CLIENT,
        referenceMerchantId: MERCHANT,
        authRedirectUrl: prepared.authRedirectUrl,
        scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
        customerBelongsTo: 'ALIPAY_CN',
        acquirerId: TEST_ACQUIRER_ID,
        pspId: PSP_ID,
      });
      expect(sim.simulator.received().at(-1)).toMatchObject({ path: `${PREFIX}/aps/api/v1/authorizations/prepare`, signatureValid: true });

      const page = await fetch(urls.authUrl!);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain(`<input type="hidden" name="ticket" value="${ticket}">`);
      expect(html).toContain('https://merchant.example/bound?from=wallet&amp;lang=&quot;en&quot;');
      expect(html).toContain('<form method="post" action="authorize">');
    });

    it('a form post authorizes: 303 back to the merchant with code and state, and AUTHCODE_CREATED goes out', async () => {
      const prepared = prepareRequest();
      const ticket = new URL(preparedAuthorizationOf(bodyOf((await sut.prepare(prepared)).outcome))!.authUrl!).searchParams.get('ticket')!;

      const res = await fetch(wallet(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ticket }).toString(),
        redirect: 'manual',
      });

      expect(res.status).toBe(303);
      const back = new URL(res.headers.get('location')!);
      expect(`${back.origin}${back.pathname}`).toBe('https://merchant.example/bound');
      expect(back.searchParams.get('from')).toBe('wallet');
      expect(back.searchParams.get('authState')).toBe(prepared.authState);
      const authCode = back.searchParams.get('authCode')!;
      expect(authCode).toMatch(/^28101013[0-9A-F]{24}$/);

      const notified = await stub.waitFor((n) => n.body.authCode === authCode);
      expect(notified.body).toMatchObject({
        authorizationNotifyType: 'AUTHCODE_CREATED',
        authClientId: AUTH_CLIENT,
        referenceMerchantId: MERCHANT,
        authState: prepared.authState,
        acquirerId: TEST_ACQUIRER_ID,
        pspId: PSP_ID,
      });
      expect(sim.simulator.notifications().some((n) => n.notifyType === 'AUTHCODE_CREATED' && n.rawBody.includes(authCode))).toBe(true);
      // A ticket is authorized once.
      expect((await fetch(wallet(`?ticket=${ticket}`))).status).toBe(404);
    });

    it('a JSON post by authState answers the code as JSON; an unknown ticket is 404', async () => {
      const prepared = prepareRequest({ authRedirectUrl: 'https://merchant.example/bound' });
      bodyOf((await sut.prepare(prepared)).outcome);

      const res = await fetch(wallet(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authState: prepared.authState }),
      });
      const json = (await res.json()) as { authCode: string; authState: string; redirectUrl: string };
      expect(res.status).toBe(200);
      expect(json.authState).toBe(prepared.authState);
      expect(json.redirectUrl).toBe(`https://merchant.example/bound?authCode=${json.authCode}&authState=${prepared.authState}`);

      const unknown = await fetch(wallet(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ticket":"nope"}' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: 'NOT_FOUND' });
      expect((await fetch(wallet('?ticket=nope'))).status).toBe(404);
    });

    it('F PARAM_ILLEGAL for a prepare without scopes, and no consent opens', async () => {
      const prepared = prepareRequest({ scopes: [] });
      const { outcome } = await sut.prepare(prepared);
      expect(outcome).toMatchObject({ kind: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: 'scopes must be a non-empty array of strings' });
      expect(sim.simulator.pendingConsent({ authState: prepared.authState })).toBeUndefined();
    });
  });

  describe('applyToken with an auth code', () => {
    it('answers S with the token pair, registers it, and announces TOKEN_CREATED once; the same code answers the same pair', async () => {
      const authCode = await authCodeFor();

      const first = tokenOf((await sut.applyToken(codeRequest(authCode))).outcome);
      expect(first).toEqual({
        accessToken: expect.stringMatching(/^28101003[0-9A-F]{32}$/),
        accessTokenExpiryTime: expect.any(Date),
        refreshToken: expect.stringMatching(/^28101003[0-9A-F]{32}$/),
        refreshTokenExpiryTime: expect.any(Date),
        customerId: expect.stringMatching(/^\d{27}$/),
        userLoginId: expect.any(String),
        pspId: PSP_ID,
      });
      expect(sim.simulator.tokenState(first.accessToken)).toBe('ACTIVE');
      const created = await stub.waitFor((n) => n.body.accessToken === first.accessToken);
      expect(created.body).toMatchObject({ authorizationNotifyType: 'TOKEN_CREATED', refreshToken: first.refreshToken, authClientId: AUTH_CLIENT });
      // Alipay+ writes its times with +08:00; the announcement and the answer name the same instant.
      expect(created.body.accessTokenExpiryTime).toMatch(/\+08:00$/);
      expect(new Date(created.body.accessTokenExpiryTime as string)).toEqual(first.accessTokenExpiryTime);

      const again = tokenOf((await sut.applyToken(codeRequest(authCode))).outcome);
      expect(again).toEqual(first);
      await afterAnswer();
      expect(sim.simulator.notifications().filter((n) => n.notifyType === 'TOKEN_CREATED' && n.rawBody.includes(first.accessToken))).toHaveLength(1);
      expect(sim.simulator.received().filter((r) => (r.body as { authCode?: string }).authCode === authCode)).toHaveLength(2);
    });

    it.each([
      ['an unknown code', async () => codeRequest('28101013FFFFFFFFFFFFFFFFFFFFFFFF'), 'INVALID_CODE', 'The authorization code is invalid.'],
      [
        'a code for another auth client',
        async () => codeRequest(await authCodeFor(), { authClientId: '218800000000000000001' }),
        'INVALID_CODE',
        'The authorization code is invalid.',
      ],
    ])('F for %s', async (_case, request, resultCode, resultMessage) => {
      expect((await sut.applyToken(await request())).outcome).toEqual({ kind: 'F', resultCode, resultMessage });
    });

    it('F EXPIRED_CODE once the code has outlived its TTL, exchanged or not', async () => {
      const fresh = await authCodeFor();
      const exchanged = await authCodeFor();
      bodyOf((await sut.applyToken(codeRequest(exchanged))).outcome);

      expect(sim.simulator.expireAuthCode(fresh)).toBe(true);
      expect(sim.simulator.expireAuthCode(exchanged)).toBe(true);
      for (const code of [fresh, exchanged]) {
        expect((await sut.applyToken(codeRequest(code))).outcome).toEqual({
          kind: 'F',
          resultCode: 'EXPIRED_CODE',
          resultMessage: 'The authorization code has expired.',
        });
      }
    });
  });

  describe('applyToken with a refresh token', () => {
    it('rotates: a new pair, the old access token replaced (cancelToken F INVALID_TOKEN), the old refresh token answers the same new pair', async () => {
      const first = tokenOf((await sut.applyToken(codeRequest(await authCodeFor()))).outcome);

      const rotated = tokenOf((await sut.applyToken(refreshRequest(first.refreshToken!))).outcome);
      expect(rotated.accessToken).not.toBe(first.accessToken);
      expect(rotated.refreshToken).not.toBe(first.refreshToken);
      expect(rotated.customerId).toBe(first.customerId);
      expect(sim.simulator.tokenState(first.accessToken)).toBe('REPLACED');
      expect(sim.simulator.tokenState(rotated.accessToken)).toBe('ACTIVE');

      expect(tokenOf((await sut.applyToken(refreshRequest(first.refreshToken!))).outcome)).toEqual(rotated);
      expect((await sut.cancelToken(requestFor(first.accessToken))).outcome).toMatchObject({ kind: 'FAILED', resultCode: 'INVALID_TOKEN' });
      expect((await sut.cancelToken(requestFor(rotated.accessToken))).outcome).toEqual({ kind: 'CANCELED', resultCode: 'SUCCESS' });
      // A canceled binding cannot be refreshed.
      expect((await sut.applyToken(refreshRequest(rotated.refreshToken!))).outcome).toMatchObject({ kind: 'F', resultCode: 'INVALID_REFRESH_TOKEN' });
    });

    it('F EXPIRED_REFRESH_TOKEN past its expiry, F INVALID_REFRESH_TOKEN for one it never issued', async () => {
      const first = tokenOf((await sut.applyToken(codeRequest(await authCodeFor()))).outcome);
      expect(sim.simulator.expireRefreshToken(first.refreshToken!)).toBe(true);

      expect((await sut.applyToken(refreshRequest(first.refreshToken!))).outcome).toEqual({
        kind: 'F',
        resultCode: 'EXPIRED_REFRESH_TOKEN',
        resultMessage: 'The refresh token has expired.',
      });
      expect((await sut.applyToken(refreshRequest('28101003FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'))).outcome).toEqual({
        kind: 'F',
        resultCode: 'INVALID_REFRESH_TOKEN',
        resultMessage: 'The refresh token is invalid.',
      });
    });
  });

  describe('rules', () => {
    it('prepare: F and U as set (no consent opens), per authState', async () => {
      const failing = prepareRequest();
      const unknown = prepareRequest();
      sim.simulator.setPrepareRule(failing.authState, { kind: 'fail', resultCode: 'PROCESS_FAIL' });
      sim.simulator.setPrepareRule(unknown.authState, { kind: 'unknown' });

      expect((await sut.prepare(failing)).outcome).toMatchObject({ kind: 'F', resultCode: 'PROCESS_FAIL' });
      expect((await sut.prepare(unknown)).outcome).toMatchObject({ kind: 'U', resultCode: 'UNKNOWN_EXCEPTION', reason: 'RESULT_U' });
      expect(sim.simulator.pendingConsent({ authState: failing.authState })).toBeUndefined();
      expect(sim.simulator.pendingConsent({ authState: unknown.authState })).toBeUndefined();
    });

    it('prepare: a timeout is U for the client, and the consent did open', async () => {
      const impatient = clientFor(sim.baseUrl, { timeoutMs: 200 });
      const prepared = prepareRequest();
      sim.simulator.setPrepareRule(prepared.authState, { kind: 'timeout', ms: 1_000 });
      try {
        expect((await impatient.prepare(prepared)).outcome).toMatchObject({ kind: 'U', reason: 'TIMEOUT' });
      } finally {
        impatient.close();
      }
      expect(sim.simulator.pendingConsent({ authState: prepared.authState })).toMatchObject({ authClientId: AUTH_CLIENT });
    });

    it('applyToken: F, then U, set through the control route, then the code exchanges', async () => {
      const authCode = await authCodeFor();
      const res = await fetch(`${sim.baseUrl}/_simulator/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api: 'applyToken', authCode, rule: [{ kind: 'fail', resultCode: 'PROCESS_FAIL' }, { kind: 'unknown' }, { kind: 'success' }] }),
      });
      expect(res.status).toBe(200);

      expect((await sut.applyToken(codeRequest(authCode))).outcome).toMatchObject({ kind: 'F', resultCode: 'PROCESS_FAIL' });
      expect((await sut.applyToken(codeRequest(authCode))).outcome).toMatchObject({ kind: 'U', reason: 'RESULT_U' });
      expect(tokenOf((await sut.applyToken(codeRequest(authCode))).outcome).accessToken).toMatch(/^28101003/);
    });

    it('applyToken: a timeout exchanges the code anyway, and the retry gets the same pair', async () => {
      const impatient = clientFor(sim.baseUrl, { timeoutMs: 200 });
      const authCode = await authCodeFor();
      sim.simulator.setApplyTokenRule(authCode, [{ kind: 'timeout', ms: 1_000 }, { kind: 'success' }]);
      try {
        expect((await impatient.applyToken(codeRequest(authCode))).outcome).toMatchObject({ kind: 'U', reason: 'TIMEOUT' });
      } finally {
        impatient.close();
      }
      const retried = tokenOf((await sut.applyToken(codeRequest(authCode))).outcome);
      expect(sim.simulator.tokenState(retried.accessToken)).toBe('ACTIVE');
      expect(
        sim.simulator
          .received()
          .filter((r) => (r.body as { authCode?: string }).authCode === authCode)
          .map((r) => r.answered.heldMs),
      ).toEqual([1_000, undefined]);
    });

    it('refuses a rule for an unknown api', async () => {
      const res = await fetch(`${sim.baseUrl}/_simulator/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api: 'toString', authState: '*', rule: { kind: 'success' } }),
      });
      expect(res.status).toBe(400);
    });
  });

  it('F INVALID_SIGNATURE for prepare and applyToken signed with the wrong key, and nothing happens', async () => {
    const forger = clientFor(sim.baseUrl, { privateKey: loadPrivateKey(TEST_KEYS.alipayPlusPrivate) });
    const authCode = await authCodeFor();
    const prepared = prepareRequest();
    try {
      expect((await forger.prepare(prepared)).outcome).toMatchObject({ kind: 'F', resultCode: 'INVALID_SIGNATURE' });
      expect((await forger.applyToken(codeRequest(authCode))).outcome).toMatchObject({ kind: 'F', resultCode: 'INVALID_SIGNATURE' });
    } finally {
      forger.close();
    }
    expect(sim.simulator.pendingConsent({ authState: prepared.authState })).toBeUndefined();
    expect(sim.simulator.received().at(-1)).toMatchObject({ signatureValid: false, answered: { resultCode: 'INVALID_SIGNATURE' } });
    // The code is still unexchanged: the genuine client gets the token and TOKEN_CREATED.
    const token = tokenOf((await sut.applyToken(codeRequest(authCode))).outcome);
    expect(sim.simulator.tokenState(token.accessToken)).toBe('ACTIVE');
  });
});

describe('the Alipay+ simulator binding a wallet, on a clock it is told', () => {
  let shiftMs = 0;
  const clock = () => Date.now() + shiftMs;
  let sim: RunningSimulator;
  let sut: AlipayPlusClient;

  beforeAll(async () => {
    sim = await startSimulator({ acquirerId: TEST_ACQUIRER_ID, authCodeTtlMs: 60_000, notifyTokenCreated: false, now: clock });
    sut = clientFor(sim.baseUrl, { now: clock });
  });
  afterAll(async () => {
    sut.close();
    await sim.close();
  });
  beforeEach(() => {
    shiftMs = 0;
  });

  async function authCodeFor(): Promise<string> {
    const prepared = prepareRequest();
    bodyOf((await sut.prepare(prepared)).outcome);
    return (await sim.simulator.authorizeConsent({ authState: prepared.authState }, { notify: false })).authCode;
  }

  it('a code lives authCodeTtlMs', async () => {
    const live = await authCodeFor();
    const late = await authCodeFor();
    shiftMs = 55_000;
    bodyOf((await sut.applyToken(codeRequest(live))).outcome);
    shiftMs = 60_000;
    expect((await sut.applyToken(codeRequest(late))).outcome).toMatchObject({ kind: 'F', resultCode: 'EXPIRED_CODE' });
    expect(sim.simulator.notifications()).toHaveLength(0);
  });

  it('a used refresh token answers the same new pair for 5 minutes, then F INVALID_REFRESH_TOKEN', async () => {
    const first = tokenOf((await sut.applyToken(codeRequest(await authCodeFor()))).outcome);
    const rotated = tokenOf((await sut.applyToken(refreshRequest(first.refreshToken!))).outcome);
    shiftMs = 4 * 60_000;
    expect(tokenOf((await sut.applyToken(refreshRequest(first.refreshToken!))).outcome)).toEqual(rotated);
    shiftMs = 5 * 60_000;
    expect((await sut.applyToken(refreshRequest(first.refreshToken!))).outcome).toMatchObject({ kind: 'F', resultCode: 'INVALID_REFRESH_TOKEN' });
    expect(tokenOf((await sut.applyToken(refreshRequest(rotated.refreshToken!))).outcome).accessToken).not.toBe(rotated.accessToken);
  });

  it('F ACCESS_DENIED for another acquirerId, before any rule or state', async () => {
    const prepared = prepareRequest({ acquirerId: '102218800000009999' });
    expect((await sut.prepare(prepared)).outcome).toMatchObject({ kind: 'F', resultCode: 'ACCESS_DENIED' });
    expect((await sut.applyToken(codeRequest(await authCodeFor(), { acquirerId: '102218800000009999' }))).outcome).toMatchObject({
      kind: 'F',
      resultCode: 'ACCESS_DENIED',
    });
    expect(sim.simulator.pendingConsent({ authState: prepared.authState })).toBeUndefined();
  });
});
