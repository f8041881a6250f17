/**
 * TOKEN_CANCELED fan-out benchmark: the gateway's real callback fan-out,
 * end to end, next to the BullMQ worker a Node team would otherwise build.
 * A report, not a test.
 *
 *   npm run build && node dist/bench/fanout.bench.js [--write] [--profile] [--help]
 *
 * Set-up, all on 127.0.0.1:
 *   - receivers (bench/support/fanout-receiver.server.ts): merchant endpoints
 *     http://127.0.0.1:<port>/r/<n> that check each callback's signature as
 *     WebhookTool.checkSignature does and answer S, stamping arrival times;
 *   - the compiled gateway, CALLBACK_ALLOW_PRIVATE_NETWORKS=127.0.0.0/8, on
 *     MariaDB and on SQLite; one merchant, --endpoints sub-merchants with one
 *     TOKEN_CANCELED endpoint each, via the admin API; the tokens made ACTIVE
 *     first by signed TOKEN_CREATED notifications;
 *   - the BullMQ peer: a producer (this process) that per cancellation bulk-adds
 *     one job per endpoint to Redis (scripts/redis.sh), and a Worker process
 *     (bench/bullmq/fanout.worker.ts) that composes, signs and POSTs each with
 *     the gateway's own body and signing functions.
 *
 * Phases per target:
 *   (a) single: one cancellation -> one callback per endpoint; time from its
 *       acknowledgement to the last callback's arrival (after one warm-up);
 *   (b) burst: --cancellations cancellations handed over as fast as acknowledged
 *       (--concurrency in flight); deliveries/s from the first notification to
 *       the last delivery, acknowledgement-to-arrival p50/p99, peak RSS,
 *       and every (cancellation, endpoint) checked: missing, duplicates;
 *   (c) trickle: an open-loop rate well under capacity for --trickle-duration,
 *       once the target and its store are idle: the unsaturated p99.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenCanceledBody, tokenCreatedBody, type AuthorizationRecord } from '../src/alipayplus/simulator';
import { newAuthorization } from '../src/alipayplus/simulator/authorization.factory';
import { FanoutProducer } from './bullmq/fanout.producer';
import { localServer, serverCounters } from './support/bench-database';
import { AUTH_NOTIFY_PATH, BENCH_ACQUIRER_ID, BENCH_CLIENT_ID, BENCH_PEMS, measureSignMs } from './support/bench-keys';
import { startNodeChild } from './support/child-process';
import { memoryMB, processCpuMs, processesCpuMs, redisPid } from './support/cpu-meter';
import { runPhase, type FanoutTarget, type PhaseRun, type WaitLimits } from './support/fanout';
import { FanoutReceivers } from './support/fanout-receivers';
import { drive, httpSender } from './support/load';
import { seedEndpoints } from './support/merchant-seed';
import { presign } from './support/presign';
import { median, ms, rate } from './support/report';
import { busy, log, rangeCheck, runScenario, table, type Goal, type Report, type TargetRun } from './support/scenario';

const GOAL_DELIVERIES_PER_SECOND = 2000;
const GOAL_UNSATURATED_P99_MS = 250;
const GOAL_RSS_MB = 250;
/** A phase's callbacks stop being awaited after this long without a new one; the token set-up's limit. */
const STALL_MS = 60_000;
const SETUP_LIMIT_MS = 300_000;
/** The trickle's default ceiling (cancellations per second) and the fewest cancellations it sends. */
const TRICKLE_MAX_RATE = 20;
const TRICKLE_MIN_CANCELLATIONS = 5;

interface Settings {
  endpoints: number;
  cancellations: number;
  concurrency: number;
  singles: number;
  /** Explicit trickle rate; null: automatic. */
  trickleRate: number | null;
  trickleDurationMs: number;
  receivers: number;
  receiverPorts: number;
  workerConcurrency: number;
  maxWaitMs: number;
}

/** The gateway targets: engine, callback signing scheme, instances on one database. */
const GATEWAYS = {
  mariadb: { engine: 'mariadb', scheme: 'ANTOM_RSA', instances: 1, name: 'gateway MariaDB' },
  sqlite: { engine: 'sqlite', scheme: 'ANTOM_RSA', instances: 1, name: 'gateway SQLite' },
  'mariadb-hmac': { engine: 'mariadb', scheme: 'STANDARD_WEBHOOKS', instances: 1, name: 'gateway MariaDB, Standard Webhooks (HMAC)' },
  'sqlite-hmac': { engine: 'sqlite', scheme: 'STANDARD_WEBHOOKS', instances: 1, name: 'gateway SQLite, Standard Webhooks (HMAC)' },
  'mariadb-2x': { engine: 'mariadb', scheme: 'ANTOM_RSA', instances: 2, name: 'gateway MariaDB, 2 instances' },
} as const;
type GatewayKind = keyof typeof GATEWAYS;

