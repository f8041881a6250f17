import type { IssuedAuthorization } from '../../src/alipayplus/simulator';
import { TEST_ACQUIRER_ID } from '../support/fixtures';
import { testEngine } from '../support/test-database';
import { openFaultDatabase, until } from './support/database';
import { faultEnvironment, spawnGateway } from './support/gateways';
import { inParallel, onboardMerchant, revoke } from './support/merchant';
import { revokeRig } from './support/revoke-rig';
import { drainNotifications } from './support/simulator';

const TOKENS = 20;
/** cancelToken answers U this many times per token before S. */
const U_TIMES = 4;
const ENDPOINTS = 3;

/**
 * kill -9 while merchant revokes are being retried against an Alipay+ that
 * answers U: the retry state is durable, so a new process on the same
 * database settles every one, always with the token's own accessToken, and
 * each token ends with exactly one cancellation and its callbacks.
 */
describe(`SIGKILL during cancelToken retries on ${testEngine()}`, () => {
  const rig = revokeRig();

  it('settles every revoke after the restart, with the same accessToken, one cancellation and its deliveries per token', async () => {
    const { db, receiver, sim } = rig;
    const env = faultEnvironment(db, {
      ALIPAYPLUS_BASE_URL: sim.baseUrl,
      ALIPAYPLUS_TIMEOUT_MS: '1000',
      REVOKE_BUDGET_MS: '200',
      CANCEL_TOKEN_RETRY_BASE_MS: '300',
      CANCEL_TOKEN_POLL_MS: '50',
    });
    const first = await spawnGateway('first', env);
    sim.simulator.setGatewayBaseUrl(first.baseUrl);
    const reader = (rig.reader = await openFaultDatabase(db));
    const merchant = await onboardMerchant(first.baseUrl, { subMerchants: ENDPOINTS - 1, ownEndpoint: true, url: receiver.url, tag: 'revoke' });

    // Users bind their wallets: AUTHCODE_CREATED and TOKEN_CREATED from the simulator, acknowledged.
    const issued: IssuedAuthorization[] = await inParallel([...Array(TOKENS).keys()], 4, () =>
      sim.simulator.issueAuthorization({ referenceMerchantId: merchant.referenceMerchantId }),
    );
    const created = await Promise.all(issued.map((a) => a.notifications.tokenCreated!.settled));
    expect(created.map((o) => o.state)).toEqual(new Array(TOKENS).fill('ACKNOWLEDGED'));
    for (const a of issued) sim.simulator.setRule(a.accessToken, { kind: 'failTimesThenSucceed', times: U_TIMES, with: 'unknown' });

    const answers = await inParallel(issued, 5, (a) => revoke(first.baseUrl, merchant, a.accessToken));
    expect(answers.map((x) => x.status)).toEqual(new Array(TOKENS).fill('U'));
    const calls = (a: IssuedAuthorization) => sim.simulator.receivedFor(a.accessToken);
    await until('every token to have been retried at least once', () => issued.every((a) => calls(a).length >= 2), 30_000);

    await first.kill9();
    const callsAtKill = issued.map((a) => calls(a).length);
    const jobsAtKill = await reader.query<{ authorization_id: string; status: string }>('SELECT authorization_id, status FROM cancel_token_jobs');
    const leasedJobs = new Set(jobsAtKill.filter((j) => j.status === 'LEASED').map((j) => j.authorization_id));
    const deliveriesLeasedAtKill = (await reader.deliveryStatuses()).LEASED ?? 0;
    // Mid-retries: no token has had all its U answers yet.
    expect(callsAtKill.every((n) => n >= 2 && n <= U_TIMES)).toBe(true);

    const second = await spawnGateway('second', env);
    // Alipay+ finds the ACQP again (its notifications, e.g. the ACQUIRER echo, go to the new process).
    sim.simulator.setGatewayBaseUrl(second.baseUrl);
    const tokenIds = new Map<string, string>();
    for (const a of issued) tokenIds.set(a.accessToken, (await reader.token(a.accessToken))!.id);
    const statuses = async () => reader.query<{ id: string; status: string }>('SELECT id, status FROM authorizations');
    await until(
      'every token to be CANCELED',
      async () => (await statuses()).filter((r) => [...tokenIds.values()].includes(r.id)).every((r) => r.status === 'CANCELED'),
      90_000,
      async () => `${JSON.stringify(await reader.query('SELECT status, COUNT(*) AS n FROM cancel_token_jobs GROUP BY status'))}\n${second.logTail()}`,
      200,
    );
    await drainNotifications(sim.simulator, 30_000);
    await until(
      'every callback to be DELIVERED',
      async () => (await reader.deliveryStatuses()).DELIVERED === TOKENS * ENDPOINTS,
      30_000,
      async () => JSON.stringify(await reader.deliveryStatuses()),
    );

    // Nothing went to Alipay+ but these tokens' cancelTokens.
    const ours = new Set(issued.map((a) => a.accessToken));
    expect(sim.simulator.received().filter((c) => !ours.has(JSON.parse(c.rawBody).accessToken))).toEqual([]);
    for (const [i, a] of issued.entries()) {
      const id = tokenIds.get(a.accessToken)!;
      const sent = calls(a);
      // Alipay+ cancelToken is idempotent on accessToken: every attempt, before and after the kill, carried this token's own.
      for (const c of sent) {
        expect(c.signatureValid).toBe(true);
        expect(JSON.parse(c.rawBody)).toMatchObject({ accessToken: a.accessToken, pspId: a.pspId, authClientId: a.authClientId, acquirerId: TEST_ACQUIRER_ID });
      }
      expect(sent.slice(0, U_TIMES).map((c) => c.answered.resultStatus)).toEqual(new Array(U_TIMES).fill('U'));
      expect(sent.slice(U_TIMES).every((c) => c.answered.resultStatus === 'S')).toBe(true);
      expect(sent.length).toBeGreaterThan(U_TIMES);
      expect(sent.length).toBeGreaterThan(callsAtKill[i]);

      const [job] = await reader.query<{ id: string; status: string }>('SELECT id, status FROM cancel_token_jobs WHERE authorization_id = ?', [id]);
      expect(['SUCCEEDED', 'SETTLED']).toContain(job.status);
      // Every call the gateway made is on the record, except one a killed process may have had in flight.
      const recorded = await reader.count('SELECT COUNT(*) FROM cancel_token_attempts WHERE job_id = ?', [job.id]);
      expect(sent.length - recorded).toBeGreaterThanOrEqual(0);
      expect(sent.length - recorded).toBeLessThanOrEqual(leasedJobs.has(id) ? 1 : 0);
    }

    // One cancellation per token (the revoke's S and Alipay+'s ACQUIRER echo are the same one), fanned out once.
    const events = await reader.query<{ id: string; authorization_id: string; cancel_source: string }>(
      "SELECT id, authorization_id, cancel_source FROM events WHERE event_type = 'TOKEN_CANCELED'",
    );
    expect(events.map((e) => e.authorization_id).sort()).toEqual([...tokenIds.values()].sort());
    expect(new Set(events.map((e) => e.cancel_source))).toEqual(new Set(['ACQUIRER']));
    const echoes = sim.simulator.notifications().filter((n) => n.rawBody.includes('"tokenCancelSource":"ACQUIRER"'));
    expect(echoes.length).toBeGreaterThanOrEqual(TOKENS);
    expect(echoes.filter((n) => n.state() !== 'ACKNOWLEDGED')).toEqual([]);

    const pathOf = new Map(merchant.endpoints.map((e) => [e.id, e.path]));
    const pairs = await reader.query<{ event_id: string; endpoint_id: string }>('SELECT event_id, endpoint_id FROM deliveries');
    const expected = new Set(pairs.map((p) => `${p.event_id} ${pathOf.get(p.endpoint_id)}`));
    expect(expected).toEqual(new Set(events.flatMap((e) => merchant.endpoints.map((ep) => `${e.id} ${ep.path}`))));
    expect(new Set(receiver.counts().keys())).toEqual(expected);
    expect(receiver.arrivals.length - receiver.distinct()).toBeLessThanOrEqual(deliveriesLeasedAtKill);
    expect(receiver.arrivals.filter((x) => !x.signatureValid)).toEqual([]);

    process.stderr.write(
      `[faults] kill mid-revoke-retries on ${testEngine()}: calls at kill ${callsAtKill.join(',')}; jobs leased at kill ${leasedJobs.size}; ` +
        `calls in all ${issued.map((a) => calls(a).length).reduce((x, y) => x + y, 0)}\n`,
    );
    await second.stop();
  });
});
