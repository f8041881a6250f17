import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthCodeEntity } from '../../src/authorizations/auth-code.entity';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { AutoExchangeWorker } from '../../src/bindings/auto-exchange.worker';
import { ConsultationEntity } from '../../src/bindings/consultation.entity';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { adminClient, type AdminClient } from '../admin/admin-client';
import { startSimulator, type RunningSimulator } from '../alipayplus/simulator-server';
import { startReceiver, waitFor, type Receiver } from '../callbacks/callback-receiver';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

const CONSULT = '/ams/api/v1/authorizations/consult';
const APPLY_TOKEN = '/ams/api/v1/authorizations/applyToken';
const APPLY_TOKEN_PATH = '/aps/api/v1/authorizations/applyToken';

/**
 * Binding through the gateway on a real database and real HTTP, against the
 * Alipay+ simulator: consult → the wallet's consent → AUTHCODE_CREATED →
 * applyToken, and the races the issue names: the same code twice, the
 * automatic exchange against the merchant's own call, Alipay+'s
 * TOKEN_CREATED after our own applyToken, an expired code.
 */
describe(`binding (consult, applyToken) on ${testEngine()}`, () => {
  let sim: RunningSimulator;
  let sut: TestApp;
  let db: DataSource;
  let vault: TokenVault;
  let admin: AdminClient;
  let receiver: Receiver;

  beforeAll(async () => {
    sim = await startSimulator({ retrySchedule: [0, 50, 100, 200] });
    sut = await startTestApp({
      env: {
        ALIPAYPLUS_BASE_URL: sim.baseUrl,
        ALIPAYPLUS_TIMEOUT_MS: '1500',
        // Polls slow enough that a race below is between the two callers, not a timer.
        CANCEL_TOKEN_POLL_MS: '60000',
        CALLBACK_POLL_MS: '50',
        CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      },
    });
    sim.simulator.setGatewayBaseUrl(sut.baseUrl);
    db = sut.app.get(DataSource);
    vault = sut.app.get(TokenVault);
    admin = adminClient(sut.baseUrl);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await sut?.close();
    await sim?.close();
    await receiver?.close();
  });

  const call = (m: TestMerchant, path: string, body: object) =>
    postSigned(sut.baseUrl, path, JSON.stringify(body), { privateKey: m.privateKey, clientId: m.clientId });
  const consult = (m: TestMerchant, authState: string) =>
    call(m, CONSULT, {
      customerBelongsTo: 'ALIPAY_CN',
      authRedirectUrl: 'https://merchant.example/bound',
      scopes: ['AGREEMENT_PAY'],
      authState,
      terminalType: 'WEB',
    });
  const applyToken = (m: TestMerchant, authCode: string) => call(m, APPLY_TOKEN, { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'ALIPAY_CN', authCode });

  /** A merchant whose user consented in the wallet: its auth code, announced to the gateway by AUTHCODE_CREATED. */
  async function consentedCode(m: TestMerchant): Promise<{ authCode: string; authState: string }> {
    const authState = randomUUID();
    expect((await consult(m, authState)).json.result.resultStatus).toBe('S');
    const consent = await sim.simulator.authorizeConsent({ authState });
    return { authCode: consent.authCode, authState };
  }

  const tokensFrom = async (authCode: string) => {
    const code = await db.manager.findOneByOrFail(AuthCodeEntity, { authCodeHash: vault.lookupHash('auth-code', authCode) });
    return db.manager.findBy(AuthorizationEntity, { authCodeId: code.id });
  };
  const applyTokenCalls = (authCode: string) =>
    sim.simulator.received().filter((r) => r.path.endsWith(APPLY_TOKEN_PATH) && (r.body as { authCode?: string } | undefined)?.authCode === authCode);

  it('consults Alipay+ prepare with the merchant as auth client and records the authState; the token timeline starts there', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode, authState } = await consentedCode(m);
    const prepare = sim.simulator.received().find((r) => (r.body as { authState?: string } | undefined)?.authState === authState)!;
    expect(prepare.body).toMatchObject({ authClientId: m.referenceMerchantId, referenceMerchantId: m.referenceMerchantId, scopes: ['AGREEMENT_PAY'] });
    expect(await db.manager.countBy(ConsultationEntity, { merchantId: m.id, authState, resultStatus: 'S' })).toBe(1);

    const answer = await applyToken(m, authCode);
    expect(answer.json.result.resultStatus).toBe('S');
    const [token] = await tokensFrom(authCode);
    const detail = await admin.get(`/admin/v1/tokens/${token.id}`);
    expect(detail.json.timeline.consultations).toMatchObject([{ authState, resultStatus: 'S' }]);
    expect(detail.json.timeline.authCode).toMatchObject({ authState, exchangeStatus: 'EXCHANGED', exchangeAttempts: 1 });
    expect(detail.json.timeline.merchantRequests).toMatchObject([{ api: 'applyToken', resultStatus: 'S' }]);
    // Operators see tokens masked, never whole.
    expect(detail.raw).not.toContain(answer.json.accessToken);
  });

  it('is idempotent on authCode: concurrent and repeated calls get one token from one Alipay+ call', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    // Alipay+ answers slowly, so the calls overlap while the first one asks.
    sim.simulator.setApplyTokenRule(authCode, { kind: 'timeout', ms: 300 });
    const answers = await Promise.all([applyToken(m, authCode), applyToken(m, authCode), applyToken(m, authCode)]);
    const again = await applyToken(m, authCode);
    for (const a of [...answers, again]) expect(a.json.result.resultStatus).toBe('S');
    expect(new Set([...answers, again].map((a) => a.json.accessToken)).size).toBe(1);
    expect(applyTokenCalls(authCode)).toHaveLength(1);
    expect(await tokensFrom(authCode)).toHaveLength(1);
  });

  it('another merchant cannot exchange the code: the answer is that of an unknown code, and nothing is asked', async () => {
    const owner = await seedMerchant(sut.app);
    const other = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(owner);
    const answer = await applyToken(other, authCode);
    expect(answer.json.result).toMatchObject({ resultCode: 'INVALID_CODE', resultStatus: 'F' });
    expect(applyTokenCalls(authCode)).toHaveLength(0);
    expect((await applyToken(owner, authCode)).json.result.resultStatus).toBe('S');
  });

  it('answers an expired code with a clear F from Alipay+, and keeps answering it', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    sim.simulator.expireAuthCode(authCode);
    const first = await applyToken(m, authCode);
    const second = await applyToken(m, authCode);
    expect(first.json.result).toMatchObject({ resultCode: 'EXPIRED_CODE', resultStatus: 'F' });
    expect(first.json.result.resultMessage).toMatch(/expired/i);
    expect(second.json.result).toMatchObject({ resultCode: 'EXPIRED_CODE', resultStatus: 'F' });
    expect(first.json.accessToken).toBeUndefined();
    expect(applyTokenCalls(authCode)).toHaveLength(1);
    expect(await tokensFrom(authCode)).toHaveLength(0);
  });

  it('answers U while Alipay+ has not answered, then S with the same code; the U changes nothing', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    sim.simulator.setApplyTokenRule(authCode, [{ kind: 'unknown' }, { kind: 'success' }]);
    const u = await applyToken(m, authCode);
    expect(u.json.result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
    expect(await tokensFrom(authCode)).toHaveLength(0);
    const s = await applyToken(m, authCode);
    expect(s.json.result.resultStatus).toBe('S');
    expect(await tokensFrom(authCode)).toHaveLength(1);
  });

  it("takes Alipay+'s TOKEN_CREATED after our own applyToken as a duplicate: one token, one callback", async () => {
    const m = await seedMerchant(sut.app);
    const endpoint = await admin.post(`/admin/v1/merchants/${m.id}/endpoints`, { url: receiver.url(`/created/${m.id}`), eventTypes: ['TOKEN_CREATED'] });
    expect(endpoint.status).toBe(201);
    const { authCode } = await consentedCode(m);
    const answer = await applyToken(m, authCode);
    expect(answer.json.result.resultStatus).toBe('S');
    const accessToken = answer.json.accessToken as string;

    // The simulator announces the token it issued; wait until the gateway has acknowledged it.
    await waitFor(
      () => sim.simulator.notificationAttempts().some((a) => a.rawBody.includes(accessToken) && a.rawBody.includes('TOKEN_CREATED') && a.acknowledged),
      'TOKEN_CREATED acknowledged',
    );
    await waitFor(() => receiver.received.some((c) => c.path === `/created/${m.id}`), 'the TOKEN_CREATED callback');
    await sim.simulator.flushRetries();
    expect(await db.manager.countBy(AuthorizationEntity, { accessTokenHash: vault.lookupHash('access-token', accessToken) })).toBe(1);
    const callbacks = receiver.received.filter((c) => c.path === `/created/${m.id}`);
    expect(callbacks).toHaveLength(1);
    expect(JSON.parse(callbacks[0].raw)).toMatchObject({ notifyType: 'TOKEN_CREATED', accessToken });
  });

  it('exchanges AUTHCODE_CREATED codes itself for a merchant that turned it on, and sends the TOKEN_CREATED callback', async () => {
    const m = await seedMerchant(sut.app, { autoExchange: true });
    await admin.post(`/admin/v1/merchants/${m.id}/endpoints`, { url: receiver.url(`/auto/${m.id}`), eventTypes: ['TOKEN_CREATED'] });
    const authState = randomUUID();
    expect((await consult(m, authState)).json.result.resultStatus).toBe('S');
    const consent = await sim.simulator.authorizeConsent({ authState });
    await waitFor(() => receiver.received.some((c) => c.path === `/auto/${m.id}`), 'the TOKEN_CREATED callback of the automatic exchange');
    const [token] = await tokensFrom(consent.authCode);
    const callback = JSON.parse(receiver.received.find((c) => c.path === `/auto/${m.id}`)!.raw);
    expect(callback).toMatchObject({ notifyType: 'TOKEN_CREATED', accessToken: vault.decrypt(token.accessTokenEnc) });
    // The merchant, not racing this time, gets the same token.
    expect((await applyToken(m, consent.authCode)).json.accessToken).toBe(callback.accessToken);
    expect(applyTokenCalls(consent.authCode)).toHaveLength(1);
  });

  it('keeps a merchant without the automatic exchange waiting for its own applyToken', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    await sut.app.get(AutoExchangeWorker).runOnce();
    expect(applyTokenCalls(authCode)).toHaveLength(0);
    expect(await tokensFrom(authCode)).toHaveLength(0);
  });

  it('exchanges AUTHCODE_CREATED codes itself for a merchant that turned it on, racing its own applyToken: one token', async () => {
    const m = await seedMerchant(sut.app, { autoExchange: true });
    const authState = randomUUID();
    expect((await consult(m, authState)).json.result.resultStatus).toBe('S');
    // Alipay+ holds its answer, so the automatic exchange is still asking when the merchant calls.
    sim.simulator.setApplyTokenRule('*', { kind: 'timeout', ms: 300 });
    try {
      const consent = await sim.simulator.authorizeConsent({ authState });
      const [mine] = await Promise.all([applyToken(m, consent.authCode), sut.app.get(AutoExchangeWorker).runOnce()]);
      expect(mine.json.result.resultStatus).toBe('S');
      const tokens = await tokensFrom(consent.authCode);
      expect(tokens).toHaveLength(1);
      expect(vault.decrypt(tokens[0].accessTokenEnc)).toBe(mine.json.accessToken);
      expect(applyTokenCalls(consent.authCode)).toHaveLength(1);
      const code = await db.manager.findOneByOrFail(AuthCodeEntity, { authCodeHash: vault.lookupHash('auth-code', consent.authCode) });
      expect(code).toMatchObject({ exchangeStatus: 'EXCHANGED', authorizationId: tokens[0].id });
    } finally {
      sim.simulator.setApplyTokenRule('*', null);
    }
  });

  it('refreshes a token in place: a new pair, the old token and refresh token dead, one record', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    const first = (await applyToken(m, authCode)).json;
    const refresh = (refreshToken: string) => call(m, APPLY_TOKEN, { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'ALIPAY_CN', refreshToken });
    const renewed = await refresh(first.refreshToken as string);
    expect(renewed.json.result.resultStatus).toBe('S');
    expect(renewed.json.accessToken).not.toBe(first.accessToken);
    expect(renewed.json.refreshToken).not.toBe(first.refreshToken);
    const tokens = await tokensFrom(authCode);
    expect(tokens).toHaveLength(1);
    expect(vault.decrypt(tokens[0].accessTokenEnc)).toBe(renewed.json.accessToken);
    const spent = await refresh(first.refreshToken as string);
    expect(spent.json.result).toMatchObject({ resultCode: 'INVALID_REFRESH_TOKEN', resultStatus: 'F' });
  });

  it("finds the token of a code whose answer was lost, through Alipay+'s TOKEN_CREATED, without asking again", async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    // Alipay+ issues the token but answers after our 1.5 s timeout: U, and its TOKEN_CREATED follows.
    sim.simulator.setApplyTokenRule(authCode, { kind: 'timeout', ms: 2_000 });
    const lost = await applyToken(m, authCode);
    expect(lost.json.result.resultStatus).toBe('U');
    await waitFor(
      () =>
        sim.simulator.notificationAttempts().some((a) => a.rawBody.includes('TOKEN_CREATED') && a.rawBody.includes(m.referenceMerchantId) && a.acknowledged),
      'the TOKEN_CREATED of the lost answer',
    );
    const found = await applyToken(m, authCode);
    expect(found.json.result.resultStatus).toBe('S');
    expect(applyTokenCalls(authCode)).toHaveLength(1);
    expect(await tokensFrom(authCode)).toHaveLength(1);
  });

  it('leaves the code free after a refusal that is not about the code, and keeps one that is', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    sim.simulator.setApplyTokenRule(authCode, [{ kind: 'fail', resultCode: 'PROCESS_FAIL' }, { kind: 'success' }]);
    expect((await applyToken(m, authCode)).json.result).toMatchObject({ resultCode: 'PROCESS_FAIL', resultStatus: 'F' });
    expect((await applyToken(m, authCode)).json.result.resultStatus).toBe('S');
    expect(applyTokenCalls(authCode)).toHaveLength(2);
  });

  it("takes the merchant's applyToken before AUTHCODE_CREATED, which then completes the code: the timeline still starts at the consult", async () => {
    const m = await seedMerchant(sut.app);
    const authState = randomUUID();
    expect((await consult(m, authState)).json.result.resultStatus).toBe('S');
    const consent = await sim.simulator.authorizeConsent({ authState }, { notify: false });
    const answer = await applyToken(m, consent.authCode);
    expect(answer.json.result.resultStatus).toBe('S');
    const late = await postSigned(
      sut.baseUrl,
      '/aps/api/v1/authorizations/authNotify',
      JSON.stringify({ authorizationNotifyType: 'AUTHCODE_CREATED', authCode: consent.authCode, authState, referenceMerchantId: m.referenceMerchantId }),
    );
    expect(late.json.result.resultStatus).toBe('S');
    const [token] = await tokensFrom(consent.authCode);
    const detail = await admin.get(`/admin/v1/tokens/${token.id}`);
    expect(detail.json.timeline.consultations).toMatchObject([{ authState }]);
    expect(detail.json.timeline.notifications.map((n: { type: string }) => n.type)).toContain('AUTHCODE_CREATED');
  });

  it('refuses to refresh a token that is being revoked, without asking Alipay+', async () => {
    const m = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(m);
    const token = (await applyToken(m, authCode)).json;
    sim.simulator.setRule(token.accessToken as string, { kind: 'unknown' });
    const revoke = await call(m, '/ams/api/v1/authorizations/revoke', { accessToken: token.accessToken });
    expect(revoke.json.result.resultStatus).toBe('U');
    const before = sim.simulator.received().length;
    const refresh = await call(m, APPLY_TOKEN, { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'ALIPAY_CN', refreshToken: token.refreshToken });
    expect(refresh.json.result).toMatchObject({ resultCode: 'INVALID_REFRESH_TOKEN', resultStatus: 'F' });
    expect(
      sim.simulator
        .received()
        .slice(before)
        .some((r) => r.path.endsWith(APPLY_TOKEN_PATH)),
    ).toBe(false);
  });

  it("never lets a body's own `merchant` field stand in for the merchant that signed", async () => {
    const victim = await seedMerchant(sut.app);
    const attacker = await seedMerchant(sut.app);
    const { authCode } = await consentedCode(victim);
    const impersonation = { merchant: { id: victim.id, referenceMerchantId: victim.referenceMerchantId, name: 'Victim' } };
    const stolen = await call(attacker, APPLY_TOKEN, { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'ALIPAY_CN', authCode, ...impersonation });
    expect(stolen.json.result).toMatchObject({ resultCode: 'INVALID_CODE', resultStatus: 'F' });
    const token = (await applyToken(victim, authCode)).json.accessToken as string;
    const revoke = await call(attacker, '/ams/api/v1/authorizations/revoke', { accessToken: token, ...impersonation });
    expect(revoke.json.result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
    const consulted = await call(attacker, CONSULT, {
      customerBelongsTo: 'ALIPAY_CN',
      authRedirectUrl: 'https://attacker.example/',
      scopes: ['AGREEMENT_PAY'],
      authState: randomUUID(),
      terminalType: 'WEB',
      ...impersonation,
    });
    expect(consulted.json.result.resultStatus).toBe('S');
    expect(await db.manager.countBy(ConsultationEntity, { merchantId: victim.id })).toBe(1);
  });

  it("refuses an authClientId other than the merchant's own", async () => {
    const m = await seedMerchant(sut.app);
    const answer = await call(m, CONSULT, {
      customerBelongsTo: 'ALIPAY_CN',
      authRedirectUrl: 'https://m.example/',
      scopes: ['AGREEMENT_PAY'],
      authState: randomUUID(),
      terminalType: 'WEB',
      authClientId: 'SOMEONE_ELSE',
    });
    expect(answer.json.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
    expect(answer.json.result.resultMessage).toContain('authClientId');
  });

  it('refuses a bad request precisely and stores nothing', async () => {
    const m = await seedMerchant(sut.app);
    const before = await db.manager.count(AuthCodeEntity);
    const missingCode = await call(m, APPLY_TOKEN, { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'ALIPAY_CN' });
    expect(missingCode.json.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
    expect(missingCode.json.result.resultMessage).toContain('authCode');
    const badGrant = await call(m, APPLY_TOKEN, { grantType: 'PASSWORD', customerBelongsTo: 'ALIPAY_CN', authCode: 'x' });
    expect(badGrant.json.result.resultMessage).toContain('grantType');
    const noScopes = await call(m, CONSULT, {
      customerBelongsTo: 'ALIPAY_CN',
      authRedirectUrl: 'https://m.example/',
      scopes: [],
      authState: 's',
      terminalType: 'WEB',
    });
    expect(noScopes.json.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
    const unsigned = await postSigned(
      sut.baseUrl,
      APPLY_TOKEN,
      JSON.stringify({ grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'ALIPAY_CN', authCode: 'abc' }),
      {
        clientId: m.clientId,
      },
    );
    expect(unsigned.json.result.resultStatus).toBe('F');
    expect(await db.manager.count(AuthCodeEntity)).toBe(before);
    expect(await db.manager.countBy(ConsultationEntity, { merchantId: m.id })).toBe(0);
  });
});
