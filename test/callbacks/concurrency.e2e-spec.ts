import { DataSource } from 'typeorm';
import { DeliveryEntity } from '../../src/callbacks/delivery.entity';
import { ManualClock } from '../../src/common/clock';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { seedMerchant } from '../support/merchants';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, testEngine } from '../support/test-database';
import { callbackHarness, type CallbackHarness } from './callback-fixtures';
import { behaviours, startReceiver, waitFor, type Receiver } from './callback-receiver';

/**
 * The caps, with the dispatcher running on its own (woken by commits, polling
 * as a backstop): slow receivers hold their requests until released, so these
 * tests wait on real I/O rather than on the clock.
 */
describe(`callback concurrency caps on ${testEngine()}`, () => {
  const clock = new ManualClock(new Date());
  let sut: TestApp;
  let h: CallbackHarness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    sut = await startTestApp({
      clock,
      env: {
        CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
        CALLBACK_CONCURRENCY: '3',
        CALLBACK_ENDPOINT_CONCURRENCY: '2',
        CALLBACK_POLL_MS: '50',
      },
    });
    h = callbackHarness(sut, clock);
  });
  afterAll(async () => {
    for (const r of receivers) r.release();
    await sut.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function endpointOn(behaviour: ReturnType<typeof behaviours.ok>) {
    const receiver = await startReceiver(behaviour);
    receivers.push(receiver);
    const merchant = await seedMerchant(sut.app);
    const endpoint = await h.insertEndpoint(merchant.id, receiver.url());
    const cancellations = async (n: number) => {
      for (let i = 0; i < n; i++) await h.walletCancel(merchant.referenceMerchantId);
    };
    return { receiver, endpoint, cancellations };
  }

  const statuses = async (endpointId: string) => (await h.deliveries(endpointId)).map((d) => d.status).sort();

  it('keeps delivering to a fast endpoint while a slow one holds its requests', async () => {
    const slow = await endpointOn(behaviours.hold());
    await slow.cancellations(6);
    await waitFor(() => slow.receiver.open === 2, 'the slow endpoint to hold two requests');

    const fast = await endpointOn(behaviours.ok());
    await fast.cancellations(3);
    await waitFor(async () => (await statuses(fast.endpoint.id)).every((s) => s === 'DELIVERED'), 'the fast deliveries');

    expect(fast.receiver.received).toHaveLength(3);
    expect(slow.receiver.received).toHaveLength(2);
    expect(await statuses(slow.endpoint.id)).toEqual(['LEASED', 'LEASED', 'PENDING', 'PENDING', 'PENDING', 'PENDING']);

    slow.receiver.release();
    await waitFor(async () => (await statuses(slow.endpoint.id)).every((s) => s === 'DELIVERED'), 'the slow deliveries');
    expect(slow.receiver.received).toHaveLength(6);
    expect(slow.receiver.maxConcurrent).toBe(2);
  });

  it('never has more requests in flight than the global cap', async () => {
    const a = await endpointOn(behaviours.hold());
    const b = await endpointOn(behaviours.hold());
    await a.cancellations(3);
    await b.cancellations(3);
    await waitFor(() => a.receiver.open + b.receiver.open === 3, 'three held requests');
    // Give the dispatcher a few more polls to overstep, if it would.
    await new Promise((r) => setTimeout(r, 300));
    expect(a.receiver.open + b.receiver.open).toBe(3);

    a.receiver.release();
    b.receiver.release();
    await waitFor(async () => [...(await statuses(a.endpoint.id)), ...(await statuses(b.endpoint.id))].every((s) => s === 'DELIVERED'), 'all deliveries');
    expect(Math.max(a.receiver.maxConcurrent, b.receiver.maxConcurrent)).toBeLessThanOrEqual(2);
  });

  it('on shutdown stops claiming and waits for the sends in flight; the rest stays queued', async () => {
    const db = await createTestDatabase();
    const env = { CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', CALLBACK_ENDPOINT_CONCURRENCY: '1', CALLBACK_POLL_MS: '50' };
    const first = await startTestApp({ db, clock, env });
    const hh = callbackHarness(first, clock);
    const receiver = await startReceiver(behaviours.hold());
    receivers.push(receiver);
    const merchant = await seedMerchant(first.app);
    const endpoint = await hh.insertEndpoint(merchant.id, receiver.url());
    for (let i = 0; i < 3; i++) await hh.walletCancel(merchant.referenceMerchantId);
    await waitFor(() => receiver.open === 1, 'one held request');

    let closed = false;
    const closing = first.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false);
    receiver.release();
    await closing;

    // Read with a bare connection: a new gateway would start delivering the queued rows at once.
    const reader = await new DataSource(dataSourceOptions(first.config.database)).initialize();
    try {
      const rows = await reader.manager.find(DeliveryEntity, { where: { endpointId: endpoint.id } });
      expect(rows.map((d) => d.status).sort()).toEqual(['DELIVERED', 'PENDING', 'PENDING']);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await reader.destroy();
      await db.drop();
    }
  });
});
