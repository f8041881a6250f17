import type { IssuedAuthorization } from '../../src/alipayplus/simulator';
import { testEngine } from '../support/test-database';
import { openFaultDatabase, until } from './support/database';
import { faultEnvironment, spawnGateway } from './support/gateways';
import { inParallel, onboardMerchant, revoke } from './support/merchant';
import { revokeRig } from './support/revoke-rig';
import { drainNotifications } from './support/simulator';

/** Revoked while Alipay+ answers U, then retried through the outage. */
const BEFORE = 8;
/** Revoked while Alipay+ is unreachable. */
const DURING = 4;
const TOKENS = BEFORE + DURING;
const ENDPOINTS = 2;

/**
 * Alipay+ goes away (its port refuses connections) while revokes are being
 * retried, and comes back on the same port with the same wallet-side state:
 * every revoke settles, one cancellation each, and a revoke sent during the
 * outage is kept and settled too.
 */
describe(`Alipay+ unreachable during revokes on ${testEngine()}`, () => {
  const rig = revokeRig();

  it('settles every revoke once Alipay+ is back, one cancellation each', async () => {
    const { db, receiver, sim } = rig;
    const gateway = await spawnGateway(
      'gateway',
      faultEnvironment(db, {
        ALIPAYPLUS_BASE_URL: sim.baseUrl,
        ALIPAYPLUS_TIMEOUT_MS: '1000',
        REVOKE_BUDGET_MS: '200',
        CANCEL_TOKEN_RETRY_BASE_MS: '200',
        CANCEL_TOKEN_POLL_MS: '50',
      }),
    );
    sim.simulator.setGatewayBaseUrl(gateway.baseUrl);
    const reader = (rig.reader = await openFaultDatabase(db));
    const merchant = await onboardMerchant(gateway.baseUrl, { subMerchants: ENDPOINTS, url: receiver.url, tag: 'sim-outage' });
    const issued: IssuedAuthorization[] = await inParallel([...Array(TOKENS).keys()], 4, () =>
      sim.simulator.issueAuthorization({ referenceMerchantId: merchant.referenceMerchantId }),
    );
    const created = await Promise.all(issued.map((a) => a.notifications.tokenCreated!.settled));
    expect(created.map((o) => o.state)).toEqual(new Array(TOKENS).fill('ACKNOWLEDGED'));

    // Alipay+ cannot settle anything for now.
    sim.simulator.setRule('*', { kind: 'unknown' });
    const early = issued.slice(0, BEFORE);
    const late = issued.slice(BEFORE);
    expect((await inParallel(early, 4, (a) => revoke(gateway.baseUrl, merchant, a.accessToken))).map((x) => x.status)).toEqual(new Array(BEFORE).fill('U'));
    await until('each early revoke to reach Alipay+', () => early.every((a) => sim.simulator.receivedFor(a.accessToken).length >= 1), 10_000);

    await sim.goDown();
    const callsWhenDown = sim.simulator.received().length;
    // Revokes keep coming while Alipay+ is unreachable: answered U, kept for retrying.
    expect((await inParallel(late, 4, (a) => revoke(gateway.baseUrl, merchant, a.accessToken))).map((x) => x.status)).toEqual(new Array(DURING).fill('U'));
    const UNREACHABLE = "FROM cancel_token_attempts WHERE result_status = 'U' AND error_class IN ('CONNECTION', 'CIRCUIT_OPEN')";
    const unreachable = () => reader.count(`SELECT COUNT(*) ${UNREACHABLE}`);
    // Every revoke has been retried in vain at least once: refused by the socket (an attempt row), or by the
    // breaker that opened (no request, so no attempt row: the job's last result says so).
    const FAILED_UNREACHABLE =
      "SELECT COUNT(*) FROM cancel_token_jobs WHERE last_result_status = 'U' AND (last_result_code = 'CIRCUIT_OPEN' " +
      "OR id IN (SELECT job_id FROM cancel_token_attempts WHERE error_class = 'CONNECTION'))";
    await until('every job to fail against the unreachable Alipay+', async () => (await reader.count(FAILED_UNREACHABLE)) === TOKENS, 20_000);
    const tokensAtOutage = await reader.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM authorizations GROUP BY status');

    // Back, same port, same wallet state; it now settles every cancelToken.
    sim.simulator.setRule('*', null);
    await sim.comeBack();
    const ids = await Promise.all(issued.map(async (a) => (await reader.token(a.accessToken))!.id));
    const canceled = async () =>
      (await reader.query<{ id: string; status: string }>('SELECT id, status FROM authorizations')).filter((r) => ids.includes(r.id) && r.status === 'CANCELED')
        .length;
    const backAt = Date.now();
    await until(
      'every token to be CANCELED',
      async () => (await canceled()) === TOKENS,
      90_000,
      async () =>
        `${JSON.stringify(await reader.query('SELECT status, last_result_code, COUNT(*) AS n FROM cancel_token_jobs GROUP BY status, last_result_code'))}\n${gateway.logTail()}`,
      200,
    );
    const settledMs = Date.now() - backAt;
    await drainNotifications(sim.simulator, 30_000);
    await until(
      'every callback to be DELIVERED',
      async () => (await reader.deliveryStatuses()).DELIVERED === TOKENS * ENDPOINTS,
      30_000,
      async () => JSON.stringify(await reader.deliveryStatuses()),
    );

    // Nothing reached Alipay+ while it was down; afterwards each token was settled with its own accessToken.
    expect(
      sim.simulator
        .received()
        .slice(callsWhenDown)
        .every((c) => c.answered.resultStatus === 'S'),
    ).toBe(true);
    for (const a of issued) {
      const sent = sim.simulator.receivedFor(a.accessToken);
      expect(sent.every((c) => c.signatureValid && JSON.parse(c.rawBody).accessToken === a.accessToken)).toBe(true);
      expect(sent.filter((c) => c.answered.resultStatus === 'S').length).toBeGreaterThanOrEqual(1);
      expect(sim.simulator.tokenState(a.accessToken)).toBe('CANCELED_BY_ACQUIRER');
    }
    expect(await reader.count("SELECT COUNT(*) FROM cancel_token_jobs WHERE status NOT IN ('SUCCEEDED', 'SETTLED')")).toBe(0);

    // One cancellation per token, each fanned out to both endpoints, each delivered.
    const events = await reader.query<{ id: string; authorization_id: string }>("SELECT id, authorization_id FROM events WHERE event_type = 'TOKEN_CANCELED'");
    expect(events.map((e) => e.authorization_id).sort()).toEqual([...ids].sort());
    const expected = new Set(events.flatMap((e) => merchant.endpoints.map((ep) => `${e.id} ${ep.path}`)));
    expect(new Set(receiver.counts().keys())).toEqual(expected);
    expect(receiver.arrivals).toHaveLength(TOKENS * ENDPOINTS);

    // A revoke repeated now answers S at once and changes nothing.
    expect((await revoke(gateway.baseUrl, merchant, issued[0].accessToken)).status).toBe('S');
    expect(await reader.count("SELECT COUNT(*) FROM events WHERE event_type = 'TOKEN_CANCELED'")).toBe(TOKENS);

    process.stderr.write(
      `[faults] Alipay+ outage on ${testEngine()}: ${await unreachable()} attempts failed unreachable ` +
        `(calls refused by the open breaker are not attempts; ` +
        `up to ${await reader.count('SELECT MAX(attempt_no) FROM cancel_token_attempts')} attempts per job); tokens at outage ${JSON.stringify(tokensAtOutage)}; ` +
        `all settled ${settledMs} ms after it came back\n`,
    );
    await gateway.stop();
  });
});
