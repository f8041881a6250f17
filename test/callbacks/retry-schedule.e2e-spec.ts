import { DeliveryEntity } from '../../src/callbacks/delivery.entity';
import { ManualClock } from '../../src/common/clock';
import { seedMerchant } from '../support/merchants';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { callbackHarness, type CallbackHarness } from './callback-fixtures';
import { ACK_BODY, behaviours, startReceiver, type Behaviour, type Receiver } from './callback-receiver';

const MIN = 60_000;
/** Four attempts: at once, then after 1 min, 10 min and 1 h (each ±20%). */
const SCHEDULE = '0s,1m,10m,1h';

describe(`callback retry schedule on ${testEngine()}`, () => {
  const clock = new ManualClock(new Date());
  let sut: TestApp;
  let h: CallbackHarness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    sut = await startTestApp({
      clock,
      env: {
        CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
        CALLBACK_RETRY_SCHEDULE: SCHEDULE,
        CALLBACK_TIMEOUT_MS: '300',
        CALLBACK_DISABLE_AFTER: '3h',
      },
    });
    h = callbackHarness(sut, clock);
  });
  afterAll(async () => {
    await sut.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  /** A merchant whose one endpoint answers as `behaviour` says, and a first cancellation already attempted once. */
  async function endpointWith(behaviour: Behaviour) {
    const receiver = await startReceiver(behaviour);
    receivers.push(receiver);
    const merchant = await seedMerchant(sut.app);
    const endpoint = await h.insertEndpoint(merchant.id, receiver.url());
    const cancel = async () => {
      await h.walletCancel(merchant.referenceMerchantId);
      await h.dispatcher.runOnce();
    };
    await cancel();
    const [delivery] = await h.deliveries(endpoint.id);
    return { receiver, merchant, endpoint, deliveryId: delivery.id, cancel };
  }

  const delayAfter = async (deliveryId: string) => (await h.delivery(deliveryId)).nextAttemptAt.getTime() - clock.now().getTime();
  const scrape = async (name: string) => {
    const text = await (await fetch(`${sut.baseUrl}/metrics`)).text();
    return Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  };
  const metric = (outcome: string) => scrape(`acqp_callback_deliveries_total{outcome="${outcome}"}`);

  it('retries a receiver that fails twice on the schedule, then delivers and clears the streak', async () => {
    const { receiver, endpoint, deliveryId } = await endpointWith(behaviours.failTimes(2));
    expect(await h.delivery(deliveryId)).toMatchObject({ status: 'PENDING', attemptCount: 1, lastHttpStatus: 500 });
    expect(await delayAfter(deliveryId)).toBeGreaterThanOrEqual(0.8 * MIN);
    expect(await delayAfter(deliveryId)).toBeLessThanOrEqual(1.2 * MIN);
    expect((await h.endpoint(endpoint.id)).failingSince).not.toBeNull();

    await h.step(deliveryId);
    expect(await delayAfter(deliveryId)).toBeGreaterThanOrEqual(8 * MIN);
    expect(await delayAfter(deliveryId)).toBeLessThanOrEqual(12 * MIN);
    await h.step(deliveryId);

    expect(await h.delivery(deliveryId)).toMatchObject({ status: 'DELIVERED', attemptCount: 3, lastHttpStatus: 200, lastError: null });
    const attempts = await h.attempts(deliveryId);
    expect(attempts.map((a) => [a.attemptNo, a.outcome, a.httpStatus, a.errorClass])).toEqual([
      [1, 'RETRY', 500, 'HTTP_STATUS'],
      [2, 'RETRY', 500, 'HTTP_STATUS'],
      [3, 'SUCCEEDED', 200, null],
    ]);
    expect(attempts[0].responseBody).toBe('boom');
    expect(attempts[2].responseBody).toBe(ACK_BODY);
    expect(new Set(receiver.received.map((c) => c.json.notifyId)).size).toBe(1);
    expect(receiver.received).toHaveLength(3);
    expect((await h.endpoint(endpoint.id)).failingSince).toBeNull();
  });

  it('fails the delivery for good after the last scheduled attempt and counts it', async () => {
    const before = await metric('FAILED');
    const { receiver, endpoint, deliveryId } = await endpointWith(behaviours.always({ status: 503, body: 'down' }));
    for (let i = 0; i < 3; i++) await h.step(deliveryId);

    expect(await h.delivery(deliveryId)).toMatchObject({ status: 'FAILED', attemptCount: 4, lastHttpStatus: 503 });
    expect((await h.attempts(deliveryId)).map((a) => a.outcome)).toEqual(['RETRY', 'RETRY', 'RETRY', 'FAILED']);
    expect(receiver.received).toHaveLength(4);
    // Dead, not retried again however far time moves.
    clock.advance(24 * 60 * MIN);
    await h.dispatcher.runOnce();
    expect(receiver.received).toHaveLength(4);
    expect(await metric('FAILED')).toBe(before + 1);
    expect((await h.endpoint(endpoint.id)).status).toBe('ACTIVE');
  });

  it('shows the queue depth and how overdue the oldest delivery is, read at scrape time', async () => {
    const { receiver, deliveryId } = await endpointWith(behaviours.always({ status: 500 }));
    expect(await scrape('acqp_callback_queue_depth')).toBeGreaterThanOrEqual(1);
    clock.set(new Date((await h.delivery(deliveryId)).nextAttemptAt.getTime() + 5 * MIN));
    expect(await scrape('acqp_callback_oldest_due_seconds')).toBeGreaterThanOrEqual(300);
    receiver.setBehaviour(behaviours.ok());
    await h.dispatcher.runOnce();
    expect((await h.delivery(deliveryId)).status).toBe('DELIVERED');
  });

  it('records a receiver that never answers as TIMEOUT attempts', async () => {
    const { deliveryId } = await endpointWith(behaviours.hang());
    for (let i = 0; i < 3; i++) await h.step(deliveryId);
    const attempts = await h.attempts(deliveryId);
    expect(attempts.map((a) => [a.outcome, a.errorClass, a.httpStatus])).toEqual([
      ['RETRY', 'TIMEOUT', null],
      ['RETRY', 'TIMEOUT', null],
      ['RETRY', 'TIMEOUT', null],
      ['FAILED', 'TIMEOUT', null],
    ]);
    expect(attempts.every((a) => a.durationMs >= 250)).toBe(true);
    expect((await h.delivery(deliveryId)).status).toBe('FAILED');
  });

  it.each([
    ['200 with resultStatus F', behaviours.notS(), 'NOT_S', 200],
    ['200 that is not JSON', behaviours.always({ status: 200, body: 'OK' }), 'NOT_S', 200],
    ['a redirect', behaviours.always({ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }), 'REDIRECT', 302],
    ['201 with an S body', behaviours.always({ status: 201, body: ACK_BODY }), 'HTTP_STATUS', 201],
  ])('treats %s as a failed attempt', async (_, behaviour, errorClass, httpStatus) => {
    const { receiver, deliveryId } = await endpointWith(behaviour);
    expect((await h.attempts(deliveryId)).map((a) => [a.outcome, a.errorClass, a.httpStatus])).toEqual([['RETRY', errorClass, httpStatus]]);
    expect(receiver.received.map((c) => c.path)).toEqual(['/hooks/antom']);
  });

  it('records a callback it cannot sign as a failed attempt, without sending anything', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const merchant = await seedMerchant(sut.app);
    const endpoint = await h.insertEndpoint(merchant.id, receiver.url(), { signingScheme: 'STANDARD_WEBHOOKS' });
    await h.walletCancel(merchant.referenceMerchantId);
    await h.dispatcher.runOnce();
    const [delivery] = await h.deliveries(endpoint.id);
    expect((await h.attempts(delivery.id)).map((a) => [a.outcome, a.errorClass])).toEqual([['RETRY', 'COMPOSE_FAILED']]);
    expect(receiver.received).toEqual([]);
  });

  it('disables the endpoint on 410 Gone and fails its waiting deliveries', async () => {
    const { receiver, endpoint, deliveryId, cancel } = await endpointWith(behaviours.always({ status: 500 }));
    await cancel();
    const second = (await h.deliveries(endpoint.id)).find((d) => d.id !== deliveryId);
    expect(second!.status).toBe('PENDING');
    // Not due with the first (their jittered retry times may fall either way): it must wait in PENDING.
    await h.db.manager.update(DeliveryEntity, { id: second!.id }, { nextAttemptAt: new Date(clock.now().getTime() + 60 * MIN) });

    receiver.setBehaviour(behaviours.always({ status: 410, body: 'gone' }));
    const before = await metric('ENDPOINT_DISABLED');
    await h.step(deliveryId);

    expect(await h.delivery(deliveryId)).toMatchObject({ status: 'FAILED', lastHttpStatus: 410 });
    expect((await h.attempts(deliveryId)).at(-1)).toMatchObject({ outcome: 'DISABLED', errorClass: 'GONE', httpStatus: 410 });
    expect(await h.delivery(second!.id)).toMatchObject({ status: 'FAILED', lastError: expect.stringMatching(/^ENDPOINT_DISABLED/) });
    expect(await h.endpoint(endpoint.id)).toMatchObject({ status: 'DISABLED', disabledReason: 'the endpoint answered 410 Gone', disabledAt: clock.now() });
    expect(await metric('ENDPOINT_DISABLED')).toBe(before + 2);

    // A disabled endpoint gets no new deliveries, and nothing more is sent to it.
    const sent = receiver.received.length;
    await cancel();
    expect(await h.deliveries(endpoint.id)).toHaveLength(2);
    clock.advance(2 * 60 * MIN);
    await h.dispatcher.runOnce();
    expect(receiver.received).toHaveLength(sent);
  });

  it('honours Retry-After on 429 within its bounds', async () => {
    const { receiver, deliveryId } = await endpointWith(behaviours.always({ status: 429, headers: { 'retry-after': '1800' } }));
    expect(await delayAfter(deliveryId)).toBe(30 * MIN);
    receiver.setBehaviour(behaviours.ok());
    await h.step(deliveryId);
    expect((await h.delivery(deliveryId)).status).toBe('DELIVERED');
  });

  it('disables an endpoint whose every attempt has failed for CALLBACK_DISABLE_AFTER', async () => {
    const { endpoint, deliveryId, cancel } = await endpointWith(behaviours.always({ status: 500 }));
    const streakStart = (await h.endpoint(endpoint.id)).failingSince!;
    for (let i = 0; i < 3; i++) await h.step(deliveryId);
    expect((await h.endpoint(endpoint.id)).status).toBe('ACTIVE');

    clock.set(new Date(streakStart.getTime() + 3 * 60 * MIN));
    await cancel();
    const latest = (await h.deliveries(endpoint.id)).at(-1)!;
    expect(latest.status).toBe('FAILED');
    expect((await h.attempts(latest.id)).map((a) => a.outcome)).toEqual(['DISABLED']);
    expect(await h.endpoint(endpoint.id)).toMatchObject({
      status: 'DISABLED',
      disabledReason: `every attempt has failed since ${streakStart.toISOString()}`,
    });
  });
});
