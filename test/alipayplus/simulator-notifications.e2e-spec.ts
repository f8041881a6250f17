import { AlipayPlusClient } from '../../src/alipayplus/alipayplus.client';
import { AUTH_NOTIFY_PATH } from '../../src/alipayplus/cancel-token.transformers';
import { tokenCanceledBody, tokenCreatedBody } from '../../src/alipayplus/simulator';
import { loadPrivateKey, loadPublicKey, verifyInboundRequest } from '../../src/signing';
import { TEST_CLIENT_ID, TEST_KEYS } from '../support/fixtures';
import { startGatewayStub, type GatewayStub, type StubNotification } from './gateway-stub';
import { startSimulator, type RunningSimulator } from './simulator-server';

const ALIPAYPLUS_PUBLIC = loadPublicKey(TEST_KEYS.alipayPlusPublic);
const MERCHANT = '218823863726123456780';
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

/** What the gateway would check first: the notification is signed by Alipay+ over the path and raw body. */
function verifiesAsAlipayPlus(n: StubNotification): boolean {
  return verifyInboundRequest(
    { method: 'POST', path: n.path, headers: n.headers, rawBody: Buffer.from(n.rawBody, 'utf8') },
    { publicKeys: [ALIPAYPLUS_PUBLIC], nowMs: Date.now(), skewMs: 5 * 60_000 },
  ).ok;
}