interface Run extends TargetRun {
  kind: GatewayKind | 'bullmq';
  singles: PhaseRun[];
  warmup?: PhaseRun;
  burst?: PhaseRun;
  trickle?: PhaseRun;
  /** How long the trickle waited for the target and its store to go idle after the burst, ms. */
  settleMs?: number;
  /** Peak RSS over the whole run (VmHWM of the gateway or worker), MB; Redis used_memory_peak (BullMQ), MB. */
  lifetimePeakMB?: number;
  storePeakMB?: number;
}

const phasesOf = (r: Run) => [r.warmup, ...r.singles, r.burst, r.trickle].filter((p): p is PhaseRun => p !== undefined);

/**
 * Waits until the target and its store have finished the burst's aftermath
 * (MariaDB flushes pages and purges old row versions for a while after a
 * burst): each under 10% of a core for 3 s in a row, at most 60 s, so the
 * trickle measures an unsaturated system, not the tail of the burst.
 */
async function settle(target: FanoutTarget): Promise<{ waitedMs: number; idle: boolean }> {
  const started = Date.now();
  for (let quiet = 0; Date.now() - started < 60_000;) {
    const before = [processesCpuMs(target.pids), processCpuMs(target.storePid)];
    await new Promise((r) => setTimeout(r, 1_000));
    const after = [processesCpuMs(target.pids), processCpuMs(target.storePid)];
    quiet = after.some((v, i) => v !== null && before[i] !== null && v - before[i] > 100) ? 0 : quiet + 1;
    if (quiet >= 3) return { waitedMs: Date.now() - started, idle: true };
  }
  return { waitedMs: Date.now() - started, idle: false };
}

/** The phases, in order, against one target; trickleRate() is asked after the burst. */
async function runPhases(target: FanoutTarget, receivers: FanoutReceivers, s: Settings, run: Run, trickleRate: (burst: PhaseRun) => number): Promise<void> {
  const limits: WaitLimits = { maxWaitMs: s.maxWaitMs, stallMs: STALL_MS };
  for (let k = 0; k <= s.singles; k++) {
    const single = await runPhase(target, receivers, s.endpoints, 'single', { count: 1, concurrency: 1 }, { maxWaitMs: 60_000, stallMs: 30_000 });
    const o = single.outcome;
    log(
      `  ${k === 0 ? 'warm-up single' : `single ${k}`}: ${o.delivered}/${o.expected} callbacks, last ${ms(o.ackToLastOfCancellation.max)} ms after the ack${single.incomplete ? ` (${single.incomplete})` : ''}`,
    );
    if (k === 0) run.warmup = single;
    else run.singles.push(single);
  }
  log(`  burst: ${s.cancellations} cancellations, ${s.concurrency} in flight ...`);
  const burst = (run.burst = await runPhase(target, receivers, s.endpoints, 'burst', { count: s.cancellations, concurrency: s.concurrency }, limits));
  const b = burst.outcome;
  log(
    `  burst: ${b.delivered}/${b.expected} callbacks in ${b.elapsedS.toFixed(1)} s = ${rate(b.deliveriesPerSecond)}/s (steady ${rate(b.steadyPerSecond)}/s), ` +
      `ack->delivery p50 ${rate(b.ackToDelivery.p50)} ms p99 ${rate(b.ackToDelivery.p99)} ms; acks ${rate(b.acksPerSecond)}/s; ` +
      `missing ${b.missing}, duplicates ${b.duplicates}, bad signatures ${b.invalidSignatures}; peak RSS ${rate(burst.memory.peakRssMB)} MB${burst.incomplete ? ` (${burst.incomplete})` : ''}`,
  );
  const settled = await settle(target);
  run.settleMs = settled.waitedMs;
  log(`  settled after the burst in ${(settled.waitedMs / 1000).toFixed(1)} s${settled.idle ? '' : ' (still busy at the limit)'}`);
  const perSecond = trickleRate(burst);
  const count = Math.max(TRICKLE_MIN_CANCELLATIONS, Math.round(perSecond * (s.trickleDurationMs / 1000)));
  const t = (run.trickle = await runPhase(target, receivers, s.endpoints, 'trickle', { count, rate: perSecond }, limits)).outcome;
  log(
    `  trickle ${perSecond}/s: ${t.delivered}/${t.expected} callbacks, ack->delivery p50 ${ms(t.ackToDelivery.p50)} ms, p99 ${ms(t.ackToDelivery.p99)} ms, max ${ms(t.ackToDelivery.max)} ms`,
  );
}

