import type { IssuedAuthorization, NotificationHandle } from '../../src/alipayplus/simulator';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { openFaultDatabase, until, type FaultDatabase } from './support/database';
import { faultEnvironment, killAllGateways, spawnGateway } from './support/gateways';
import { inParallel, onboardMerchant } from './support/merchant';
import { databaseOutage, outageUnavailable, type DatabaseOutage } from './support/outage';
import { acknowledge, startFaultReceiver, type FaultReceiver } from './support/receiver';
import { drainNotifications, startFaultSimulator, type FaultSimulator } from './support/simulator';

const AUTHORIZATIONS = 40;
/** Every other binding is then canceled from the wallet. */
const canceledFromWallet = (i: number) => i % 2 === 0;
/** The outage lasts until Alipay+ has seen this many attempts refused… */
const REFUSALS = 5;
/** …and on SQLite, until the lock has been held past the gateway's busy timeout (10 s in data-source-options.ts), so its writes fail. */
const SQLITE_LOCK_MS = 11_000;
const NOT_STORED = 'authNotify not stored; answering U so Alipay+ retries';

/**
 * The database goes away while Alipay+ streams authNotify (bindings and
 * wallet-side cancellations) and comes back. The gateway answers S only for
 * what it stored, so everything Alipay+ saw acknowledged is in the database,
 * its retries bring in the rest, and each canceled token has one cancellation.
 */
