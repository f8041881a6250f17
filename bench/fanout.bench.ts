/**
 * TOKEN_CANCELED fan-out benchmark: the gateway's real callback fan-out,
 * end to end, next to the BullMQ worker a Node team would otherwise build.
 * A report, not a test: it prints tables and exits 0 unless it could not run.
 *
 *   npm run build && node dist/bench/fanout.bench.js [--write] [--profile] [--help]
 *
 * Set-up, all on 127.0.0.1:
 *   - receivers (bench/support/fanout-receiver.server.ts): merchant endpoints
 *     http://127.0.0.1:<port>/r/<n> that check each callback's signature as
 *     WebhookTool.checkSignature does and answer S, stamping arrival times;
 *   - the compiled gateway as a child process, live mode, test keys,
 *     CALLBACK_ALLOW_PRIVATE_NETWORKS=127.0.0.0/8, on MariaDB (a fresh
 *     acqp_bench_* database) and on SQLite; one merchant, --endpoints
 *     sub-merchants with one TOKEN_CANCELED endpoint each, via the admin API;
 *     the tokens made ACTIVE first by signed TOKEN_CREATED notifications;
 *   - the BullMQ peer: a producer (this process) that per cancellation bulk-adds
 *     one job per endpoint to Redis (scripts/redis.sh), and a Worker process
 *     (bench/bullmq/fanout.worker.ts, concurrency 64) that composes, signs and
 *     POSTs each with the gateway's own body and signing functions.
 *
 * Phases per target:
 *   (a) single: one cancellation -> one callback per endpoint; time from its
 *       acknowledgement to the last callback's arrival (after one warm-up);
 *   (b) burst: --cancellations cancellations handed over as fast as acknowledged
 *       (--concurrency in flight); deliveries/s from the first notification to
 *       the last delivery, acknowledgement-to-arrival p50/p99, peak RSS,
 *       and every (cancellation, endpoint) checked: missing, duplicates;
 *   (c) trickle: an open-loop rate well under capacity for --trickle-duration:
 *       the unsaturated acknowledgement-to-arrival p99.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenCanceledBody, tokenCreatedBody, type AuthorizationRecord } from '../src/alipayplus/simulator';
import { newAuthorization } from '../src/alipayplus/simulator/authorization.factory';
import { FanoutProducer } from './bullmq/fanout.producer';
import { redisPid, redisServer } from './bullmq/redis-server';
import { summarizeProfile } from './cpuprofile-top';
import { BenchArgs } from './support/bench-args';
import { createMariadbDatabase, createSqliteDatabase, mariadbServer, serverCounters, type BenchDatabase, type Engine } from './support/bench-database';
import { AUTH_NOTIFY_PATH, BENCH_ACQUIRER_ID, BENCH_CLIENT_ID, BENCH_PEMS, gatewayEnvironment, repoRoot } from './support/bench-keys';
import { freePort, startNodeChild, waitForHttp200, type BenchChild } from './support/child-process';
import { GATEWAY_NODE_ARGS } from './support/gateway-node';
import { mariadbPid, processCpuMs } from './support/cpu-meter';
import { gatewaySender } from './support/fanout-load';
import { runPhase, type FanoutTarget, type PhaseRun, type WaitLimits } from './support/fanout-phases';
import { FanoutReceivers } from './support/fanout-receivers';
import { buildFanoutReport, type FanoutSettings, type TargetResult } from './support/fanout-report';
import { memoryMB } from './support/fanout-rss';
import { seedFanoutMerchant } from './support/fanout-seed';
import { closedLoop } from './support/load-generator';
import { presign } from './support/presign';
import { describeMachine, loadAverage, machineInfo, writeResults } from './support/report';
import { sourceRevision } from './support/source-revision';

const OPTIONS = {
  endpoints: 'sub-merchants, one callback endpoint each (default 100)',
  cancellations: 'cancellations in the burst phase (default 1000)',
  concurrency: 'burst: authNotify requests (BullMQ: addBulk calls) in flight (default 32)',
  singles: 'timed single-cancellation runs, after one warm-up (default 3)',
  'trickle-rate': "trickle phase, cancellations per second; default auto: min(20, half the first gateway burst's steady rate / endpoints, in tenths)",
  'trickle-duration': 'trickle phase, seconds (default 10)',
  targets: 'comma list of mariadb,bullmq,sqlite (default all, run in that order)',
  receivers: 'receiver processes (default 1)',
  'receiver-ports': 'ports per receiver process (default 4)',
  'worker-concurrency': 'BullMQ Worker concurrency (default 128, as CALLBACK_CONCURRENCY)',
  'max-wait': "longest wait for one phase's callbacks, seconds (default 1800)",
  mariadb: 'fail instead of skipping MariaDB when it is not running',
  'start-mariadb': 'start MariaDB first (scripts/mariadb.sh start)',
  'start-redis': 'start Redis first (scripts/redis.sh start)',
  'log-level': 'gateway LOG_LEVEL (default warn)',
  'gateway-log': "also write each gateway's whole output to <this prefix>-fanout-<engine>.log",
  'gateway-dist': "compiled gateway to run: the folder holding src/main.js (default this checkout's dist)",
  'gateway-env': 'extra gateway environment, KEY=VALUE[,KEY=VALUE...] (e.g. CALLBACK_CONCURRENCY=128)',
  profile: 'run each gateway under node --cpu-prof and print its top frames over the burst',
  'profile-dir': 'where the .cpuprofile files go (default a temp dir, kept)',
  write: 'write bench/results/fanout-<date>.{json,md}',
  keep: 'keep temp files and the MariaDB bench database',
};

/** A phase's callbacks stop being awaited after this long without a new one. */
const STALL_MS = 60_000;
/** Longest the TOKEN_CREATED set-up may take. */
const SETUP_LIMIT_MS = 300_000;
/** The trickle's default ceiling, cancellations per second (the brief's example). */
const TRICKLE_MAX_RATE = 20;
/** The trickle sends at least this many cancellations, however low its rate. */
const TRICKLE_MIN_CANCELLATIONS = 5;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function authorizations(count: number, referenceMerchantId: string): AuthorizationRecord[] {
  return Array.from({ length: count }, () =>
    newAuthorization({ referenceMerchantId }, { acquirerId: BENCH_ACQUIRER_ID, pspId: '102208800000001230', now: Date.now }),
  );
}