function tokenPool(count: number, referenceMerchantId: string): AuthorizationRecord[] {
  return Array.from({ length: count }, () =>
    newAuthorization({ referenceMerchantId }, { acquirerId: BENCH_ACQUIRER_ID, pspId: '102208800000001230', now: Date.now }),
  );
}

runScenario<Settings>({
  name: 'fanout',
  title: 'TOKEN_CANCELED fan-out',
  targets: ['mariadb', 'bullmq', 'sqlite', 'mariadb-hmac', 'sqlite-hmac', 'mariadb-2x'],
  options: {
    endpoints: 'sub-merchants, one callback endpoint each (default 100)',
    cancellations: 'cancellations in the burst phase (default 1000)',
    concurrency: 'burst: authNotify requests (BullMQ: addBulk calls) in flight (default 32)',
    singles: 'timed single-cancellation runs, after one warm-up (default 3)',
    'trickle-rate': "trickle phase, cancellations per second; default: min(20, half the first gateway burst's steady rate / endpoints, in tenths)",
    'trickle-duration': 'trickle phase, seconds (default 10)',
    receivers: 'receiver processes (default 1)',
    'receiver-ports': 'ports per receiver process (default 4)',
    'worker-concurrency': 'BullMQ Worker concurrency (default 128, as CALLBACK_CONCURRENCY)',
    'max-wait': "longest wait for one phase's callbacks, seconds (default 1800)",
    'start-redis': 'start Redis first (scripts/redis.sh start)',
  },
  settings: (args) => ({
    endpoints: args.number('endpoints', 100, 1, 1000),
    cancellations: args.number('cancellations', 1000, 1, 20_000),
    concurrency: args.number('concurrency', 32, 1, 512),
    singles: args.number('singles', 3, 0, 20),
    trickleRate: args.has('trickle-rate') ? args.number('trickle-rate', TRICKLE_MAX_RATE, 0.1, 1000) : null,
    trickleDurationMs: args.number('trickle-duration', 10, 1, 120) * 1000,
    receivers: args.number('receivers', 1, 1, 8),
    receiverPorts: args.number('receiver-ports', 4, 1, 64),
    workerConcurrency: args.number('worker-concurrency', 128, 1, 1024),
    maxWaitMs: args.number('max-wait', 1800, 10, 3600) * 1000,
  }),
  run: async (ctx) => {
    const s = ctx.settings;
    let redisUrl: string | null = null;
    if (ctx.targets.includes('bullmq')) {
      const server = await localServer('redis', ctx.args.flag('start-redis'));
      if (server.url === null) ctx.notes.push(`BullMQ skipped: ${server.why} (start it with scripts/redis.sh start, or pass --start-redis)`);
      redisUrl = server.url;
    }
    const receivers = await FanoutReceivers.start(s.receivers, s.receiverPorts);
    log(`receivers: ${receivers.describe()}, verifying every signature (WebhookTool.checkSignature) and answering S`);
    // One trickle rate for every target: the given one, or half of what the first gateway's burst sustained, in tenths (a slow gateway's is below one).
    let trickle = s.trickleRate;
    const trickleRate = (burst: PhaseRun) =>
      (trickle ??= Number.isFinite(burst.outcome.steadyPerSecond)
        ? Math.max(0.1, Math.min(TRICKLE_MAX_RATE, Math.floor((5 * burst.outcome.steadyPerSecond) / s.endpoints) / 10))
        : TRICKLE_MAX_RATE);

    const gateway = (kind: GatewayKind) =>
      ctx.target<Run>(GATEWAYS[kind].name, { kind, singles: [] }, (run) =>
        ctx.gateway(run, GATEWAYS[kind].engine, { env: { CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' }, instances: GATEWAYS[kind].instances }, async (g) => {
          const secrets = await seedEndpoints(g.port, g.merchant, s.endpoints, (n) => receivers.url(n), GATEWAYS[kind].scheme);
          await receivers.clearSecrets();
          for (const [n, secret] of secrets.entries()) if (secret) await receivers.setSecret(n, secret);
          log(`  seeded ${s.endpoints} sub-merchants with one ${GATEWAYS[kind].scheme} endpoint each (admin API)`);
          // The tokens exist before they are canceled, as in production (endpoints subscribe to TOKEN_CANCELED only: no callbacks).
          const trickleMax = Math.max(TRICKLE_MIN_CANCELLATIONS, Math.ceil((s.trickleRate ?? TRICKLE_MAX_RATE) * (s.trickleDurationMs / 1000)));
          const pool = tokenPool(1 + s.singles + s.cancellations + trickleMax + 1, g.merchant.referenceMerchantId);
          const sign = (body: (a: AuthorizationRecord) => object, batch: AuthorizationRecord[]) =>
            presign(
              batch.map((a) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: JSON.stringify(body(a)) })),
              BENCH_PEMS.alipayPlusPrivate,
            );
          const setup = (await drive(g.port, await sign(tokenCreatedBody, pool), { concurrency: 16, durationMs: SETUP_LIMIT_MS })).result;
          run.checks.push(rangeCheck('set-up: tokens created by TOKEN_CREATED', pool.length, pool.length, setup.s));
          log(`  set-up: ${setup.s}/${pool.length} tokens created in ${setup.elapsedS.toFixed(1)} s (${rate(setup.sPerSecond)}/s)`);
          let next = 0;
          const target: FanoutTarget = {
            pids: g.pids,
            storePid: g.databasePid,
            prepare: async (count) => {
              if (next + count > pool.length) throw new Error(`token pool exhausted (${pool.length})`);
              const batch = pool.slice(next, (next += count));
              const signed = await sign((a) => tokenCanceledBody(a, 'PSP'), batch);
              // With several instances, cancellation i goes to instance i mod n, as a load balancer would spread them.
              const senders = g.ports.map((port) => httpSender(port, signed, Math.max(s.concurrency, 64), 30_000));
              const task = (i: number) => senders[i % senders.length].task(i);
              return { tokens: batch.map((a) => a.accessToken), task, close: () => senders.forEach((x) => x.close()) };
            },
            counters: async () => {
              const c = await serverCounters(g.db);
              return c && { Questions: c.Questions, select: c.Com_select, insert: c.Com_insert, update: c.Com_update, commit: c.Com_commit };
            },
          };
          await g.measure(() => runPhases(target, receivers, s, run, trickleRate));
          run.lifetimePeakMB = Math.max(
            ...g.pids.map((pid) => memoryMB(pid)?.hwm ?? NaN),
            ...phasesOf(run)
              .map((p) => p.memory.hwmMB)
              .filter(Number.isFinite),
          );

          // What the outbox holds afterwards: every acknowledged cancellation's deliveries DELIVERED, one attempt each.
          const acked = phasesOf(run).reduce((n, p) => n + p.outcome.cancellationsAcked, 0);
          const sent = phasesOf(run).reduce((n, p) => n + p.outcome.cancellationsSent, 0);
          const count = (sql: string) => g.db.scalar(`SELECT COUNT(*) AS n FROM ${sql}`);
          run.checks.push(
            rangeCheck('TOKEN_CANCELED events (one per acknowledged cancellation)', acked, sent, await count("events WHERE event_type = 'TOKEN_CANCELED'")),
            rangeCheck('deliveries DELIVERED', acked * s.endpoints, sent * s.endpoints, await count("deliveries WHERE status = 'DELIVERED'")),
            rangeCheck('deliveries PENDING, LEASED or FAILED', 0, 0, await count("deliveries WHERE status <> 'DELIVERED'")),
            rangeCheck('delivery_attempts rows (one per delivery: no retries)', acked * s.endpoints, sent * s.endpoints, await count('delivery_attempts')),
          );
        }),
      );

    const bullmq = (url: string) =>
      ctx.target<Run>('BullMQ worker (Redis)', { kind: 'bullmq', singles: [] }, async (run) => {
        const queueName = `acqp-bench-fanout-${randomBytes(4).toString('hex')}`;
        run.database = `${new URL(url).host} queue ${queueName}`;
        const endpoints = Array.from({ length: s.endpoints }, (_, n) => ({ url: receivers.url(n), merchantAccountId: `SUB_${String(n).padStart(3, '0')}` }));
        const producer = new FanoutProducer(url, queueName, `2188BULLMQ${randomBytes(3).toString('hex').toUpperCase()}`, endpoints);
        const worker = startNodeChild('bullmq worker', join(__dirname, 'bullmq', 'fanout.worker.js'), {
          env: { REDIS_URL: url, QUEUE: queueName, CONCURRENCY: String(s.workerConcurrency) },
          cwd: tmpdir(),
        });
        try {
          await worker.waitForLine(/^READY/, 30_000);
          await producer.queue.waitUntilReady();
          const target: FanoutTarget = {
            pids: worker.child.pid === undefined ? [] : [worker.child.pid],
            storePid: redisPid(),
            prepare: async (count) => {
              const tokens = Array.from({ length: count }, () => `28101003${randomBytes(16).toString('hex')}`);
              return { tokens, task: (i) => producer.cancel(tokens[i]), close: () => undefined };
            },
          };
          await runPhases(target, receivers, s, run, trickleRate);
          run.lifetimePeakMB = memoryMB(worker.child.pid)?.hwm;
          run.storePeakMB = await producer.redisPeakMB();
          const left = Object.values(await producer.counts()).reduce((a, b) => a + b, 0);
          run.checks.push(rangeCheck('jobs left waiting, active, delayed (retrying) or failed', 0, 0, left));
          run.checks.push({ what: 'Redis used_memory_peak MB (not in the worker RSS)', expected: '-', found: rate(run.storePeakMB), ok: null });
        } finally {
          await producer.close().catch(() => undefined);
          await worker.stop();
          const stats = worker.lines((l) => l.startsWith('STATS '), 1)[0];
          if (stats)
            run.checks.push(
              rangeCheck('worker: failed attempts (retried by BullMQ)', 0, 0, (JSON.parse(stats.slice(6)) as { failedAttempts: number }).failedAttempts),
            );
        }
      });

    // A gateway first (it sets the trickle rate), the BullMQ peer right after the MariaDB gateway it is compared with.
    const order = ctx.targets[0] === 'bullmq' ? [...ctx.targets.slice(1), 'bullmq'] : ctx.targets;
    const runs: Run[] = [];
    try {
      for (const t of order) {
        if (t === 'bullmq') {
          if (redisUrl) runs.push(await bullmq(redisUrl));
        } else runs.push(await gateway(t as GatewayKind));
      }
    } finally {
      await receivers.stop();
    }
    return report(runs, s, trickle, receivers.describe(), redisUrl, ctx.machine.cores, measureSignMs());
  },
});