describe(`database outage during authNotify load on ${testEngine()}`, () => {
  let db: TestDatabase;
  let reader: FaultDatabase | undefined;
  let receiver: FaultReceiver;
  let sim: FaultSimulator;
  let outage: DatabaseOutage | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startFaultReceiver(acknowledge);
    // Alipay+'s schedule (0, 2 min, 10 min, …) compressed to seconds, and long enough to outlast the outage.
    sim = await startFaultSimulator({ retrySchedule: [0, 300, 600, ...new Array<number>(60).fill(1000)], notifyTimeoutMs: 2000 });
  });
  afterAll(async () => {
    // Never leave the shared server down, whatever failed.
    if (outage?.down) await outage.end();
    await killAllGateways();
    await sim?.close();
    await reader?.close();
    await receiver?.close();
    await db?.drop();
  });

  const unavailable = outageUnavailable();
  const title = 'stores everything it acknowledged, takes the rest from the retries, one cancellation per canceled token';
  (unavailable ? it.skip : it)(unavailable ? `${title} (skipped: ${unavailable})` : title, async () => {
    // A callback whose completion the outage broke stays LEASED until its lease (2 × timeout + 30 s) runs out: keep it short.
    const gateway = await spawnGateway('gateway', faultEnvironment(db, { ALIPAYPLUS_BASE_URL: sim.baseUrl, CALLBACK_TIMEOUT_MS: '1000' }));
    sim.simulator.setGatewayBaseUrl(gateway.baseUrl);
    reader = await openFaultDatabase(db);
    const merchant = await onboardMerchant(gateway.baseUrl, { subMerchants: 0, ownEndpoint: true, url: receiver.url, tag: 'db-outage' });
    const stoppable = databaseOutage(db);
    outage = stoppable;

    const issued: IssuedAuthorization[] = [];
    const walletCancels: NotificationHandle[] = [];
    const stream = inParallel([...Array(AUTHORIZATIONS).keys()], 4, async (i) => {
      const a = await sim.simulator.issueAuthorization({ referenceMerchantId: merchant.referenceMerchantId });
      issued.push(a);
      if (canceledFromWallet(i)) walletCancels.push(await sim.simulator.cancelFromWallet(a.accessToken));
      return a;
    });
    const staged = (async () => {
      await until('the first part of the stream to land', () => issued.length >= 10, 60_000);
      const from = sim.simulator.notificationAttempts().length;
      const started = Date.now();
      await stoppable.begin();
      const during = () =>
        sim.simulator
          .notificationAttempts()
          .slice(from)
          .filter((a) => !a.acknowledged);
      // MySQL: the gateway answers U at once. SQLite: it blocks in the busy handler, so Alipay+ sees timeouts, never U.
      const refusedEnough = () =>
        during().length >= REFUSALS && (db.engine === 'mysql' ? during().some((a) => a.verdict === 'NOT_S') : Date.now() - started >= SQLITE_LOCK_MS);
      await until(
        `${REFUSALS} refused attempts while the database is away`,
        refusedEnough,
        60_000,
        () => `${JSON.stringify(countBy(during().map((a) => a.verdict)))}\n${gateway.logTail(5)}`,
      );
      const refused = during().length;
      await stoppable.end();
      return { refused, ms: Date.now() - started };
    })();
    const [, staging] = await Promise.all([stream, staged]);

    // Readable again (a MySQL pool reconnects on its next query).
    await until('the database to answer the test again', async () => (await reader!.count('SELECT COUNT(*) FROM notifications')) >= 0, 30_000);
    const stored = async () => {
      const rows = await reader!.query<{ notify_type: string; subject_hash: string }>('SELECT notify_type, subject_hash FROM notifications');
      return new Set(rows.map((r) => `${r.notify_type} ${r.subject_hash}`));
    };
    const keyOf = (n: NotificationHandle) => {
      const body = JSON.parse(n.rawBody) as { authorizationNotifyType: string; authCode?: string; accessToken?: string };
      const subject =
        body.authorizationNotifyType === 'AUTHCODE_CREATED'
          ? reader!.vault.lookupHash('auth-code', body.authCode!)
          : reader!.vault.lookupHash('access-token', body.accessToken!);
      return `${body.authorizationNotifyType} ${subject}`;
    };
    // Whatever Alipay+ saw acknowledged so far, through the outage, is stored.
    const acknowledgedAfterOutage = sim.simulator.notifications().filter((n) => n.state() === 'ACKNOWLEDGED');
    const afterOutage = await stored();
    expect(acknowledgedAfterOutage.map(keyOf).filter((k) => !afterOutage.has(k))).toEqual([]);
    const pendingAfterOutage = sim.simulator.pendingNotifications().length;
    const leasedAfterOutage = new Set((await reader.query<{ id: string }>("SELECT id FROM deliveries WHERE status = 'LEASED'")).map((r) => r.id));

    // Alipay+ keeps retrying the rest; all of it lands.
    await drainNotifications(sim.simulator, 60_000);
    const all = sim.simulator.notifications();
    expect(all).toHaveLength(2 * AUTHORIZATIONS + AUTHORIZATIONS / 2);
    expect(all.filter((n) => n.state() !== 'ACKNOWLEDGED').map((n) => n.notifyType)).toEqual([]);
    const atEnd = await stored();
    expect(all.map(keyOf).filter((k) => !atEnd.has(k))).toEqual([]);
    expect(atEnd.size).toBe(all.length);

    // The records: every auth code and token once, canceled ones CANCELED with one cancellation each.
    const codes = new Set((await reader.query<{ h: string }>('SELECT auth_code_hash AS h FROM auth_codes')).map((r) => r.h));
    expect(issued.filter((a) => !codes.has(reader!.vault.lookupHash('auth-code', a.authCode)))).toEqual([]);
    const tokens = new Map(
      (await reader.query<{ id: string; h: string; status: string }>('SELECT id, access_token_hash AS h, status FROM authorizations')).map((r) => [r.h, r]),
    );
    expect(tokens.size).toBe(AUTHORIZATIONS);
    const canceledIds: string[] = [];
    for (const a of issued) {
      const row = tokens.get(reader.vault.lookupHash('access-token', a.accessToken))!;
      const canceled = walletCancels.some((n) => n.rawBody.includes(a.accessToken));
      expect(row.status).toBe(canceled ? 'CANCELED' : 'ACTIVE');
      if (canceled) canceledIds.push(row.id);
    }
    const events = await reader.query<{ id: string; authorization_id: string }>("SELECT id, authorization_id FROM events WHERE event_type = 'TOKEN_CANCELED'");
    expect(events.map((e) => e.authorization_id).sort()).toEqual(canceledIds.sort());

    // And each cancellation reached the merchant's endpoint.
    await until(
      'every callback to be DELIVERED',
      async () => (await reader!.deliveryStatuses()).DELIVERED === canceledIds.length,
      60_000,
      async () => JSON.stringify(await reader!.deliveryStatuses()),
    );
    expect(new Set(receiver.counts().keys())).toEqual(new Set(events.map((e) => `${e.id} ${merchant.endpoints[0].path}`)));
    // Each arrival is an attempt on the record, except one per delivery whose completion the outage lost (still LEASED after it).
    const deliveries = await reader.query<{ id: string; event_id: string; attempts: number | string }>(
      'SELECT d.id, d.event_id, (SELECT COUNT(*) FROM delivery_attempts a WHERE a.delivery_id = d.id) AS attempts FROM deliveries d',
    );
    const counts = receiver.counts();
    const unrecorded = deliveries
      .map((d) => ({ id: d.id, extra: (counts.get(`${d.event_id} ${merchant.endpoints[0].path}`) ?? 0) - Number(d.attempts) }))
      .filter((d) => d.extra > (leasedAfterOutage.has(d.id) ? 1 : 0));
    expect(unrecorded).toEqual([]);
    const failedAttempts = await reader.query<{ error_class: string; n: number | string }>(
      "SELECT error_class, COUNT(*) AS n FROM delivery_attempts WHERE outcome <> 'SUCCEEDED' GROUP BY error_class",
    );
    expect((await fetch(`${gateway.baseUrl}/health/ready`)).status).toBe(200);

    const verdicts = sim.simulator
      .notificationAttempts()
      .filter((a) => !a.acknowledged)
      .map((a) => a.verdict);
    process.stderr.write(
      `[faults] database outage on ${testEngine()} (${stoppable.kind}): down ${staging.ms} ms, ${staging.refused} attempts refused while down; ` +
        `${pendingAfterOutage} notifications pending after it; unacknowledged attempts by verdict ${JSON.stringify(countBy(verdicts))}; ` +
        `${leasedAfterOutage.size} deliveries LEASED after it, ${receiver.arrivals.length - receiver.distinct()} callbacks sent twice, ` +
        `failed callback attempts ${JSON.stringify(Object.fromEntries(failedAttempts.map((r) => [r.error_class, Number(r.n)])))}; ` +
        `gateway log: ${occurrences(gateway.process.stdout(), NOT_STORED)} "${NOT_STORED}", ` +
        `${occurrences(gateway.process.stdout(), 'callback attempt failed')} "callback attempt failed", ${occurrences(gateway.process.stdout(), 'claim cycle failed')} "claim cycle failed"\n`,
    );
    await gateway.stop();
  });
});

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