/** "Idle" for the trickle's start: the target and its store each under this share of one core... */
const SETTLE_CPU_SHARE = 0.1;
/** ...over this many consecutive one-second windows... */
const SETTLE_WINDOWS = 3;
/** ...waiting at most this long. */
const SETTLE_MAX_MS = 60_000;

/**
 * Waits until the target and its store have finished the burst's aftermath
 * (MariaDB flushes pages and purges old row versions for a while after a
 * burst), so the trickle measures an unsaturated system, not the tail of the
 * previous phase.
 */
async function settle(target: FanoutTarget): Promise<{ waitedMs: number; idle: boolean }> {
  const started = Date.now();
  let quiet = 0;
  while (Date.now() - started < SETTLE_MAX_MS) {
    const before = [processCpuMs(target.pid), processCpuMs(target.storePid)];
    await new Promise((r) => setTimeout(r, 1_000));
    const after = [processCpuMs(target.pid), processCpuMs(target.storePid)];
    const busy = after.some((ms, i) => ms !== null && before[i] !== null && ms - before[i] > SETTLE_CPU_SHARE * 1_000);
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= SETTLE_WINDOWS) return { waitedMs: Date.now() - started, idle: true };
  }
  return { waitedMs: Date.now() - started, idle: false };
}

/** The phases, in order, against one target; trickleRate() is asked after the burst. */
async function runPhases(
  target: FanoutTarget,
  receivers: FanoutReceivers,
  s: FanoutSettings,
  result: TargetResult,
  trickleRate: (burst?: PhaseRun) => number,
): Promise<void> {
  const limits: WaitLimits = { maxWaitMs: s.maxWaitMs, stallMs: STALL_MS };
  const singleLimits: WaitLimits = { maxWaitMs: 60_000, stallMs: 30_000 };
  for (let k = 0; k <= s.singles; k++) {
    const run = await runPhase(target, receivers, s.endpoints, 'single', { count: 1, concurrency: 1 }, singleLimits);
    const o = run.outcome;
    log(
      `  ${k === 0 ? 'warm-up single' : `single ${k}`}: ${o.delivered}/${o.expected} callbacks, last ${o.ackToLastOfCancellation.max.toFixed(1)} ms after the acknowledgement${run.incomplete ? ` (${run.incomplete})` : ''}`,
    );
    if (k === 0) result.warmup = run;
    else result.singles.push(run);
  }
  log(`  burst: ${s.cancellations} cancellations, ${s.concurrency} in flight ...`);
  result.burst = await runPhase(target, receivers, s.endpoints, 'burst', { count: s.cancellations, concurrency: s.concurrency }, limits);
  const b = result.burst.outcome;
  log(
    `  burst: ${b.delivered}/${b.expected} callbacks in ${b.elapsedS.toFixed(1)} s = ${b.deliveriesPerSecond.toFixed(0)}/s (steady ${b.steadyPerSecond.toFixed(0)}/s), ` +
      `ack->delivery p50 ${b.ackToDelivery.p50.toFixed(0)} ms p99 ${b.ackToDelivery.p99.toFixed(0)} ms; acks ${b.acksPerSecond.toFixed(0)}/s (p99 ${b.ackLatency.p99.toFixed(0)} ms); ` +
      `missing ${b.missing}, duplicates ${b.duplicates}, bad signatures ${b.invalidSignatures}; peak RSS ${result.burst.memory.peakRssMB.toFixed(0)} MB` +
      (result.burst.incomplete ? ` (${result.burst.incomplete})` : ''),
  );
  const settled = await settle(target);
  log(`  settled after the burst in ${(settled.waitedMs / 1000).toFixed(1)} s${settled.idle ? '' : ' (still busy at the limit)'}`);
  result.settleMs = settled.waitedMs;
  const rate = trickleRate(result.burst);
  // At least TRICKLE_MIN_CANCELLATIONS, so a low rate still gives a p99 over several cancellations' callbacks.
  const count = Math.max(TRICKLE_MIN_CANCELLATIONS, Math.round(rate * (s.trickleDurationMs / 1000)));
  result.trickle = await runPhase(target, receivers, s.endpoints, 'trickle', { count, rate }, limits);
  const t = result.trickle.outcome;
  log(
    `  trickle ${rate}/s for ${s.trickleDurationMs / 1000} s: ${t.delivered}/${t.expected} callbacks, ack->delivery p50 ${t.ackToDelivery.p50.toFixed(1)} ms, ` +
      `p99 ${t.ackToDelivery.p99.toFixed(1)} ms, max ${t.ackToDelivery.max.toFixed(1)} ms${result.trickle.incomplete ? ` (${result.trickle.incomplete})` : ''}`,
  );
}

