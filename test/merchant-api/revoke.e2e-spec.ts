import { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { CancelTokenJobEntity } from '../../src/authorizations/cancel-token-job.entity';
import { EventEntity } from '../../src/callbacks/event.entity';
import { ManualClock } from '../../src/common/clock';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { CancelTokenWorker } from '../../src/authorizations/cancel-token.worker';
import { startSimulator, type RunningSimulator } from '../alipayplus/simulator-server';
import { TEST_ACQUIRER_ID } from '../support/fixtures';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

const REVOKE = '/ams/api/v1/authorizations/revoke';
const AUTH_NOTIFY = '/aps/api/v1/authorizations/authNotify';

describe(`merchant revoke on ${testEngine()}`, () => {
  let sim: RunningSimulator;
  let sut: TestApp;
  let db: DataSource;
  let vault: TokenVault;
  // One clock for the gateway and the simulator, so moving it keeps signed times inside both skew windows.
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    sim = await startSimulator({ retrySchedule: [0, 20, 40, 80, 160, 320], now: () => clock.now().getTime() });
    sut = await startTestApp({
      clock,
      env: { ALIPAYPLUS_BASE_URL: sim.baseUrl, ALIPAYPLUS_TIMEOUT_MS: '400', REVOKE_BUDGET_MS: '1500', CANCEL_TOKEN_POLL_MS: '25' },
    });
    sim.simulator.setGatewayBaseUrl(sut.baseUrl);
    db = sut.app.get(DataSource);
    vault = sut.app.get(TokenVault);
  });
  afterAll(async () => {
    await sut.close();
    await sim.close();
  });

  /** An ACTIVE token of `merchant`, created through a real signed TOKEN_CREATED. */
  async function activeToken(merchant: TestMerchant) {
    const n = notificationSet(merchant.referenceMerchantId);
    const answer = await postSigned(sut.baseUrl, AUTH_NOTIFY, n.tokenCreated, { requestTime: clock.now().toISOString() });
    expect(answer.json.result.resultStatus).toBe('S');
    return n;
  }

  /** Signed the way the official Antom SDKs sign: ISO time, pretty-printed JSON (indent 3). */
  const revoke = (merchant: TestMerchant, body: object | string, call: Record<string, unknown> = {}, path = REVOKE) =>
    postSigned(sut.baseUrl, path, typeof body === 'string' ? body : JSON.stringify(body, null, 3), {
      privateKey: merchant.privateKey,
      clientId: merchant.clientId,
      requestTime: clock.now().toISOString(),
      ...call,
    });

  const tokenRow = (token: string) => db.manager.findOneOrFail(AuthorizationEntity, { where: { accessTokenHash: vault.lookupHash('access-token', token) } });
  const cancellations = async (token: string) =>
    db.manager.count(EventEntity, { where: { authorizationId: (await tokenRow(token)).id, eventType: 'TOKEN_CANCELED' } });
  /**
   * Moves the shared clock past each retry delay and lets the worker and the
   * simulator act, until `until` holds (bounded by real time: the I/O is real).
   */
  const settle = async (until: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await until())) {
      if (Date.now() > deadline) throw new Error('did not settle in time');
      clock.advance(10_000);
      await sut.app.get(CancelTokenWorker).runOnce();
      await sim.simulator.flushRetries();
    }
  };

  it('cancels through Alipay+ cancelToken with the right ids and answers a signed S', async () => {
    const merchant = await seedMerchant(sut.app);
    const n = await activeToken(merchant);
    const passThroughInfo = JSON.stringify({ reason: '用户解绑', channel: 'app' });
    const answer = await revoke(merchant, { accessToken: n.accessToken, passThroughInfo });

    expect(answer.status).toBe(200);
    expect(answer.signatureValid).toBe(true);
    expect(answer.headers.get('client-id')).toBe(merchant.clientId);
    expect(answer.json).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });

    const calls = sim.simulator.receivedFor(n.accessToken);
    expect(calls).toHaveLength(1);
    expect(calls[0].signatureValid).toBe(true);
    expect(JSON.parse(calls[0].rawBody)).toEqual({
      pspId: n.tokenCreated.pspId,
      acquirerId: TEST_ACQUIRER_ID,
      accessToken: n.accessToken,
      authClientId: n.tokenCreated.authClientId,
      passThroughInfo,
    });
    expect(await tokenRow(n.accessToken)).toMatchObject({ status: 'CANCELED', cancelSource: 'ACQUIRER' });

    // The ACQUIRER echo from Alipay+ lands too, and is the same cancellation.
    await settle(async () => sim.simulator.pendingNotifications().length === 0);
    await Promise.all(sim.simulator.notifications().map((h) => h.settled));
    expect(await cancellations(n.accessToken)).toBe(1);
  });

  it('answers S again for a token that is already canceled, without calling Alipay+', async () => {
    const merchant = await seedMerchant(sut.app);
    const n = await activeToken(merchant);
    expect((await revoke(merchant, { accessToken: n.accessToken })).json.result.resultStatus).toBe('S');
    const again = await revoke(merchant, { accessToken: n.accessToken });
    expect(again.json.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(sim.simulator.receivedFor(n.accessToken)).toHaveLength(1);
  });

  it('answers an unknown token and another merchant’s token identically, with F INVALID_ACCESS_TOKEN', async () => {
    const owner = await seedMerchant(sut.app);
    const other = await seedMerchant(sut.app);
    const n = await activeToken(owner);
    const foreign = await revoke(other, { accessToken: n.accessToken });
    const unknown = await revoke(other, { accessToken: `${n.accessToken.slice(0, -4)}0000` });
    expect(foreign.json).toEqual(unknown.json);
    expect(foreign.json.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_ACCESS_TOKEN' });
    expect(foreign.signatureValid).toBe(true);
    expect((await tokenRow(n.accessToken)).status).toBe('ACTIVE');
    expect(sim.simulator.receivedFor(n.accessToken)).toHaveLength(0);
  });

  it('answers U when Alipay+ answers U, then settles in the background with the same accessToken', async () => {
    const merchant = await seedMerchant(sut.app);
    const n = await activeToken(merchant);
    sim.simulator.setRule(n.accessToken, { kind: 'failTimesThenSucceed', times: 3, with: 'unknown' });
    const answer = await revoke(merchant, { accessToken: n.accessToken });
    expect(answer.json.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    expect((await tokenRow(n.accessToken)).status).toBe('CANCELING');

    await settle(async () => (await tokenRow(n.accessToken)).status === 'CANCELED');
    const calls = sim.simulator.receivedFor(n.accessToken);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(new Set(calls.map((c) => JSON.parse(c.rawBody).accessToken))).toEqual(new Set([n.accessToken]));
    expect((await revoke(merchant, { accessToken: n.accessToken })).json.result.resultStatus).toBe('S');
    expect(await cancellations(n.accessToken)).toBe(1);
  });

  it('answers U when Alipay+ times out, then settles in the background', async () => {
    const merchant = await seedMerchant(sut.app);
    const n = await activeToken(merchant);
    sim.simulator.setRule(n.accessToken, { kind: 'failTimesThenSucceed', times: 1, with: 'timeout', holdMs: 1_000 });
    const answer = await revoke(merchant, { accessToken: n.accessToken });
    expect(answer.json.result.resultStatus).toBe('U');
    await settle(async () => (await tokenRow(n.accessToken)).status === 'CANCELED');
    expect((await tokenRow(n.accessToken)).cancelSource).toBe('ACQUIRER');
  });

  it('makes exactly one cancelToken call for 20 concurrent revokes of one token', async () => {
    const merchant = await seedMerchant(sut.app);
    const n = await activeToken(merchant);
    const answers = await Promise.all(Array.from({ length: 20 }, () => revoke(merchant, { accessToken: n.accessToken })));
    expect(answers.map((a) => a.json.result.resultStatus)).toEqual(Array(20).fill('S'));
    expect(sim.simulator.receivedFor(n.accessToken)).toHaveLength(1);
    expect(await db.manager.count(CancelTokenJobEntity, { where: { authorizationId: (await tokenRow(n.accessToken)).id } })).toBe(1);
  });

  it('serves the sandbox path the SDKs use for SANDBOX_ client ids', async () => {
    const merchant = await seedMerchant(sut.app);
    const n = await activeToken(merchant);
    const answer = await revoke(merchant, { accessToken: n.accessToken }, {}, '/ams/sandbox/api/v1/authorizations/revoke');
    expect(answer.json.result.resultStatus).toBe('S');
    expect(answer.signatureValid).toBe(true);
  });

  describe('bad requests get a signed F and change nothing', () => {
    const stale = () => new Date(clock.now().getTime() - 3_600_000).toISOString();
    const cases: Array<[string, (m: TestMerchant, token: string) => Promise<any>, string]> = [
      ['a bad signature', (m, t) => revoke(m, { accessToken: t }, { signatureHeader: 'algorithm=RSA256,keyVersion=1,signature=QUJD' }), 'INVALID_SIGNATURE'],
      ['a missing signature', (m, t) => revoke(m, { accessToken: t }, { signatureHeader: null }), 'INVALID_SIGNATURE'],
      ['an unknown client id', (m, t) => revoke(m, { accessToken: t }, { clientId: 'MERCHANT_NOBODY' }), 'KEY_NOT_FOUND'],
      ['a stale time', (m, t) => revoke(m, { accessToken: t }, { requestTime: stale() }), 'INVALID_SIGNATURE'],
      ['an oversized accessToken', (m) => revoke(m, { accessToken: 'A'.repeat(129) }), 'PARAM_ILLEGAL'],
      ['an oversized passThroughInfo', (m, t) => revoke(m, { accessToken: t, passThroughInfo: 'x'.repeat(20001) }), 'PARAM_ILLEGAL'],
      ['a missing accessToken', (m) => revoke(m, { merchantAccountId: 'SUB' }), 'PARAM_ILLEGAL'],
      ['"" for an optional field', (m, t) => revoke(m, { accessToken: t, merchantAccountId: '' }), 'PARAM_ILLEGAL'],
      ['an unknown sub-merchant', (m, t) => revoke(m, { accessToken: t, merchantAccountId: 'NOT_MINE' }), 'PARAM_ILLEGAL'],
      ['invalid JSON', (m) => revoke(m, '{"accessToken": '), 'PARAM_ILLEGAL'],
    ];
    it.each(cases)('%s', async (_name, send, code) => {
      const merchant = await seedMerchant(sut.app);
      const n = await activeToken(merchant);
      const jobsBefore = await db.manager.count(CancelTokenJobEntity);
      const answer = await send(merchant, n.accessToken);
      expect(answer.status).toBe(200);
      expect(answer.signatureValid).toBe(true);
      expect(answer.json.result).toMatchObject({ resultStatus: 'F', resultCode: code });
      expect((await tokenRow(n.accessToken)).status).toBe('ACTIVE');
      expect(await db.manager.count(CancelTokenJobEntity)).toBe(jobsBefore);
      expect(sim.simulator.receivedFor(n.accessToken)).toHaveLength(0);
    });
  });

  it('answers U REQUEST_TRAFFIC_EXCEED_LIMIT past the merchant’s rate limit', async () => {
    const merchant = await seedMerchant(sut.app, { rateLimitPerSecond: 2 });
    const answers = await Promise.all(Array.from({ length: 4 }, () => revoke(merchant, { accessToken: 'UNKNOWN_TOKEN_123' })));
    const codes = answers.map((a) => a.json.result.resultCode).sort();
    expect(codes).toEqual(['INVALID_ACCESS_TOKEN', 'INVALID_ACCESS_TOKEN', 'REQUEST_TRAFFIC_EXCEED_LIMIT', 'REQUEST_TRAFFIC_EXCEED_LIMIT']);
    expect(answers.find((a) => a.json.result.resultCode === 'REQUEST_TRAFFIC_EXCEED_LIMIT')!.json.result.resultStatus).toBe('U');
  });

  it('tells a merchant its token status over the same signed API', async () => {
    const merchant = await seedMerchant(sut.app);
    const n = await activeToken(merchant);
    const before = await revoke(merchant, { accessToken: n.accessToken }, {}, '/ams/api/v1/authorizations/status');
    expect(before.json).toMatchObject({ result: { resultStatus: 'S' }, tokenStatus: 'ACTIVE', callbackDeliveries: [] });
    await revoke(merchant, { accessToken: n.accessToken });
    const after = await revoke(merchant, { accessToken: n.accessToken }, {}, '/ams/api/v1/authorizations/status');
    expect(after.json).toMatchObject({ tokenStatus: 'CANCELED', tokenCancelSource: 'ACQUIRER' });
    expect(after.signatureValid).toBe(true);
  });
});