describe('the Alipay+ simulator delivering authNotify', () => {
  let stub: GatewayStub;
  let sim: RunningSimulator;

  beforeEach(async () => {
    stub = await startGatewayStub('signed-S');
    sim = await startSimulator({ gatewayBaseUrl: stub.baseUrl });
  });
  afterEach(async () => {
    await sim.close();
    await stub.close();
  });

  it('issues an authorization: AUTHCODE_CREATED then TOKEN_CREATED, signed, with every field, acknowledged', async () => {
    const issued = await sim.simulator.issueAuthorization({ referenceMerchantId: MERCHANT });

    expect(stub.received.map((n) => n.body.authorizationNotifyType)).toEqual(['AUTHCODE_CREATED', 'TOKEN_CREATED']);
    expect(stub.received.every(verifiesAsAlipayPlus)).toBe(true);
    expect(stub.received[0].path).toBe(AUTH_NOTIFY_PATH);
    expect(stub.received[0].headers['client-id']).toBe(TEST_CLIENT_ID);
    expect(stub.received[0].headers['request-time']).toMatch(ISO_WITH_OFFSET);
    expect(stub.received[0].body).toEqual({
      authorizationNotifyType: 'AUTHCODE_CREATED',
      authClientId: issued.authClientId,
      referenceMerchantId: MERCHANT,
      authCode: issued.authCode,
      authState: issued.authState,
      referenceAgreementId: issued.referenceAgreementId,
      customerId: issued.customerId,
      acquirerId: issued.acquirerId,
      pspId: issued.pspId,
    });
    const created = stub.received[1].body;
    expect(Object.keys(created).sort()).toEqual(
      [
        'authorizationNotifyType',
        'authClientId',
        'referenceMerchantId',
        'referenceAgreementId',
        'accessToken',
        'accessTokenExpiryTime',
        'refreshToken',
        'refreshTokenExpiryTime',
        'scopes',
        'customerId',
        'userLoginId',
        'acquirerId',
        'pspId',
        'walletForAccountBinding',
      ].sort(),
    );
    expect(created).toMatchObject({
      accessToken: issued.accessToken,
      accessTokenExpiryTime: expect.stringMatching(ISO_WITH_OFFSET),
      refreshTokenExpiryTime: expect.stringMatching(ISO_WITH_OFFSET),
      scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
      walletForAccountBinding: { walletName: expect.any(String), walletBrandName: expect.any(String), walletLogo: expect.any(Object) },
    });
    expect(issued.accessToken).toMatch(/^28101003[0-9A-F]{32}$/);
    expect(issued.authCode).toHaveLength(32);
    expect(issued.customerId).toMatch(/^\d{27}$/);
    expect(Date.parse(issued.refreshTokenExpiryTime)).toBeGreaterThan(Date.parse(issued.accessTokenExpiryTime));

    const outcomes = await Promise.all([issued.notifications.authCodeCreated!.settled, issued.notifications.tokenCreated!.settled]);
    expect(outcomes.map((o) => o.state)).toEqual(['ACKNOWLEDGED', 'ACKNOWLEDGED']);
    expect(sim.simulator.pendingNotifications()).toHaveLength(0);
  });

  it.each([
    ['an unsigned S', 'unsigned-S', 'UNSIGNED'],
    ['a signed F', 'signed-F', 'NOT_S'],
    ['HTTP 500', 'http500', 'HTTP_STATUS'],
    ['an S signed with another key', 'wrong-key-S', 'BAD_SIGNATURE'],
  ] as const)('retries after %s until the gateway answers properly', async (_case, mode, verdict) => {
    stub.setMode(mode);
    const handle = sim.simulator.notify(tokenCanceledBody({ accessToken: 'T-RETRY', acquirerId: '1022', pspId: '1023' }, 'PSP'));
    const [first] = await handle.firstAttempt;
    expect(first).toMatchObject({ attempt: 1, verdict, acknowledged: false });
    expect(sim.simulator.pendingNotifications()).toEqual([expect.objectContaining({ id: handle.id, attempts: 1 })]);

    await sim.simulator.flushRetries();
    expect(handle.state()).toBe('PENDING');
    stub.setMode('signed-S');
    await sim.simulator.flushRetries();

    const outcome = await handle.settled;
    expect(outcome.state).toBe('ACKNOWLEDGED');
    expect(outcome.attempts.map((a) => a.verdict)).toEqual([verdict, verdict, 'ACKNOWLEDGED']);
    expect(stub.received).toHaveLength(3);
    expect(new Set(stub.received.map((n) => n.rawBody)).size).toBe(1);
    expect(stub.received.every(verifiesAsAlipayPlus)).toBe(true);
  });

  it('gives up once the retry schedule is used up', async () => {
    const shortSim = await startSimulator({ gatewayBaseUrl: stub.baseUrl, retrySchedule: [0, 60_000, 60_000] });
    stub.setMode('http500');
    try {
      const handle = shortSim.simulator.notify({ authorizationNotifyType: 'TOKEN_CANCELED', accessToken: 'T-GIVE-UP', tokenCancelSource: 'PSP' });
      await handle.firstAttempt;
      await shortSim.simulator.flushRetries();
      await shortSim.simulator.flushRetries();
      const outcome = await handle.settled;
      expect(outcome.state).toBe('GAVE_UP');
      expect(outcome.attempts).toHaveLength(3);
      await shortSim.simulator.flushRetries();
      expect(stub.received).toHaveLength(3);
    } finally {
      await shortSim.close();
    }
  });

  it("echoes the ACQP's own cancelToken as TOKEN_CANCELED with tokenCancelSource ACQUIRER", async () => {
    const issued = await sim.simulator.issueAuthorization({ referenceMerchantId: MERCHANT, authClientId: '218823863726123456789' });
    const client = new AlipayPlusClient({
      baseUrl: () => sim.baseUrl,
      clientId: TEST_CLIENT_ID,
      privateKey: loadPrivateKey(TEST_KEYS.acqpPrivate),
      alipayPlusPublicKeys: () => [ALIPAYPLUS_PUBLIC],
    });
    try {
      const { outcome } = await client.cancelToken({ pspId: issued.pspId, acquirerId: issued.acquirerId, accessToken: issued.accessToken });
      expect(outcome.kind).toBe('CANCELED');
    } finally {
      client.close();
    }
    const echo = await stub.waitFor((n) => n.body.authorizationNotifyType === 'TOKEN_CANCELED');
    expect(echo.body).toEqual({
      authorizationNotifyType: 'TOKEN_CANCELED',
      authClientId: '218823863726123456789',
      referenceMerchantId: MERCHANT,
      accessToken: issued.accessToken,
      tokenCancelSource: 'ACQUIRER',
      acquirerId: issued.acquirerId,
      pspId: issued.pspId,
    });
    expect(verifiesAsAlipayPlus(echo)).toBe(true);
  });

  it('sends TOKEN_CANCELED with tokenCancelSource PSP when the user unbinds in the wallet', async () => {
    const issued = await sim.simulator.issueAuthorization({ referenceMerchantId: MERCHANT });
    const handle = await sim.simulator.cancelFromWallet(issued.accessToken);
    expect((await handle.settled).state).toBe('ACKNOWLEDGED');
    expect(stub.received[2].body).toMatchObject({ authorizationNotifyType: 'TOKEN_CANCELED', tokenCancelSource: 'PSP', accessToken: issued.accessToken });
  });

  it('delivers out of order and in duplicate on request: cancel before create, and 20 concurrent copies', async () => {
    const issued = await sim.simulator.issueAuthorization({ referenceMerchantId: MERCHANT, notify: false });
    const canceled = sim.simulator.notify(tokenCanceledBody(issued, 'PSP'));
    await canceled.firstAttempt;
    const created = sim.simulator.notify(tokenCreatedBody(issued), { times: 20 });
    const outcome = await created.settled;

    expect(stub.received[0].body.authorizationNotifyType).toBe('TOKEN_CANCELED');
    expect(stub.received.slice(1)).toHaveLength(20);
    expect(new Set(stub.received.slice(1).map((n) => n.rawBody))).toEqual(new Set([created.rawBody]));
    expect(outcome).toMatchObject({ state: 'ACKNOWLEDGED', copies: Array(20).fill('ACKNOWLEDGED') });
  });

  it('sends pretty-printed bodies byte for byte, signed over those bytes', async () => {
    const body = { authorizationNotifyType: 'TOKEN_CANCELED', accessToken: 'T-PRETTY', tokenCancelSource: 'PSP', note: '解绑' };
    await sim.simulator.notify(body, { pretty: true }).settled;
    expect(stub.received[0].rawBody).toBe(JSON.stringify(body, null, 3));
    expect(verifiesAsAlipayPlus(stub.received[0])).toBe(true);
  });

  it('can send a notification signed with the wrong key or a stale time, for the gateway to refuse', async () => {
    const wrongKey = loadPrivateKey(TEST_KEYS.acqpPrivate);
    await sim.simulator.notify({ accessToken: 'T-BAD' }, { signWith: wrongKey }).firstAttempt;
    await sim.simulator.notify({ accessToken: 'T-OLD' }, { requestTime: '2020-01-01T00:00:00+08:00' }).firstAttempt;
    expect(stub.received.map(verifiesAsAlipayPlus)).toEqual([false, false]);
    expect(stub.received[1].headers['request-time']).toBe('2020-01-01T00:00:00+08:00');
  });

  it('stop() cancels pending retries and settles them as STOPPED', async () => {
    stub.setMode('http500');
    const handle = sim.simulator.notify({ accessToken: 'T-STOP' });
    await handle.firstAttempt;
    sim.simulator.stop();
    expect((await handle.settled).state).toBe('STOPPED');
    expect(sim.simulator.pendingNotifications()).toHaveLength(0);
  });
});
