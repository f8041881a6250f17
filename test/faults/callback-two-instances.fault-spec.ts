import { notificationSet } from '../support/notifications';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { openFaultDatabase, until, type FaultDatabase } from './support/database';
import { faultEnvironment, killAllGateways, spawnGateway } from './support/gateways';
import { inParallel, notifyUntilAcknowledged, onboardMerchant } from './support/merchant';
import { TEST_KEYS } from '../support/fixtures';
import { acknowledgeAfter, startFaultReceiver, type FaultReceiver, type GatewayKeyName } from './support/receiver';

const CANCELLATIONS = 100;
const SUB_MERCHANTS = 10;
const DELIVERIES = CANCELLATIONS * SUB_MERCHANTS;
/** Each process signs its callbacks with its own gateway key: the receiver tells from the key who sent what. */
const INSTANCES: ReadonlyArray<{ key: GatewayKeyName; privateKey: string }> = [
  { key: 'acqp', privateKey: TEST_KEYS.acqpPrivate },
  { key: 'alipayplus', privateKey: TEST_KEYS.alipayPlusPrivate },
];

/**
 * Two gateway processes on one MySQL/MariaDB database dispatch the same
 * outbox: claims are leased with FOR UPDATE SKIP LOCKED, so each (event,
 * endpoint) goes out exactly once and both processes take a share.
 */
describe(`two gateway processes sharing the callback outbox on ${testEngine()}`, () => {
  let db: TestDatabase;
  let reader: FaultDatabase | undefined;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startFaultReceiver(acknowledgeAfter(20));
  });
  afterAll(async () => {
    await killAllGateways();
    await reader?.close();
    await receiver?.close();
    await db?.drop();
  });

  // SQLite is one file with one writer, embedded in one process: several instances on one database is a MySQL/MariaDB deployment.
  const title = 'delivers each of 1,000 (event, endpoint) pairs exactly once, and both processes deliver a share';
  const onMysql = testEngine() === 'mysql' ? it : it.skip;
  onMysql(
    testEngine() === 'mysql' ? title : `${title} (skipped: several instances share a database on MySQL/MariaDB only; set TEST_DATABASE_URL)`,
    async () => {
      // One at a time: each migrates at boot (the second finds nothing to do).
      const a = await spawnGateway('a', faultEnvironment(db, { GATEWAY_PRIVATE_KEY: INSTANCES[0].privateKey }));
      const b = await spawnGateway('b', faultEnvironment(db, { GATEWAY_PRIVATE_KEY: INSTANCES[1].privateKey }));
      reader = await openFaultDatabase(db);
      const merchant = await onboardMerchant(a.baseUrl, { subMerchants: SUB_MERCHANTS, url: receiver.url, tag: 'two' });

      // Alipay+ reaches either instance (behind a load balancer): alternate between them.
      await inParallel([...Array(CANCELLATIONS).keys()], 6, async (i) => {
        const target = i % 2 === 0 ? a : b;
        const n = notificationSet(merchant.referenceMerchantId);
        await notifyUntilAcknowledged(target.baseUrl, n.tokenCreated);
        await notifyUntilAcknowledged(target.baseUrl, n.tokenCanceled('PSP'));
      });
      await until(
        'every delivery to be DELIVERED',
        async () => (await reader!.deliveryStatuses()).DELIVERED === DELIVERIES,
        90_000,
        async () => `${JSON.stringify(await reader!.deliveryStatuses())}\n${a.logTail()}\n${b.logTail()}`,
        200,
      );

      const counts = receiver.counts();
      const pathOf = new Map(merchant.endpoints.map((e) => [e.id, e.path]));
      const pairs = await reader.query<{ event_id: string; endpoint_id: string }>('SELECT event_id, endpoint_id FROM deliveries');
      const expected = new Set(pairs.map((p) => `${p.event_id} ${pathOf.get(p.endpoint_id)}`));
      expect(expected.size).toBe(DELIVERIES);
      expect([...expected].filter((k) => counts.get(k) !== 1)).toEqual([]);
      expect(receiver.arrivals).toHaveLength(DELIVERIES);
      expect(receiver.arrivals.filter((x) => x.signedBy === null || x.clientId !== merchant.clientId)).toEqual([]);
      // One attempt per delivery: no claim was sent twice, nor completed twice.
      expect(await reader.count("SELECT COUNT(*) FROM delivery_attempts WHERE outcome = 'SUCCEEDED'")).toBe(DELIVERIES);
      expect(await reader.count('SELECT COUNT(*) FROM delivery_attempts')).toBe(DELIVERIES);

      const byInstance = INSTANCES.map(({ key }) => receiver.arrivals.filter((x) => x.signedBy === key).length);
      expect(byInstance[0] + byInstance[1]).toBe(DELIVERIES);
      // A share each, not a token one: at least a tenth of the work.
      expect(Math.min(...byInstance)).toBeGreaterThanOrEqual(DELIVERIES / 10);
      process.stderr.write(`[faults] two instances on ${testEngine()}: A delivered ${byInstance[0]}, B delivered ${byInstance[1]}\n`);
      await Promise.all([a.stop(), b.stop()]);
    },
  );
});
