import { notificationSet } from '../support/notifications';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { openFaultDatabase, until, type FaultDatabase } from './support/database';
import { faultEnvironment, killAllGateways, spawnGateway } from './support/gateways';
import { inParallel, notifyUntilAcknowledged, onboardMerchant } from './support/merchant';
import { acknowledge, acknowledgeAfter, startFaultReceiver, type FaultReceiver } from './support/receiver';

const CANCELLATIONS = 100;
const SUB_MERCHANTS = 10;
const DELIVERIES = CANCELLATIONS * SUB_MERCHANTS;
/** Receivers answer this slowly before the kill, so the fan-out is still under way when it lands. */
const SLOW_ANSWER_MS = 250;

/**
 * kill -9 of the only gateway while it fans 100 cancellations out to 10
 * endpoints: a new process on the same database finishes the job. Nothing
 * acknowledged is lost, and only deliveries that were in flight (LEASED) at
 * the kill may reach a receiver twice.
 */
describe(`SIGKILL during callback fan-out on ${testEngine()}`, () => {
  let db: TestDatabase;
  let reader: FaultDatabase | undefined;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startFaultReceiver(acknowledgeAfter(SLOW_ANSWER_MS));
  });
  afterAll(async () => {
    await killAllGateways();
    await reader?.close();
    await receiver?.close();
    await db?.drop();
  });

  it('delivers every (event, endpoint) pair after a restart, with no more duplicates than leases in flight at the kill', async () => {
    // One attempt's budget well above the slow answer; the lease (2 × timeout + 30 s) is what the restart waits out.
    const env = faultEnvironment(db, { CALLBACK_TIMEOUT_MS: '1500' });
    const first = await spawnGateway('first', env);
    reader = await openFaultDatabase(db);
    const merchant = await onboardMerchant(first.baseUrl, { subMerchants: SUB_MERCHANTS, url: receiver.url, tag: 'kill' });

    await inParallel([...Array(CANCELLATIONS).keys()], 6, async () => {
      const n = notificationSet(merchant.referenceMerchantId);
      await notifyUntilAcknowledged(first.baseUrl, n.tokenCreated);
      await notifyUntilAcknowledged(first.baseUrl, n.tokenCanceled('PSP'));
    });
    expect(await reader.count("SELECT COUNT(*) FROM events WHERE event_type = 'TOKEN_CANCELED'")).toBe(CANCELLATIONS);
    expect(await reader.count('SELECT COUNT(*) FROM deliveries')).toBe(DELIVERIES);

    await until('40% of the deliveries to reach the receivers', () => receiver.distinct() >= 0.4 * DELIVERIES, 60_000);
    await first.kill9();
    const arrivedAtKill = receiver.distinct();
    const atKill = await reader.deliveryStatuses();
    const leasedAtKill = atKill.LEASED ?? 0;
    // The kill landed mid-fan-out: some delivered, some in flight, some still waiting.
    expect(atKill.DELIVERED ?? 0).toBeGreaterThan(0);
    expect(leasedAtKill).toBeGreaterThan(0);
    expect(atKill.PENDING ?? 0).toBeGreaterThan(0);

    receiver.respondWith(acknowledge);
    const restartedAt = Date.now();
    const second = await spawnGateway('second', env);
    await until(
      'every delivery to be DELIVERED after the restart',
      async () => (await reader!.deliveryStatuses()).DELIVERED === DELIVERIES,
      120_000,
      async () => `${JSON.stringify(await reader!.deliveryStatuses())}\n${second.logTail()}`,
      200,
    );
    const drainedMs = Date.now() - restartedAt;

    const pairs = await reader.query<{ event_id: string; endpoint_id: string }>('SELECT event_id, endpoint_id FROM deliveries');
    const pathOf = new Map(merchant.endpoints.map((e) => [e.id, e.path]));
    const expected = new Set(pairs.map((p) => `${p.event_id} ${pathOf.get(p.endpoint_id)}`));
    const counts = receiver.counts();
    expect(expected.size).toBe(DELIVERIES);
    expect([...expected].filter((k) => !counts.has(k))).toEqual([]);
    expect([...counts.keys()].filter((k) => !expected.has(k))).toEqual([]);
    expect(receiver.arrivals.filter((a) => !a.signatureValid)).toEqual([]);

    const duplicates = receiver.arrivals.length - receiver.distinct();
    expect(duplicates).toBeLessThanOrEqual(leasedAtKill);
    // Every delivery was completed once: one SUCCEEDED attempt row each (the killed process recorded nothing it had not finished).
    expect(await reader.count("SELECT COUNT(*) FROM delivery_attempts WHERE outcome = 'SUCCEEDED'")).toBe(DELIVERIES);
    expect(await reader.count('SELECT COUNT(DISTINCT delivery_id) FROM delivery_attempts')).toBe(DELIVERIES);
    expect(await reader.count('SELECT COUNT(*) FROM delivery_attempts')).toBe(DELIVERIES);

    process.stderr.write(
      `[faults] kill mid-fan-out on ${testEngine()}: at kill ${JSON.stringify(atKill)}, ${arrivedAtKill} pairs had arrived; ` +
        `duplicates ${duplicates} ≤ leased ${leasedAtKill}; restart drained in ${drainedMs} ms\n`,
    );
    await second.stop();
  });
});
