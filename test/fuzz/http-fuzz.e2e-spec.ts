import fc from 'fast-check';
import { METHODS } from 'node:http';
import { DataSource } from 'typeorm';
import { TEST_CLIENT_ID } from '../support/fixtures';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { settledSnapshot, type DbSnapshot } from './db-snapshot';
import { describeOutcome, printSummary, replayHint, type Outcome } from './fuzz-report';
import { fuzzClient } from './http-client';
import { planArbitrary } from './http-plans';
import { materialize, verifyAnswer } from './materialize';
import type { FuzzContext, Plan } from './plan';
import { routesFrom } from './routes';

/** Requests to send, across every public route (CI runs the default on both engines). */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
/** fast-check seed of the request plans: printed, and replayed by setting it. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/** Replay only these plan indexes (comma-separated), e.g. the ones a failure printed. */
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(',').map(Number)) : null;
/** Requests in flight, over as many keep-alive connections. */
const CONCURRENCY = 16;
/** No new request starts after this; the test then fails for the ones not sent. */
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 150_000);
/** One request may take this long (a 10,000-deep body, a 1 MiB body on a busy machine). */
const REQUEST_TIMEOUT_MS = 20_000;

const AUTH_NOTIFY = '/aps/api/v1/authorizations/authNotify';

type Rule =
  | 'no 5xx'
  | 'an answer for every request'
  | 'protocol routes: 4xx or 200 with a signed result'
  | 'protocol routes: bad input is F, never U'
  | 'admin: bad input or a wrong token is refused'
  | 'nothing is ever answered S'
  | 'sandbox routes do not exist in live mode';

/**
 * Tables that record attempts by design, refused ones included: every write an
 * operator tries is an audit row, every wrong token a count against the address.
 */
const ATTEMPT_RECORDS = ['audit_events', 'auth_throttles'];

const PROTOCOL_STATUSES = new Set([200, 400, 401, 404, 405, 413, 415, 431]);
/** 414: an id longer than the router's parameter limit. */
const ADMIN_REFUSALS = new Set([400, 401, 404, 405, 413, 414, 415, 431]);