/** Medians (sums for counts) over the phases of one row of the results table. */
function aggregate(r: Run, phase: string, load: string, ps: PhaseRun[]) {
  const sum = (f: (p: PhaseRun) => number) => ps.reduce((n, p) => n + f(p), 0);
  const mid = (f: (p: PhaseRun) => number) => median(ps.map(f));
  const max = (f: (p: PhaseRun) => number) => Math.max(...ps.map(f));
  const o = (p: PhaseRun) => p.outcome;
  return {
    name: r.name,
    phase,
    load,
    acked: `${sum((p) => o(p).cancellationsAcked)}/${sum((p) => o(p).cancellationsSent)}`,
    delivered: `${sum((p) => o(p).delivered)}/${sum((p) => o(p).expected)}`,
    perSecond: rate(mid((p) => o(p).deliveriesPerSecond)),
    steady: rate(mid((p) => o(p).steadyPerSecond)),
    p50: ms(mid((p) => o(p).ackToDelivery.p50)),
    p99: ms(mid((p) => o(p).ackToDelivery.p99)),
    max: ms(max((p) => o(p).ackToDelivery.max)),
    last: `${ms(mid((p) => o(p).ackToLastOfCancellation.p50))} / ${ms(mid((p) => o(p).ackToLastOfCancellation.p99))}`,
    rss: rate(max((p) => p.memory.peakRssMB)),
    cpu: `${ms(mid((p) => p.cpuPerDelivery.target))} / ${ms(mid((p) => p.cpuPerDelivery.store))} / ${ms(mid((p) => p.cpuPerDelivery.receivers))}`,
    busy: ps.length === 1 ? busy(ps[0].cpu) : '-',
    faults: `${sum((p) => o(p).missing)} / ${sum((p) => o(p).duplicates)} / ${sum((p) => o(p).invalidSignatures)}${ps.some((p) => p.incomplete) ? ' (incomplete)' : ''}`,
    acks: `${ps.length === 1 ? rate(o(ps[0]).acksPerSecond) : '-'}/s, ${ms(max((p) => o(p).ackLatency.p99))}`,
  };
}