async function runGateway(
  engine: Engine,
  s: FanoutSettings,
  receivers: FanoutReceivers,
  mariadbUrl: string | null,
  trickleRate: (burst?: PhaseRun) => number,
): Promise<TargetResult> {
  const result: TargetResult = {
    name: engine === 'mariadb' ? 'gateway MariaDB' : 'gateway SQLite',
    kind: engine,
    loadAverageBefore: loadAverage(),
    singles: [],
    checks: [],
  };
  log(`\n${result.name} (load average ${result.loadAverageBefore})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-bench-data-'));
  const profileName = `gateway-fanout-${engine}-${Date.now()}.cpuprofile`;
  let db: BenchDatabase | undefined;
  let child: BenchChild | undefined;
  try {
    db = engine === 'sqlite' ? await createSqliteDatabase() : await createMariadbDatabase(mariadbUrl!);
    result.database = db.label;
    const port = await freePort();
    child = startNodeChild(`gateway (${engine})`, s.gatewayMain, {
      env: gatewayEnvironment({
        port,
        databaseUrl: db.url,
        dataDir,
        logLevel: s.logLevel,
        extra: { CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', ...s.gatewayEnv },
      }),
      cwd: dataDir,
      nodeArgs: [...GATEWAY_NODE_ARGS, ...(s.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${s.profileDir}`, `--cpu-prof-name=${profileName}`] : [])],
      logFile: s.gatewayLog ? `${s.gatewayLog}-fanout-${engine}.log` : undefined,
    });
    await waitForHttp200(child, port, '/health/ready', 90_000);
    const seeded = await seedFanoutMerchant(port, db, s.endpoints, (n) => receivers.url(n));
    log(`  seeded 1 merchant, ${s.endpoints} sub-merchants with one endpoint each (admin API)`);

    // The tokens exist before they are canceled, as in production: signed TOKEN_CREATED first (no callbacks: endpoints subscribe to TOKEN_CANCELED).
    const trickleMax = Math.max(TRICKLE_MIN_CANCELLATIONS, Math.ceil(s.trickleMaxRate * (s.trickleDurationMs / 1000)));
    const pool = authorizations(1 + s.singles + s.cancellations + trickleMax + 1, seeded.merchant.referenceMerchantId);
    const createdRequests = await presign(
      pool.map((a) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: JSON.stringify(tokenCreatedBody(a)) })),
      BENCH_PEMS.alipayPlusPrivate,
    );
    const setup = await closedLoop(port, createdRequests, 16, SETUP_LIMIT_MS);
    result.setup = { tokens: pool.length, acked: setup.s, perSecond: setup.sPerSecond };
    log(`  set-up: ${setup.s}/${pool.length} tokens created by TOKEN_CREATED in ${setup.elapsedS.toFixed(1)} s (${setup.sPerSecond.toFixed(0)}/s)`);

    let next = 0;
    const target: FanoutTarget = {
      name: result.name,
      pid: child.child.pid,
      storePid: engine === 'mariadb' ? mariadbPid() : undefined,
      prepare: async (count) => {
        if (next + count > pool.length) throw new Error(`token pool exhausted (${pool.length})`);
        const batch = pool.slice(next, next + count);
        next += count;
        const requests = await presign(
          batch.map((a) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: JSON.stringify(tokenCanceledBody(a, 'PSP')) })),
          BENCH_PEMS.alipayPlusPrivate,
        );
        const sender = gatewaySender(port, requests, Math.max(s.concurrency, 64));
        return { tokens: batch.map((a) => a.accessToken), task: sender.task, close: sender.close };
      },
      counters:
        engine === 'mariadb'
          ? () =>
              serverCounters(db).then(
                (c) => c && { Questions: c.Questions, select: c.Com_select, insert: c.Com_insert, update: c.Com_update, commit: c.Com_commit },
              )
          : undefined,
    };
    await runPhases(target, receivers, s, result, trickleRate);
    result.lifetimeHwmMB = memoryMB(child.child.pid)?.hwm;

    // What the outbox holds afterwards: every acknowledged cancellation's deliveries DELIVERED, one attempt each.
    const phases = [result.warmup, ...result.singles, result.burst, result.trickle].filter((p): p is PhaseRun => p !== undefined);
    const acked = phases.reduce((n, p) => n + p.outcome.cancellationsAcked, 0);
    const sent = phases.reduce((n, p) => n + p.outcome.cancellationsSent, 0);
    const count = (sql: string) => db!.scalar(sql);
    const check = (what: string, lo: number, hi: number, actual: number) =>
      result.checks.push({ what, expected: lo === hi ? String(lo) : `${lo}..${hi}`, actual, ok: actual >= lo && actual <= hi });
    check(
      'TOKEN_CANCELED events (one per acknowledged cancellation)',
      acked,
      sent,
      await count("SELECT COUNT(*) AS n FROM events WHERE event_type = 'TOKEN_CANCELED'"),
    );
    check('deliveries DELIVERED', acked * s.endpoints, sent * s.endpoints, await count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'DELIVERED'"));
    check('deliveries PENDING, LEASED or FAILED', 0, 0, await count("SELECT COUNT(*) AS n FROM deliveries WHERE status <> 'DELIVERED'"));
    check(
      'delivery_attempts rows (one per delivery: no retries)',
      acked * s.endpoints,
      sent * s.endpoints,
      await count('SELECT COUNT(*) AS n FROM delivery_attempts'),
    );
    for (const c of result.checks) if (!c.ok) log(`  CHECK FAILED: ${c.what}: expected ${c.expected}, found ${c.actual}`);
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0];
    log(`  FAILED: ${(err as Error).message}`);
  } finally {
    if (child) {
      const code = await child.stop();
      result.logLines = {
        warn: child.lineCount((l) => l.includes('"level":"warn"')),
        error: child.lineCount((l) => l.includes('"level":"error"') || l.includes('"level":"fatal"')),
      };
      if (code !== 0) log(`  gateway exit: ${code}`);
      if (result.logLines.error + result.logLines.warn > 0) {
        log(`  gateway logged ${result.logLines.warn} warn and ${result.logLines.error} error lines; the first:`);
        for (const line of child.lines((l) => /"level":"(warn|error|fatal)"/.test(l), 3)) log(`    ${line.slice(0, 600)}`);
      }
    }
    if (s.profileDir && child && result.burst) {
      const file = join(s.profileDir, profileName);
      try {
        result.profile = { file, summary: summarizeProfile(file, 25, [result.burst.window]) };
      } catch (err) {
        log(`  no profile read from ${file}: ${(err as Error).message}`);
      }
    }
    if (!s.keep) {
      await db?.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return result;
}

async function runBullmq(s: FanoutSettings, receivers: FanoutReceivers, redisUrl: string, trickleRate: (burst?: PhaseRun) => number): Promise<TargetResult> {
  const result: TargetResult = { name: 'BullMQ worker (Redis)', kind: 'bullmq', loadAverageBefore: loadAverage(), singles: [], checks: [] };
  log(`\n${result.name} (load average ${result.loadAverageBefore})`);
  const queueName = `acqp-bench-fanout-${randomBytes(4).toString('hex')}`;
  result.database = `${new URL(redisUrl).host} queue ${queueName}`;
  const referenceMerchantId = `2188BULLMQ${randomBytes(3).toString('hex').toUpperCase()}`;
  const endpoints = Array.from({ length: s.endpoints }, (_, n) => ({ url: receivers.url(n), merchantAccountId: `SUB_${String(n).padStart(3, '0')}` }));
  const producer = new FanoutProducer(redisUrl, queueName, referenceMerchantId, endpoints);
  let worker: BenchChild | undefined;
  try {
    worker = startNodeChild('bullmq worker', join(__dirname, 'bullmq', 'fanout.worker.js'), {
      env: { REDIS_URL: redisUrl, QUEUE: queueName, CONCURRENCY: String(s.workerConcurrency) },
      cwd: tmpdir(),
    });
    await worker.waitForLine(/^READY/, 30_000);
    await producer.queue.waitUntilReady();
    const target: FanoutTarget = {
      name: result.name,
      pid: worker.child.pid,
      storePid: redisPid(),
      prepare: async (count) => {
        const tokens = Array.from({ length: count }, () => `28101003${randomBytes(16).toString('hex')}`);
        return { tokens, task: (i) => producer.cancel(tokens[i]), close: () => undefined };
      },
    };
    await runPhases(target, receivers, s, result, trickleRate);
    result.lifetimeHwmMB = memoryMB(worker.child.pid)?.hwm;
    result.storePeakMB = await producer.redisPeakMB();
    const counts = await producer.counts();
    result.checks.push({
      what: 'jobs left waiting, active, delayed (retrying) or failed',
      expected: '0',
      actual: Object.values(counts).reduce((a, b) => a + b, 0),
      ok: Object.values(counts).every((n) => n === 0),
    });
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0];
    log(`  FAILED: ${(err as Error).message}`);
  } finally {
    await producer.close().catch(() => undefined);
    if (worker) {
      await worker.stop();
      const stats = worker.lines((l) => l.startsWith('STATS '), 1)[0];
      if (stats) {
        const parsed = JSON.parse(stats.slice(6)) as { completed: number; failedAttempts: number };
        result.checks.push({
          what: 'worker: failed attempts (retried by BullMQ)',
          expected: '0',
          actual: parsed.failedAttempts,
          ok: parsed.failedAttempts === 0,
        });
      }
    }
  }
  return result;
}

