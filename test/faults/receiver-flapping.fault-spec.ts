import { createHash } from 'node:crypto';
import { ACK_BODY } from '../callbacks/callback-receiver';
import { notificationSet } from '../support/notifications';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { openFaultDatabase, until, type FaultDatabase } from './support/database';
import { faultEnvironment, killAllGateways, spawnGateway } from './support/gateways';
import { inParallel, notifyUntilAcknowledged, onboardMerchant } from './support/merchant';
import { acknowledge, startFaultReceiver, type Answer, type Arrival, type FaultReceiver } from './support/receiver';

const CANCELLATIONS = 20;
const ENDPOINTS = 3;
const DELIVERIES = CANCELLATIONS * ENDPOINTS;
const TIMEOUT_MS = 800;

/** The ways a receiver fails before it answers properly, and the attempt row each must leave. */
const FAILURES: Array<{ name: string; answer: Answer; errorClass: string; httpStatus: number | null }> = [
  { name: '500', answer: { status: 500, body: 'flap' }, errorClass: 'HTTP_STATUS', httpStatus: 500 },
  { name: 'timeout', answer: 'hang', errorClass: 'TIMEOUT', httpStatus: null },
  {
    name: '200 with F',
    answer: { status: 200, body: JSON.stringify({ result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: 'busy' } }) },
    errorClass: 'NOT_S',
    httpStatus: 200,
  },
  { name: '200 not JSON', answer: { status: 200, body: 'OK' }, errorClass: 'NOT_S', httpStatus: 200 },
  { name: 'reset', answer: 'reset', errorClass: 'CONNECTION', httpStatus: null },
];

/** Per (event, endpoint): 0 to 3 failures of varying kinds, then a proper S. Derived from the pair, so the test knows it afterwards. */
function planFor(notifyId: string, path: string): typeof FAILURES {
  const h = createHash('sha256').update(`${notifyId} ${path}`).digest();
  const failures = h[0] % 4;
  return Array.from({ length: failures }, (_, i) => FAILURES[(h[1] + i) % FAILURES.length]);
}

/**
 * Receivers that flap between 500s, timeouts, dropped connections, 200s
 * without S, and proper acknowledgements: every delivery still ends
 * DELIVERED, each attempt on the record as what it was, nothing lost and
 * nothing sent more often than the failures asked for.
 */
describe(`flapping callback receivers on ${testEngine()}`, () => {
  let db: TestDatabase;
  let reader: FaultDatabase | undefined;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startFaultReceiver((a: Arrival) => planFor(a.notifyId, a.path)[a.n - 1]?.answer ?? acknowledge());
  });
  afterAll(async () => {
    await killAllGateways();
    await reader?.close();
    await receiver?.close();
    await db?.drop();
  });

  it('ends every delivery DELIVERED with one attempt row per try, each classified as it failed', async () => {
    const gateway = await spawnGateway('gateway', faultEnvironment(db, { CALLBACK_TIMEOUT_MS: String(TIMEOUT_MS) }));
    reader = await openFaultDatabase(db);
    const merchant = await onboardMerchant(gateway.baseUrl, { subMerchants: ENDPOINTS - 1, ownEndpoint: true, url: receiver.url, tag: 'flap' });
    await inParallel([...Array(CANCELLATIONS).keys()], 4, async () => {
      const n = notificationSet(merchant.referenceMerchantId);
      await notifyUntilAcknowledged(gateway.baseUrl, n.tokenCreated);
      await notifyUntilAcknowledged(gateway.baseUrl, n.tokenCanceled('PSP'));
    });
    await until(
      'every delivery to be DELIVERED',
      async () => (await reader!.deliveryStatuses()).DELIVERED === DELIVERIES,
      60_000,
      async () => `${JSON.stringify(await reader!.deliveryStatuses())}\n${gateway.logTail()}`,
    );

    const pathOf = new Map(merchant.endpoints.map((e) => [e.id, e.path]));
    const deliveries = await reader.query<{
      id: string;
      event_id: string;
      endpoint_id: string;
      attempt_count: number;
      last_http_status: number;
      last_error: string | null;
    }>('SELECT id, event_id, endpoint_id, attempt_count, last_http_status, last_error FROM deliveries');
    const attempts = await reader.query<{
      delivery_id: string;
      attempt_no: number;
      outcome: string;
      error_class: string | null;
      http_status: number | null;
      response_body: string | null;
    }>('SELECT delivery_id, attempt_no, outcome, error_class, http_status, response_body FROM delivery_attempts ORDER BY delivery_id, attempt_no');
    expect(deliveries).toHaveLength(DELIVERIES);
    let failuresSeen = 0;
    for (const d of deliveries) {
      const path = pathOf.get(d.endpoint_id)!;
      const plan = planFor(d.event_id, path);
      failuresSeen += plan.length;
      const rows = attempts.filter((a) => a.delivery_id === d.id);
      expect({
        pair: `${d.event_id} ${path}`,
        rows: rows.map((a) => [Number(a.attempt_no), a.outcome, a.error_class, a.http_status === null ? null : Number(a.http_status)]),
      }).toEqual({
        pair: `${d.event_id} ${path}`,
        rows: [...plan.map((f, i) => [i + 1, 'RETRY', f.errorClass, f.httpStatus]), [plan.length + 1, 'SUCCEEDED', null, 200]],
      });
      expect(rows.at(-1)!.response_body).toBe(ACK_BODY);
      expect({ attempts: Number(d.attempt_count), status: Number(d.last_http_status), error: d.last_error }).toEqual({
        attempts: plan.length + 1,
        status: 200,
        error: null,
      });
      // The receiver saw exactly those tries, all the same signed body.
      const seen = receiver.arrivals.filter((a) => a.notifyId === d.event_id && a.path === path);
      expect(seen).toHaveLength(plan.length + 1);
      expect(new Set(seen.map((a) => a.raw)).size).toBe(1);
      expect(seen.every((a) => a.signatureValid)).toBe(true);
    }
    expect(receiver.arrivals).toHaveLength(DELIVERIES + failuresSeen);
    // Flapping is not failing: every endpoint is healthy and active at the end.
    expect(
      await reader.count("SELECT COUNT(*) FROM callback_endpoints WHERE merchant_id = ? AND status = 'ACTIVE' AND failing_since IS NULL", [merchant.id]),
    ).toBe(ENDPOINTS);

    process.stderr.write(`[faults] flapping receivers on ${testEngine()}: ${DELIVERIES} deliveries took ${DELIVERIES + failuresSeen} attempts\n`);
    await gateway.stop();
  });
});