const INCLUDES: Record<Run['kind'], string> = {
  mariadb:
    'verifies + stores each authNotify, outbox rows in MariaDB (durable); per claim: lease, reads, decrypt; per delivery: sign (thread pool), POST; per batch of finished attempts: fenced updates + attempt rows',
  sqlite: 'as MariaDB, on an SQLite file (WAL; each acknowledgement waits for a group fsync)',
  'mariadb-hmac': 'as MariaDB, each callback signed with HMAC-SHA256 (Standard Webhooks) instead of RSA',
  'sqlite-hmac': 'as SQLite, each callback signed with HMAC-SHA256 (Standard Webhooks) instead of RSA',
  'mariadb-2x': 'as MariaDB, two gateway processes on the one database, cancellations spread over both, deliveries claimed by both (SKIP LOCKED)',
  bullmq:
    'addBulk of one job per endpoint to Redis (in memory, no persistence), token in clear in Redis; per delivery: sign (thread pool, the same function), POST; no attempt log',
};

function report(runs: Run[], s: Settings, trickleUsed: number | null, receivers: string, redisUrl: string | null, cores: number, signMs: number): Report {
  for (const r of runs) {
    for (const { phase, outcome: o } of phasesOf(r)) {
      if (o.unexpected + o.ofUnacked + o.splitNotifyIds > 0)
        r.checks.push({
          what: `${phase}: unexpected / of unacknowledged / split notifyIds`,
          expected: '0 / 0 / 0',
          found: `${o.unexpected} / ${o.ofUnacked} / ${o.splitNotifyIds}`,
          ok: false,
        });
      if (Object.keys(o.notAcked).length > 0)
        r.checks.push({ what: `${phase}: cancellations not acknowledged S`, expected: '0', found: JSON.stringify(o.notAcked), ok: false });
    }
    const perDelivery = Object.entries(r.burst?.perDelivery ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)}`);
    if (perDelivery.length)
      r.checks.push({
        what: 'MariaDB statements per delivery in the burst (server-wide, ingest included)',
        expected: '-',
        found: perDelivery.join(', '),
        ok: null,
      });
  }
  const rows = runs.flatMap((r) => [
    ...(r.singles.length ? [aggregate(r, `single x${r.singles.length}`, '1 cancellation', r.singles)] : []),
    ...[r.burst, r.trickle].flatMap((p) => (p ? [aggregate(r, p.phase, p.load, [p])] : [])),
  ]);
  const results = table('Results', rows, {
    target: (x) => x.name,
    phase: (x) => x.phase,
    load: (x) => x.load,
    'cancellations acked/sent': (x) => x.acked,
    'callbacks delivered/expected': (x) => x.delivered,
    'deliveries/s': (x) => x.perSecond,
    'steady/s (p10-p90)': (x) => x.steady,
    'ack->delivery p50 ms': (x) => x.p50,
    'p99 ms': (x) => x.p99,
    'max ms': (x) => x.max,
    'ack->last callback of a cancellation p50 / p99 ms': (x) => x.last,
    'peak RSS MB': (x) => x.rss,
    'CPU ms/delivery target / store / receivers': (x) => x.cpu,
    'target busy': (x) => x.busy,
    'missing / dup / bad sig': (x) => x.faults,
    'acks/s, ack p99 ms': (x) => x.acks,
  });

  const bull = runs.find((r) => r.kind === 'bullmq')?.burst;
  const vsBull = (v: number, of: (p: PhaseRun) => number) => (bull ? `${(v / of(bull)).toFixed(2)}x` : '-');
  const burst = runs.filter((r): r is Run & { burst: PhaseRun } => r.burst !== undefined);
  const versus = table('Gateway vs BullMQ (burst; ratios above 1: faster for deliveries/s, costlier for the others)', burst, {
    burst: (r) => r.name,
    'deliveries/s': (r) => rate(r.burst.outcome.deliveriesPerSecond),
    'vs BullMQ': (r) => vsBull(r.burst.outcome.deliveriesPerSecond, (p) => p.outcome.deliveriesPerSecond),
    'ack->delivery p50 / p99 ms': (r) => `${ms(r.burst.outcome.ackToDelivery.p50)} / ${ms(r.burst.outcome.ackToDelivery.p99)}`,
    'peak RSS MB (lifetime)': (r) => rate(r.lifetimePeakMB),
    'CPU ms/delivery (process / store)': (r) => `${ms(r.burst.cpuPerDelivery.target)} / ${ms(r.burst.cpuPerDelivery.store)}`,
    'process CPU vs BullMQ': (r) => vsBull(r.burst.cpuPerDelivery.target, (p) => p.cpuPerDelivery.target),
    'what it includes': (r) => INCLUDES[r.kind],
  });

  const goals: Goal[] = [];
  const single = runs.find((r) => r.kind === 'mariadb')?.burst;
  for (const g of runs.filter((r) => r.kind !== 'bullmq')) {
    const o = g.burst?.outcome;
    const t = g.trickle;
    const deliveries = t ? Number(t.load.split('/')[0]) * s.endpoints : NaN;
    const rsa = g.kind === 'mariadb' || g.kind === 'sqlite';
    if (rsa) {
      // Both sign each callback with the same function on a thread pool: take its cost out of both sides.
      const beyondRsa = (p: PhaseRun) => p.cpuPerDelivery.target + (p.cpuPerDelivery.store || 0) - signMs;
      goals.push(
        {
          goal: `fan-out >= ${GOAL_DELIVERIES_PER_SECOND.toLocaleString('en')} deliveries/s (burst, first notification to last delivery)`,
          target: g.name,
          value: o ? `${rate(o.deliveriesPerSecond)}/s (steady ${rate(o.steadyPerSecond)}/s)` : 'no result',
          pass: o ? o.deliveriesPerSecond >= GOAL_DELIVERIES_PER_SECOND && o.missing === 0 : false,
        },
        {
          goal: 'fan-out at least as fast as BullMQ (deliveries/s, same run, same signing and receivers)',
          target: g.name,
          value:
            o && bull
              ? `${rate(o.deliveriesPerSecond)} vs ${rate(bull.outcome.deliveriesPerSecond)}/s = ${vsBull(o.deliveriesPerSecond, (p) => p.outcome.deliveriesPerSecond)}`
              : 'not compared',
          pass: o && bull ? o.deliveriesPerSecond >= bull.outcome.deliveriesPerSecond : null,
        },
        {
          goal: `CPU per delivery beyond the RSA signature (${ms(signMs)} ms here), process + store, at most BullMQ's`,
          target: g.name,
          value: g.burst && bull ? `${ms(beyondRsa(g.burst))} vs ${ms(beyondRsa(bull))} ms` : 'not compared',
          pass: g.burst && bull ? beyondRsa(g.burst) <= beyondRsa(bull) : null,
        },
      );
    }
    if (g.kind === 'mariadb-2x')
      goals.push({
        goal: 'scale-out: two instances on one MariaDB deliver the burst at >= 0.9x one instance, no duplicates',
        target: g.name,
        value:
          o && single
            ? `${rate(o.deliveriesPerSecond)} vs ${rate(single.outcome.deliveriesPerSecond)}/s = ${(o.deliveriesPerSecond / single.outcome.deliveriesPerSecond).toFixed(2)}x, ${o.duplicates} duplicates`
            : 'not compared',
        pass: o && single ? o.deliveriesPerSecond >= 0.9 * single.outcome.deliveriesPerSecond && o.duplicates === 0 : null,
      });
    if (rsa)
      goals.push({
        goal: `p99 notification-to-delivery < ${GOAL_UNSATURATED_P99_MS} ms unsaturated (trickle, from the ack)`,
        target: g.name,
        value: t
          ? `p99 ${ms(t.outcome.ackToDelivery.p99)} ms at ${t.load} = ${rate(deliveries)} deliveries/s${o ? ` (${rate((100 * deliveries) / o.steadyPerSecond)}% of its burst rate)` : ''}`
          : 'no result',
        pass: t ? t.outcome.ackToDelivery.p99 < GOAL_UNSATURATED_P99_MS && t.outcome.missing === 0 : false,
      });
    goals.push({
      goal: `gateway RSS < ${GOAL_RSS_MB} MB (VmHWM over the whole run${g.kind === 'mariadb-2x' ? ', the larger instance' : ''})`,
      target: g.name,
      value: `${rate(g.lifetimePeakMB)} MB`,
      pass: g.lifetimePeakMB !== undefined && g.lifetimePeakMB < GOAL_RSS_MB,
    });
  }
  for (const r of runs) {
    const sum = (f: (o: PhaseRun['outcome']) => number) => phasesOf(r).reduce((n, p) => n + f(p.outcome), 0);
    goals.push({
      goal: 'every (cancellation, endpoint) delivered, signatures valid',
      target: r.name,
      value: `${sum((o) => o.delivered)} delivered, ${sum((o) => o.missing)} missing, ${sum((o) => o.duplicates)} duplicates, ${sum((o) => o.invalidSignatures)} bad signatures`,
      pass: phasesOf(r).length > 0 && sum((o) => o.missing) === 0 && sum((o) => o.invalidSignatures) === 0 && !r.error,
    });
  }

  const figures = runs.flatMap((r) => {
    const singles = r.singles.map((p) => p.outcome.ackToLastOfCancellation.max);
    const b = r.burst?.outcome;
    const figure = (what: string, measured: string) => ({ what, target: r.name, measured });
    return [
      ...(singles.length ? [figure('one cancellation: ack to last of its callbacks', `median ${ms(median(singles))} ms (${singles.map(ms).join(', ')})`)] : []),
      ...(b
        ? [
            figure(
              `burst ${b.cancellationsAcked} cancellations: deliveries/s`,
              `${rate(b.deliveriesPerSecond)}/s (steady ${rate(b.steadyPerSecond)}/s), ${b.delivered}/${b.expected} delivered, ${b.duplicates} duplicates`,
            ),
            figure('burst: ack to delivery', `p50 ${ms(b.ackToDelivery.p50)} ms, p99 ${ms(b.ackToDelivery.p99)} ms`),
            figure('burst: CPU ms per delivery (process / store)', `${ms(r.burst!.cpuPerDelivery.target)} / ${ms(r.burst!.cpuPerDelivery.store)}`),
            figure('burst: cancellations acknowledged per second while it fans out', `${rate(b.acksPerSecond)}/s, ack p99 ${ms(b.ackLatency.p99)} ms`),
          ]
        : []),
      ...(r.trickle ? [figure(`trickle ${r.trickle.load}: ack to delivery`, `p99 ${ms(r.trickle.outcome.ackToDelivery.p99)} ms`)] : []),
      figure('peak RSS (VmHWM)', `${rate(r.lifetimePeakMB)} MB${r.storePeakMB ? ` (+ Redis ${rate(r.storePeakMB)} MB)` : ''}`),
    ];
  });

  const trickle =
    s.trickleRate !== null
      ? `${s.trickleRate}/s (given)`
      : `${trickleUsed ?? '-'}/s (auto: min(20, half the first gateway burst's steady rate / ${s.endpoints}, in tenths); at least 5 cancellations)`;
  return {
    setup: [
      `fan-out: 1 merchant, ${s.endpoints} ACTIVE sub-merchants with one TOKEN_CANCELED endpoint each (ANTOM_RSA; Standard Webhooks for the HMAC targets, verified by the standardwebhooks package); ${receivers}; receivers, targets, stores and this client share the machine's ${cores} cores`,
      `phases: single (1 cancellation, after 1 warm-up) x${s.singles}; burst ${s.cancellations} cancellations, ${s.concurrency} in flight (gateway: signed TOKEN_CANCELED authNotify, ack = its S answer; BullMQ: addBulk, ack = resolved); ` +
        `trickle ${trickle} for ${s.trickleDurationMs / 1000} s, open loop, once the target and its store are idle after the burst (waited ${runs.map((r) => `${r.name} ${rate((r.settleMs ?? NaN) / 1000)} s`).join(', ')})`,
      'deliveries/s = distinct (cancellation, endpoint) callbacks arrived / (last arrival - first notification sent); steady/s = the middle 80% of arrivals over their time span; ' +
        "ack->delivery = arrival at the receiver - the cancellation's acknowledgement (same machine, same clock)",
      'peak RSS = highest VmRSS sampled every 200 ms in the phase; lifetime = VmHWM; CPU from /proc (user+system) per delivered callback; "target busy" = target CPU / wall time (100% = one core)',
      'gateway env: CALLBACK_ALLOW_PRIVATE_NETWORKS=127.0.0.0/8 (and --gateway-env); CALLBACK_CONCURRENCY 128, CALLBACK_ENDPOINT_CONCURRENCY 4, CALLBACK_POLL_MS 1000 unless given',
      `BullMQ peer: Worker concurrency ${s.workerConcurrency}, jobs attempts 8 with exponential backoff from 2 s, removeOnComplete; the gateway's callbackBody, antomCallbackHeaders and outbound exchange per attempt; Redis ${redisUrl ?? '-'} without persistence`,
    ],
    tables: [results, ...(bull ? [versus] : [])],
    goals,
    figures,
    json: { trickleRateUsed: trickleUsed },
  };
}