async function main(): Promise<void> {
  const args = new BenchArgs(process.argv.slice(2), OPTIONS);
  if (args.help) {
    log(`node dist/bench/fanout.bench.js [options]\n${args.usage()}`);
    return;
  }
  const known = ['mariadb', 'bullmq', 'sqlite'];
  const wanted = new Set(
    args
      .string('targets', known.join(','))
      .split(',')
      .map((t) => t.trim()),
  );
  for (const t of wanted) if (!known.includes(t)) throw new Error(`unknown target ${t}`);
  const explicitRate = args.has('trickle-rate') ? args.number('trickle-rate', TRICKLE_MAX_RATE, 0.1, 1000) : null;
  const s: FanoutSettings = {
    endpoints: args.number('endpoints', 100, 1, 1000),
    cancellations: args.number('cancellations', 1000, 1, 20_000),
    concurrency: args.number('concurrency', 32, 1, 512),
    singles: args.number('singles', 3, 0, 20),
    trickleRate: explicitRate,
    trickleMaxRate: explicitRate ?? TRICKLE_MAX_RATE,
    trickleDurationMs: args.number('trickle-duration', 10, 1, 120) * 1000,
    receivers: args.number('receivers', 1, 1, 8),
    receiverPorts: args.number('receiver-ports', 4, 1, 64),
    workerConcurrency: args.number('worker-concurrency', 128, 1, 1024),
    maxWaitMs: args.number('max-wait', 1800, 10, 3600) * 1000,
    logLevel: args.string('log-level', 'warn'),
    gatewayEnv: args.pairs('gateway-env'),
    gatewayMain: join(args.string('gateway-dist', join(repoRoot(), 'dist')), 'src', 'main.js'),
    gatewayLog: args.has('gateway-log') ? args.string('gateway-log', 'gateway') : null,
    profileDir: args.flag('profile') ? args.string('profile-dir', mkdtempSync(join(tmpdir(), 'acqp-bench-profile-'))) : null,
    keep: args.flag('keep'),
  };
  const machine = machineInfo();
  const startLoad = loadAverage();
  const revision = sourceRevision();
  log(`TOKEN_CANCELED fan-out bench: ${describeMachine(machine)}`);
  log(`load average at start: ${startLoad} (others may be using this machine)`);
  log(`gateway: ${s.gatewayMain}; checkout ${revision}`);

  const skipped: string[] = [];
  let mariadbUrl: string | null = null;
  if (wanted.has('mariadb')) {
    const server = await mariadbServer(args.flag('start-mariadb'));
    if (server.url === null) {
      if (args.flag('mariadb')) throw new Error(`MariaDB forced (--mariadb) but ${server.why}`);
      skipped.push(`MariaDB skipped: ${server.why} (start it with scripts/mariadb.sh start, or pass --start-mariadb)`);
    } else mariadbUrl = server.url;
  }
  let redisUrl: string | null = null;
  if (wanted.has('bullmq')) {
    const server = await redisServer(args.flag('start-redis'));
    if (server.url === null) skipped.push(`BullMQ skipped: ${server.why} (start it with scripts/redis.sh start, or pass --start-redis)`);
    else redisUrl = server.url;
  }
  for (const line of skipped) log(line);

  const receivers = await FanoutReceivers.start(s.receivers, s.receiverPorts);
  log(`receivers: ${receivers.describe()}, verifying every signature (WebhookTool.checkSignature) and answering S`);
  // The trickle runs at one rate for every target: the explicit one, or half of what the first gateway's burst sustained (at most 20/s).
  let trickle: number | null = s.trickleRate;
  const trickleRate = (burst?: PhaseRun): number => {
    if (trickle === null) {
      const capacity = burst?.outcome.steadyPerSecond ?? NaN;
      // Tenths of a cancellation per second: a slow gateway's unsaturated rate is below one.
      trickle = Number.isFinite(capacity) ? Math.max(0.1, Math.min(TRICKLE_MAX_RATE, Math.floor((5 * capacity) / s.endpoints) / 10)) : TRICKLE_MAX_RATE;
    }
    return trickle;
  };
  // A gateway first (it sets the trickle rate), the BullMQ peer right after the MariaDB gateway it is compared with.
  const order = mariadbUrl ? ['mariadb', 'bullmq', 'sqlite'] : ['sqlite', 'bullmq'];
  const results: TargetResult[] = [];
  try {
    for (const t of order) {
      if (!wanted.has(t)) continue;
      if (t === 'mariadb') results.push(await runGateway('mariadb', s, receivers, mariadbUrl, trickleRate));
      if (t === 'sqlite') results.push(await runGateway('sqlite', s, receivers, null, trickleRate));
      if (t === 'bullmq' && redisUrl) results.push(await runBullmq(s, receivers, redisUrl, trickleRate));
    }
  } finally {
    await receivers.stop();
  }
  const report = buildFanoutReport({
    results,
    settings: s,
    machine,
    startLoad,
    endLoad: loadAverage(),
    revision,
    skipped,
    trickleRateUsed: trickle,
    receivers: receivers.describe(),
    mariadbUrl,
    redisUrl,
  });
  log(report.text);
  if (args.flag('write')) for (const file of writeResults('fanout', report.json, report.markdown)) log(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('fan-out bench failed:', err);
    process.exit(1);
  },
);
