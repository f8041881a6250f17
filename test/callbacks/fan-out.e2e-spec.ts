import { Webhook } from 'standardwebhooks';
import { DeliveryEntity } from '../../src/callbacks/delivery.entity';
import { EventOutbox } from '../../src/callbacks/event-outbox';
import { ManualClock } from '../../src/common/clock';
import { SubMerchantEntity } from '../../src/merchants/sub-merchant.entity';
import { adminClient, type AdminClient } from '../admin/admin-client';
import { startSimulator, type RunningSimulator } from '../alipayplus/simulator-server';
import { TEST_CLIENT_ID, TEST_KEYS } from '../support/fixtures';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { callbackHarness, type CallbackHarness } from './callback-fixtures';
import { startReceiver, webhookToolCheckSignature, type ReceivedCallback, type Receiver } from './callback-receiver';

const REVOKE = '/ams/api/v1/authorizations/revoke';
const RESULT = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };

describe(`TOKEN_CANCELED fan-out to callback URLs on ${testEngine()}`, () => {
  // One clock for the gateway and the simulator, so moving it keeps signed times inside both skew windows.
  const clock = new ManualClock(new Date());
  let sim: RunningSimulator;
  let sut: TestApp;
  let admin: AdminClient;
  let h: CallbackHarness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ retrySchedule: [0, 20, 40, 80, 160, 320], now: () => clock.now().getTime() });
    sut = await startTestApp({
      clock,
      env: {
        ALIPAYPLUS_BASE_URL: sim.baseUrl,
        ALIPAYPLUS_TIMEOUT_MS: '400',
        REVOKE_BUDGET_MS: '1500',
        CANCEL_TOKEN_POLL_MS: '25',
        CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      },
    });
    sim.simulator.setGatewayBaseUrl(sut.baseUrl);
    admin = adminClient(sut.baseUrl);
    h = callbackHarness(sut, clock);
  });
  afterAll(async () => {
    await sut.close();
    await sim.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };

  const addEndpoint = async (merchantId: string, body: Record<string, unknown>) => {
    const answer = await admin.post(`/admin/v1/merchants/${merchantId}/endpoints`, body);
    expect(answer.status).toBe(201);
    return answer.json as { id: string; secret: string | null };
  };

  /** A merchant with three sub-merchants on Antom-signed receivers, and its own endpoint on Standard Webhooks. */
  async function merchantWithReceivers() {
    const merchant = await seedMerchant(sut.app, { subMerchants: 3 });
    const subs: Array<{ sub: TestMerchant['subMerchants'][number]; receiver: Receiver }> = [];
    for (const sub of merchant.subMerchants) {
      const r = await receiver();
      await addEndpoint(merchant.id, { url: r.url(`/notify/${sub.merchantAccountId}?v=1`), subMerchantId: sub.id });
      subs.push({ sub, receiver: r });
    }
    const own = await receiver();
    const sw = await addEndpoint(merchant.id, { url: own.url('/webhooks'), signingScheme: 'STANDARD_WEBHOOKS' });
    return { merchant, subs, own, secret: sw.secret! };
  }

  /**
   * Checks one Antom-style callback exactly as a merchant's WebhookTool.checkSignature
   * would: with the merchant's own client id (what Antom's notifications carry), not
   * whatever the header says.
   */
  function expectAntomSigned(c: ReceivedCallback, merchant: TestMerchant) {
    expect(c.headers['client-id']).toBe(merchant.clientId);
    expect(c.headers['content-type']).toBe('application/json; charset=UTF-8');
    const check = (body: string, clientId = merchant.clientId) =>
      webhookToolCheckSignature(c.path, 'POST', clientId, c.headers['request-time'] as string, c.headers.signature as string, body, TEST_KEYS.acqpPublic);
    expect(check(c.raw)).toBe(true);
    expect(check(c.raw.replace('TOKEN_CANCELED', 'TOKEN_CREATED'))).toBe(false);
    expect(check(c.raw, TEST_CLIENT_ID)).toBe(false);
  }

  function expectStandardSigned(c: ReceivedCallback, secret: string, eventId: string) {
    expect(c.headers['webhook-id']).toBe(eventId);
    expect(new Webhook(secret).verify(c.raw, c.headers as Record<string, string>)).toEqual(c.json);
    expect(() => new Webhook(secret).verify(c.raw.replace('"S"', '"F"'), c.headers as Record<string, string>)).toThrow();
  }

  it('delivers one signed callback per endpoint for a wallet-side cancellation, and none for its replay', async () => {
    const { merchant, subs, own, secret } = await merchantWithReceivers();
    const n = await h.walletCancel(merchant.referenceMerchantId);
    await h.dispatcher.runOnce();
    await h.notify(n.tokenCanceled('PSP'));
    await h.dispatcher.runOnce();

    const event = await h.cancelEvent(n.accessToken);
    for (const { sub, receiver: r } of subs) {
      expect(r.received).toHaveLength(1);
      const c = r.received[0];
      expect(c.path).toBe(`/notify/${sub.merchantAccountId}?v=1`);
      expectAntomSigned(c, merchant);
      expect(c.json).toEqual({
        notifyId: event.id,
        notifyType: 'TOKEN_CANCELED',
        authorizationNotifyType: 'TOKEN_CANCELED',
        authClientId: n.tokenCreated.authClientId,
        accessToken: n.accessToken,
        tokenCancelSource: 'PSP',
        referenceMerchantId: merchant.referenceMerchantId,
        merchantAccountId: sub.merchantAccountId,
        occurredAt: event.occurredAt.toISOString(),
        result: RESULT,
      });
    }
    expect(own.received).toHaveLength(1);
    expectStandardSigned(own.received[0], secret, event.id);
    expect(own.received[0].json).not.toHaveProperty('merchantAccountId');
    expect(own.received[0].json).toMatchObject({ notifyId: event.id, accessToken: n.accessToken, tokenCancelSource: 'PSP' });

    const deliveries = await h.db.manager.find(DeliveryEntity, { where: { eventId: event.id } });
    expect(deliveries.map((d) => [d.status, d.attemptCount])).toEqual(new Array(4).fill(['DELIVERED', 1]));
  });

  it('delivers one callback per endpoint for a merchant revoke, and none for the ACQUIRER echo from Alipay+', async () => {
    const { merchant, subs, own, secret } = await merchantWithReceivers();
    const n = notificationSet(merchant.referenceMerchantId);
    await h.notify(n.tokenCreated);
    const body = JSON.stringify({ accessToken: n.accessToken, merchantAccountId: merchant.subMerchants[0].merchantAccountId }, null, 3);
    const answer = await postSigned(sut.baseUrl, REVOKE, body, {
      privateKey: merchant.privateKey,
      clientId: merchant.clientId,
      requestTime: clock.now().toISOString(),
    });
    expect(answer.json.result.resultStatus).toBe('S');

    // Let the simulator's TOKEN_CANCELED (ACQUIRER) echo land, then drain the dispatcher.
    const deadline = Date.now() + 15_000;
    while (sim.simulator.pendingNotifications().length > 0) {
      if (Date.now() > deadline) throw new Error('the ACQUIRER echo did not settle');
      clock.advance(10_000);
      await sim.simulator.flushRetries();
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(sim.simulator.notifications().map((x) => x.settled));
    expect(sim.simulator.notifications().some((x) => JSON.stringify(x).includes('ACQUIRER'))).toBe(true);
    await h.dispatcher.runOnce();

    const event = await h.cancelEvent(n.accessToken);
    expect(event.cancelSource).toBe('ACQUIRER');
    for (const { sub, receiver: r } of subs) {
      expect(r.received).toHaveLength(1);
      expectAntomSigned(r.received[0], merchant);
      expect(r.received[0].json).toMatchObject({ notifyId: event.id, tokenCancelSource: 'ACQUIRER', merchantAccountId: sub.merchantAccountId });
    }
    expect(own.received).toHaveLength(1);
    expectStandardSigned(own.received[0], secret, event.id);
  });

  it('fans out only to ACTIVE endpoints of ACTIVE sub-merchants subscribed to the type', async () => {
    const merchant = await seedMerchant(sut.app, { subMerchants: 2 });
    const r = await receiver();
    const live = await addEndpoint(merchant.id, { url: r.url('/live'), subMerchantId: merchant.subMerchants[0].id });
    const ofDisabledSub = await addEndpoint(merchant.id, { url: r.url('/sub-off'), subMerchantId: merchant.subMerchants[1].id });
    const disabled = await addEndpoint(merchant.id, { url: r.url('/off') });
    const createdOnly = await addEndpoint(merchant.id, { url: r.url('/created'), eventTypes: ['TOKEN_CREATED'] });
    expect((await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints/${disabled.id}/disable`)).status).toBe(200);
    await h.db.manager.update(SubMerchantEntity, { id: merchant.subMerchants[1].id }, { status: 'DISABLED' });

    const n = await h.walletCancel(merchant.referenceMerchantId);
    await h.dispatcher.runOnce();

    expect((await h.deliveries(live.id)).map((d) => d.status)).toEqual(['DELIVERED']);
    expect(await h.deliveries(ofDisabledSub.id)).toEqual([]);
    expect(await h.deliveries(disabled.id)).toEqual([]);
    const created = await h.deliveries(createdOnly.id);
    expect(created).toHaveLength(1);
    expect(r.received.find((c) => c.path === '/created')!.json).toMatchObject({
      authorizationNotifyType: 'TOKEN_CREATED',
      accessToken: n.accessToken,
      customerId: n.tokenCreated.customerId,
      scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
    });
    expect(r.received.find((c) => c.path === '/created')!.json).not.toHaveProperty('refreshToken');
  });

  it('writes no deliveries for a token of a merchant not onboarded yet', async () => {
    const n = notificationSet();
    await h.notify(n.tokenCanceled('PSP'));
    const event = await h.cancelEvent(n.accessToken);
    expect(event.merchantId).toBeNull();
    expect(await h.db.manager.count(DeliveryEntity, { where: { eventId: event.id } })).toBe(0);
  });

  it('wakes the dispatchers after a commit that queued deliveries, and not after events nobody subscribes to', async () => {
    let wakes = 0;
    sut.app.get(EventOutbox).onCommitted(() => wakes++);
    const bare = await seedMerchant(sut.app, { subMerchants: 1 });
    const unsubscribed = notificationSet(bare.referenceMerchantId);
    await h.notify(unsubscribed.tokenCreated);
    await h.notify(unsubscribed.tokenCanceled('PSP'));
    expect((await h.cancelEvent(unsubscribed.accessToken)).merchantId).toBe(bare.id);
    expect(wakes).toBe(0);

    const { merchant } = await merchantWithReceivers();
    const subscribed = notificationSet(merchant.referenceMerchantId);
    await h.notify(subscribed.tokenCreated);
    expect(wakes).toBe(0);
    await h.notify(subscribed.tokenCanceled('PSP'));
    expect(wakes).toBe(1);
    await h.notify(subscribed.tokenCanceled('PSP'));
    expect(wakes).toBe(1);
    await h.dispatcher.runOnce();
  });
});
