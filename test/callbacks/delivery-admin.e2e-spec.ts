import { DeliveryEntity } from '../../src/callbacks/delivery.entity';
import { ManualClock } from '../../src/common/clock';
import { adminClient, type AdminClient } from '../admin/admin-client';
import { seedMerchant } from '../support/merchants';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { callbackHarness, type CallbackHarness } from './callback-fixtures';
import { behaviours, startReceiver, type Receiver } from './callback-receiver';

const HOUR = 3_600_000;

describe(`admin redeliver, recover and endpoint health on ${testEngine()}`, () => {
  const clock = new ManualClock(new Date());
  let sut: TestApp;
  let h: CallbackHarness;
  let admin: AdminClient;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    // One attempt per series: a failure is final at once, which is what operators then act on.
    sut = await startTestApp({ clock, env: { CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', CALLBACK_RETRY_SCHEDULE: '0s' } });
    h = callbackHarness(sut, clock);
    admin = adminClient(sut.baseUrl);
  });
  afterAll(async () => {
    await sut.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  /** A merchant whose endpoint fails every call until told otherwise. */
  async function failingEndpoint() {
    const receiver = await startReceiver(behaviours.always({ status: 500, body: 'down' }));
    receivers.push(receiver);
    const merchant = await seedMerchant(sut.app);
    const endpoint = await h.insertEndpoint(merchant.id, receiver.url());
    const cancel = async () => {
      await h.walletCancel(merchant.referenceMerchantId);
      await h.dispatcher.runOnce();
      return (await h.deliveries(endpoint.id)).at(-1)!;
    };
    return { receiver, merchant, endpoint, cancel };
  }

  it('redelivers a FAILED delivery from now with a fresh schedule, keeping its attempt history', async () => {
    const { receiver, cancel } = await failingEndpoint();
    const failed = await cancel();
    expect(failed).toMatchObject({ status: 'FAILED', attemptCount: 1 });

    receiver.setBehaviour(behaviours.ok());
    const answer = await admin.post(`/admin/v1/deliveries/${failed.id}/redeliver`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ id: failed.id, status: 'PENDING', nextAttemptAt: clock.now().toISOString() });
    await h.dispatcher.runOnce();

    expect(await h.delivery(failed.id)).toMatchObject({ status: 'DELIVERED', attemptCount: 1 });
    expect((await h.attempts(failed.id)).map((a) => [a.attemptNo, a.outcome, a.httpStatus])).toEqual([
      [1, 'FAILED', 500],
      [2, 'SUCCEEDED', 200],
    ]);

    // A delivered one can be sent again too: same notifyId, a third attempt row.
    expect((await admin.post(`/admin/v1/deliveries/${failed.id}/redeliver`)).status).toBe(200);
    await h.dispatcher.runOnce();
    expect((await h.attempts(failed.id)).map((a) => a.attemptNo)).toEqual([1, 2, 3]);
    expect(receiver.received.map((c) => c.json.notifyId)).toEqual(new Array(3).fill(failed.eventId));
  });

  it('refuses to redeliver a LEASED delivery, an unknown one, or one whose endpoint is disabled', async () => {
    const { merchant, endpoint, cancel } = await failingEndpoint();
    const failed = await cancel();
    await h.db.manager.update(DeliveryEntity, { id: failed.id }, { status: 'LEASED' });
    const leased = await admin.post(`/admin/v1/deliveries/${failed.id}/redeliver`);
    expect(leased.status).toBe(409);
    expect(leased.json.error.code).toBe('CONFLICT');
    await h.db.manager.update(DeliveryEntity, { id: failed.id }, { status: 'FAILED' });

    expect((await admin.post('/admin/v1/deliveries/00000000-0000-4000-8000-000000000000/redeliver')).status).toBe(404);
    expect((await admin.post(`/admin/v1/deliveries/${failed.id}/redeliver`, undefined, { token: null })).status).toBe(401);

    expect((await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints/${endpoint.id}/disable`)).status).toBe(200);
    const disabled = await admin.post(`/admin/v1/deliveries/${failed.id}/redeliver`);
    expect(disabled.status).toBe(409);
    expect(disabled.json.error.message).toMatch(/enable it first/);
    expect((await h.delivery(failed.id)).status).toBe('FAILED');
  });

  it('recovers every FAILED delivery of an endpoint created since a time, and answers the count', async () => {
    const { receiver, endpoint, cancel } = await failingEndpoint();
    const old = await cancel();
    clock.advance(HOUR);
    const since = clock.now();
    const recent = [await cancel()];
    clock.advance(HOUR);
    recent.push(await cancel());
    expect([old, ...recent].map((d) => d.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);

    receiver.setBehaviour(behaviours.ok());
    const answer = await admin.post(`/admin/v1/endpoints/${endpoint.id}/recover`, { since: since.toISOString() });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ endpointId: endpoint.id, since: since.toISOString(), recovered: 2 });
    await h.dispatcher.runOnce();

    expect((await h.delivery(old.id)).status).toBe('FAILED');
    for (const d of recent) expect(await h.delivery(d.id)).toMatchObject({ status: 'DELIVERED' });
    expect((await admin.post(`/admin/v1/endpoints/${endpoint.id}/recover`, { since: since.toISOString() })).json.recovered).toBe(0);
  });

  it.each([
    [{ since: 'yesterday' }, 400, 'since: must be an ISO 8601 date-time'],
    [{}, 400, 'since: must be an ISO 8601 date-time'],
    [{ since: '2026-01-01T00:00:00Z', extra: 1 }, 400, 'extra: is not a known field'],
  ])('refuses a recover body %j', async (body, status, message) => {
    const { endpoint } = await failingEndpoint();
    const answer = await admin.post(`/admin/v1/endpoints/${endpoint.id}/recover`, body);
    expect(answer.status).toBe(status);
    expect(answer.json.error.message).toBe(message);
  });

  it('refuses to recover toward a disabled or unknown endpoint', async () => {
    const { merchant, endpoint, cancel } = await failingEndpoint();
    await cancel();
    await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints/${endpoint.id}/disable`);
    const since = new Date(clock.now().getTime() - HOUR).toISOString();
    expect((await admin.post(`/admin/v1/endpoints/${endpoint.id}/recover`, { since })).status).toBe(409);
    expect((await admin.post('/admin/v1/endpoints/00000000-0000-4000-8000-000000000000/recover', { since })).status).toBe(404);
  });

  it("reports an endpoint's health: success rate over the latest attempts, last error, disabled state", async () => {
    const { receiver, endpoint, cancel } = await failingEndpoint();
    await cancel();
    clock.advance(1_000);
    await cancel();
    receiver.setBehaviour(behaviours.ok());
    clock.advance(1_000);
    await cancel();

    const health = await admin.get(`/admin/v1/endpoints/${endpoint.id}/health`);
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({
      endpointId: endpoint.id,
      status: 'ACTIVE',
      disabledReason: null,
      failingSince: null,
      attempts: 3,
      succeeded: 1,
      lastSuccessAt: clock.now().toISOString(),
      lastError: { errorClass: 'HTTP_STATUS', httpStatus: 500 },
      deliveries: { PENDING: 0, LEASED: 0, DELIVERED: 1, FAILED: 2 },
    });
    expect(health.json.successRate).toBeCloseTo(1 / 3);
    expect((await admin.get(`/admin/v1/endpoints/${endpoint.id}/health?window=1`)).json).toMatchObject({ attempts: 1, successRate: 1 });

    receiver.setBehaviour(behaviours.always({ status: 410 }));
    await cancel();
    expect((await admin.get(`/admin/v1/endpoints/${endpoint.id}/health`)).json).toMatchObject({
      status: 'DISABLED',
      disabledReason: 'the endpoint answered 410 Gone',
      lastError: { errorClass: 'GONE', httpStatus: 410 },
    });
    expect((await admin.get('/admin/v1/endpoints/00000000-0000-4000-8000-000000000000/health')).status).toBe(404);
    expect((await admin.get(`/admin/v1/endpoints/${endpoint.id}/health?window=0`)).status).toBe(400);
  });
});