describe(`HTTP fuzz on ${testEngine()}: ${REQUESTS} malformed requests, seed ${SEED}`, () => {
  let sut: TestApp;
  let merchant: TestMerchant;
  let before: DbSnapshot;
  let after: DbSnapshot;
  let outcomes: Outcome[] = [];
  let planned = 0;
  let elapsedMs = 0;
  let auditedStatuses: number[] = [];
  let live: number;
  let ready: number;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // Wrong tokens come thick and fast from one address here: lockouts have their own spec (test/security).
    sut = await startTestApp({ env: { AUTH_FAILURES_BEFORE_LOCKOUT: '1000000' } });
    const db = sut.app.get(DataSource);

    // One merchant with a sub-merchant and one ACTIVE token: what a lapse in validation would touch.
    merchant = await seedMerchant(sut.app, { subMerchants: 1, rateLimitPerSecond: 100_000 });
    const notifications = notificationSet(merchant.referenceMerchantId);
    const created = await postSigned(sut.baseUrl, AUTH_NOTIFY, notifications.tokenCreated);
    expect(created.json.result.resultStatus).toBe('S');

    const openApi = (await (await fetch(`${sut.baseUrl}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const ctx: FuzzContext = {
      routes: routesFrom(openApi),
      merchant: {
        id: merchant.id,
        clientId: merchant.clientId,
        referenceMerchantId: merchant.referenceMerchantId,
        subMerchantId: merchant.subMerchants[0].id,
        subAccountId: merchant.subMerchants[0].merchantAccountId,
      },
      activeToken: notifications.accessToken,
      alipayPlusClientId: TEST_CLIENT_ID,
    };

    before = await settledSnapshot(db, { except: ATTEMPT_RECORDS });
    const plans = fc.sample(planArbitrary(ctx), { seed: SEED, numRuns: REQUESTS });
    const chosen = plans.map((plan, i) => ({ plan, i })).filter(({ i }) => !ONLY || ONLY.has(i));
    planned = chosen.length;

    const client = fuzzClient(sut.baseUrl, CONCURRENCY, REQUEST_TIMEOUT_MS);
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < chosen.length && Date.now() - started < TIME_LIMIT_MS) {
          const { plan, i } = chosen[next++];
          outcomes.push(await send(client, plan, i, sut.config.http.bodyLimitBytes, merchant));
        }
      }),
    );
    elapsedMs = Date.now() - started;
    client.close();
    outcomes = outcomes.sort((a, b) => a.i - b.i);

    after = await settledSnapshot(db, { except: ATTEMPT_RECORDS });
    auditedStatuses = (await db.query<Array<{ status: number }>>('SELECT DISTINCT status FROM audit_events')).map((r) => Number(r.status));
    live = (await fetch(`${sut.baseUrl}/health/live`)).status;
    ready = (await fetch(`${sut.baseUrl}/health/ready`)).status;
    printSummary(outcomes, ctx.routes, { seed: SEED, requests: REQUESTS, concurrency: CONCURRENCY, elapsedMs }, violations);
  }, TIME_LIMIT_MS + 120_000);

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await sut?.close();
  });

  it(`sends all ${REQUESTS} requests within ${TIME_LIMIT_MS / 1000} s`, () => {
    expect({ sent: outcomes.length, elapsedMs: elapsedMs < TIME_LIMIT_MS }).toEqual({ sent: planned, elapsedMs: true });
  });

  it('keeps serving: /health/live and /health/ready answer 200 at the end, and no promise rejection went unhandled', () => {
    expect({ live, ready, rejections: rejections.map(String) }).toEqual({ live: 200, ready: 200, rejections: [] });
  });

  it('changes nothing in the database: same rows, same statuses', () => {
    expect(after).toEqual(before);
  });

  it('leaves only records of refused attempts: every audit row it caused is a refusal', () => {
    expect(auditedStatuses.filter((s) => s < 400)).toEqual([]);
  });

  it.each<Rule>([
    'no 5xx',
    'an answer for every request',
    'protocol routes: 4xx or 200 with a signed result',
    'protocol routes: bad input is F, never U',
    'admin: bad input or a wrong token is refused',
    'nothing is ever answered S',
    'sandbox routes do not exist in live mode',
  ])('%s', (rule) => {
    const broken = outcomes.filter((o) => violations(o).includes(rule));
    expect({ count: broken.length, examples: broken.slice(0, 8).map(describeOutcome), replay: replayHint(broken, { seed: SEED, requests: REQUESTS }) }).toEqual(
      {
        count: 0,
        examples: [],
        replay: '',
      },
    );
  });
});

// ----- sending ---------------------------------------------------------------------------------------

async function send(client: ReturnType<typeof fuzzClient>, plan: Plan, i: number, limit: number, merchant: TestMerchant): Promise<Outcome> {
  if (plan.raw) {
    const answer = await client.raw(Buffer.from(plan.raw.bytes), plan.raw.incomplete ? 250 : 2000);
    return { i, plan, answer };
  }
  const out = materialize(plan, limit, merchant, Date.now());
  const { retried, ...answer } = await client.send(out);
  const outcome: Outcome = { i, plan, answer, retried };
  const json = parseJson(answer.body);
  if (json && typeof json === 'object' && 'result' in json) outcome.result = (json as { result: Outcome['result'] }).result;
  if (plan.route.kind === 'protocol' && answer.status === 200) outcome.signatureValid = verifyAnswer(out, answer);
  return outcome;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0 || body.length > 64 * 1024) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

// ----- judging -------------------------------------------------------------------------------------------

function overLimit(plan: Plan): boolean {
  return plan.body.kind === 'sized' && (plan.body.size === 'limit+1' || plan.body.size === '2x limit');
}

/** Node's HTTP server header limit (16 KiB): beyond it the answer is a 431 and a closed socket. */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Requests Node's HTTP parser itself refuses (unknown method, headers over the
 * limit) or whose body is over the limit: the server writes its 4xx and closes
 * at once, and the close can overtake the answer (the client then sees a reset).
 */
function refusedByHttpLayer(plan: Plan): boolean {
  const headerBytes = plan.path.length + plan.headers.reduce((n, [k, v]) => n + k.length + ([] as string[]).concat(v).join('').length + 4, 0);
  return !METHODS.includes(plan.method) || headerBytes > MAX_HEADER_BYTES - 1024 || overLimit(plan);
}

/**
 * Node's server answers a request line its parser refuses (say a raw byte in
 * the path) with a 400 that has a body, since it cannot know the method: a
 * HEAD client cannot parse that answer.
 */
function headRefusedByHttpLayer(plan: Plan, status: string): boolean {
  return plan.method === 'HEAD' && /^ERR:HPE_/.test(status);
}

/** The rules an outcome breaks (none, normally). */
function violations(o: Outcome): Rule[] {
  const { plan, answer } = o;
  const status = answer.status;
  const broken: Rule[] = [];
  if (typeof status === 'number' && status >= 500) broken.push('no 5xx');
  if (typeof status !== 'number') {
    // A raw socket may be dropped; so may a body the server stopped reading at the limit.
    const excused = plan.category === 'raw' || (refusedByHttpLayer(plan) && /^ERR:(EPIPE|ECONNRESET)$/.test(status)) || headRefusedByHttpLayer(plan, status);
    if (!excused) broken.push('an answer for every request');
    return broken;
  }
  if (o.result?.resultStatus === 'S') broken.push('nothing is ever answered S');

  if (plan.route.kind === 'protocol' && plan.exact && plan.method === 'POST') {
    const signedResult = status !== 200 || (o.signatureValid === true && (o.result?.resultStatus === 'F' || o.result?.resultStatus === 'U'));
    if (!PROTOCOL_STATUSES.has(status) || !signedResult) broken.push('protocol routes: 4xx or 200 with a signed result');
    if ((plan.category === 'signed-bad-body' || plan.category === 'bad-auth') && status === 200 && o.result?.resultStatus !== 'F') {
      broken.push('protocol routes: bad input is F, never U');
    }
  }
  if (plan.category === 'admin' && plan.exact) {
    const mustRefuse = plan.admin !== 'right' || plan.method !== 'GET';
    if (mustRefuse && !ADMIN_REFUSALS.has(status)) broken.push('admin: bad input or a wrong token is refused');
  }
  // Not mounted: refused like any unknown path (404, or 4xx the HTTP layer gives first), never served.
  if (plan.route.kind === 'sandbox' && plan.exact && (status < 400 || status >= 500)) broken.push('sandbox routes do not exist in live mode');
  return broken;
}
