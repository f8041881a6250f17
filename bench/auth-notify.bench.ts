/**
 * authNotify ingest benchmark: how many signed Alipay+ notifications per
 * second the real gateway verifies, stores and acknowledges (S), on SQLite
 * and on MariaDB, next to a ceiling measured in the same run. A report, not a
 * test: it prints tables and exits 0 unless it could not run at all.
 *
 *   npm run build && node dist/bench/auth-notify.bench.js [--write] [--profile] [--help]
 *
 * Targets, each a child process with its own event loop on 127.0.0.1:
 *   - ceiling: a bare Fastify route that only verifies the signature and signs
 *     a constant S answer (bench/support/ceiling.server.ts), run first and last;
 *   - gateway on SQLite (a temp file) and on MariaDB (a fresh acqp_bench_*
 *     database; skipped when `scripts/mariadb.sh status` fails unless --mariadb).
 *
 * Load: N distinct notifications are signed BEFORE each phase (worker threads),
 * so signing is not on the client while it measures: TOKEN_CREATED and
 * TOKEN_CANCELED for distinct tokens, some AUTHCODE_CREATED, ~5% repeats.
 *   (a) max throughput: C keep-alive connections, closed loop, for --duration;
 *   (b) fixed rate: --rate per second for --rate-duration, open loop, latency
 *       from each request's scheduled send time (no coordinated omission).
 * Afterwards the gateway's database is read directly: the rows must match what
 * was acknowledged S.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signMessage } from '../src/signing';
import { summarizeProfile } from './cpuprofile-top';
import { buildReport, label, type CorrectnessCheck, type Settings, type TargetName, type TargetRun } from './support/auth-notify.report';
import { BenchArgs } from './support/bench-args';
import {
  createMariadbDatabase,
  createSqliteDatabase,
  mariadbServer,
  serverCounters,
  STATEMENT_COUNTERS,
  type BenchDatabase,
  type Engine,
} from './support/bench-database';
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_KEYS, BENCH_PEMS, gatewayEnvironment, repoRoot } from './support/bench-keys';
import { freePort, startNodeChild, waitForHttp200, type BenchChild } from './support/child-process';
import { CpuMeter, mariadbPid } from './support/cpu-meter';
import { sourceRevision } from './support/source-revision';
import { closedLoop, failures, openLoop, Outcome, verifySamples, type PhaseResult } from './support/load-generator';
import { seedMerchant } from './support/merchant-seed';
import { describeMix, notificationMix, type NotificationItem } from './support/notification-mix';
import { presign, type PreparedRequest } from './support/presign';
import { describeMachine, loadAverage, machineInfo, ms, rate, writeResults } from './support/report';

const OPTIONS = {
  duration: 'max-throughput phase, seconds (default 10)',
  concurrency: 'keep-alive connections in the max-throughput phase (default 32)',
  rate: 'fixed-rate phase, notifications per second (default 500)',
  'rate-duration': 'fixed-rate phase, seconds (default 10)',
  warmup: 'untimed closed-loop warm-up before the phases, seconds (default 2)',
  targets: 'comma list of ceiling,sqlite,mariadb (default all)',
  mariadb: 'fail instead of skipping MariaDB when it is not running',
  'start-mariadb': 'start MariaDB first (scripts/mariadb.sh start)',
  'log-level': 'gateway LOG_LEVEL (default warn)',
  'gateway-log': "also write each gateway's whole output to <this prefix>-<engine>.log",
  'gateway-dist': "compiled gateway to run: the folder holding src/main.js (default this checkout's dist)",
  'gateway-env': 'extra gateway environment, KEY=VALUE[,KEY=VALUE...]',
  profile: 'run each gateway under node --cpu-prof and print its top frames',
  'profile-dir': 'where the .cpuprofile files go (default a temp dir, kept)',
  seed: 'seed of the notification mix (default 42)',
  write: 'write bench/results/auth-notify-<date>.{json,md}',
  keep: 'keep temp files and the MariaDB bench database',
};

/** Headroom over the fastest rate a single event loop could sign answers at, when sizing the pool. */
const POOL_HEADROOM = 1.5;
/** Most notifications signed for one max-throughput phase. */
const MAX_POOL = 60_000;

/** Median time of one RSA-2048 signMessage here and now, in ms: what one answer costs any server on this machine. */
function measureSignMs(): number {
  const body = Buffer.from('x'.repeat(600));
  const times: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++)
      signMessage({ method: 'POST', path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, time: new Date().toISOString(), body }, BENCH_KEYS.acqpPrivate);
    times.push((performance.now() - t0) / 20);
  }
  return times.sort((a, b) => a - b)[3];
}

function sign(items: readonly NotificationItem[]): Promise<PreparedRequest[]> {
  return presign(
    items.map((item) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: item.body })),
    BENCH_PEMS.alipayPlusPrivate,
  );
}

/** Warm-up, max throughput, fixed rate against one running target. */
async function drive(
  run: TargetRun,
  port: number,
  referenceMerchantId: string,
  s: Settings,
  phases: { fixedRate: boolean; targetPid: number | undefined; databasePid: number | undefined; db?: BenchDatabase },
): Promise<Array<{ items: NotificationItem[]; result: PhaseResult }>> {
  const maxPool = Math.min(MAX_POOL, Math.ceil(((s.durationMs / 1000) * POOL_HEADROOM) / (s.signMs / 1000)));
  const warmPool = Math.ceil(((s.warmupMs / 1000) * POOL_HEADROOM) / (s.signMs / 1000));
  const done: Array<{ items: NotificationItem[]; result: PhaseResult }> = [];

  const firstMix = notificationMix(warmPool + maxPool, referenceMerchantId, s.seed);
  let t0 = performance.now();
  const firstSigned = await sign(firstMix);
  log(`  signed ${firstMix.length} notifications in ${((performance.now() - t0) / 1000).toFixed(1)} s (${describeMix(firstMix)})`);
  if (s.warmupMs > 0) {
    run.warmup = await closedLoop(port, firstSigned.slice(0, warmPool), s.concurrency, s.warmupMs);
    done.push({ items: firstMix.slice(0, warmPool), result: run.warmup });
    log(`  warm-up: ${rate(run.warmup.sPerSecond)}/s, not S ${failures(run.warmup)}`);
  }
  const counters0 = await serverCounters(phases.db);
  let meter = new CpuMeter(phases.targetPid, phases.databasePid);
  let from = monotonicUs();
  run.max = await closedLoop(port, firstSigned.slice(warmPool), s.concurrency, s.durationMs);
  run.windows.push([from, monotonicUs()]);
  run.maxCpu = meter.stop();
  done.push({ items: firstMix.slice(warmPool), result: run.max });
  log(
    `  max throughput: ${rate(run.max.sPerSecond)}/s S, p50 ${ms(run.max.latency.p50)} ms, p99 ${ms(run.max.latency.p99)} ms, ` +
      `not S ${failures(run.max)}${run.max.poolExhausted ? ' (POOL EXHAUSTED: ended early)' : ''}`,
  );

  if (phases.fixedRate) {
    const rateMix = notificationMix(Math.floor((s.rate * s.rateDurationMs) / 1000), referenceMerchantId, s.seed + 1);
    t0 = performance.now();
    const rateSigned = await sign(rateMix);
    log(`  signed ${rateMix.length} notifications in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    meter = new CpuMeter(phases.targetPid, phases.databasePid);
    from = monotonicUs();
    run.fixedRate = await openLoop(port, rateSigned, s.rate, s.rateDurationMs);
    run.windows.push([from, monotonicUs()]);
    run.fixedRateCpu = meter.stop();
    done.push({ items: rateMix, result: run.fixedRate });
    log(
      `  fixed ${s.rate}/s: achieved ${rate(run.fixedRate.sPerSecond)}/s S, p50 ${ms(run.fixedRate.latency.p50)} ms, ` +
        `p99 ${ms(run.fixedRate.latency.p99)} ms, not S ${failures(run.fixedRate)}${run.fixedRate.fellBehind ? ' (SENDER FELL BEHIND)' : ''}`,
    );
  }
  const counters1 = await serverCounters(phases.db);
  if (counters0 && counters1 && counters1.Uptime < counters0.Uptime) {
    log("  MariaDB restarted during the timed phases (someone else's test?): its counters are not usable; use a private server (MARIADB_DIR, MARIADB_PORT)");
  } else if (counters0 && counters1) {
    const delta = (name: string) => counters1[name] - counters0[name];
    run.locks = { deadlocks: delta('Innodb_deadlocks'), rowLockWaits: delta('Innodb_row_lock_waits') };
    const acked = (run.max?.s ?? 0) + (run.fixedRate?.s ?? 0);
    run.statementsPerS = Object.fromEntries(STATEMENT_COUNTERS.map((name) => [name.replace(/^Com_/, ''), delta(name) / Math.max(1, acked)]));
    log(`  InnoDB during the timed phases: ${run.locks.deadlocks} deadlocks, ${run.locks.rowLockWaits} row-lock waits (server-wide)`);
    log(
      `  statements per S answer: ${Object.entries(run.statementsPerS)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')}`,
    );
  }
  const samples = done.flatMap((d) => d.result.samples);
  run.signatures = verifySamples(samples, [BENCH_KEYS.acqpPublic]);
  return done;
}

/** What the database must hold after the phases, from the S answers (and the unanswered, as an upper bound). */
async function checkDatabase(db: BenchDatabase, sent: Array<{ items: NotificationItem[]; result: PhaseResult }>): Promise<CorrectnessCheck[]> {
  const sKeys = new Set<string>();
  const maybeKeys = new Set<string>();
  const tokens = { s: new Set<string>(), maybe: new Set<string>() };
  const codes = { s: new Set<string>(), maybe: new Set<string>() };
  let sCount = 0;
  let maybeCount = 0;
  for (const { items, result } of sent) {
    for (let i = 0; i < items.length; i++) {
      const outcome = result.outcomes[i] as Outcome;
      if (outcome !== Outcome.S && outcome !== Outcome.NoAnswer) continue;
      const item = items[i];
      const subjects = item.type === 'AUTHCODE_CREATED' ? codes : tokens;
      if (outcome === Outcome.S) {
        sCount++;
        sKeys.add(item.dedupeKey);
        subjects.s.add(item.subject);
      } else {
        maybeCount++;
        maybeKeys.add(item.dedupeKey);
        subjects.maybe.add(item.subject);
      }
    }
  }
  const union = (a: Set<string>, b: Set<string>) => new Set([...a, ...b]).size;
  const rows = await db.scalar('SELECT COUNT(*) AS n FROM notifications');
  const bumps = await db.scalar('SELECT COALESCE(SUM(duplicate_count), 0) AS n FROM notifications');
  const authorizations = await db.scalar('SELECT COUNT(*) AS n FROM authorizations');
  const authCodes = await db.scalar('SELECT COUNT(*) AS n FROM auth_codes');
  const check = (what: string, expected: number, expectedMax: number, actual: number): CorrectnessCheck => ({
    what,
    expected,
    expectedMax,
    actual,
    ok: actual >= expected && actual <= expectedMax,
  });
  return [
    check('notifications rows (distinct notifications acked S)', sKeys.size, union(sKeys, maybeKeys), rows),
    check('notifications stored + duplicate bumps (= S answers)', sCount, sCount + maybeCount, rows + bumps),
    check('authorizations rows (distinct tokens acked S)', tokens.s.size, union(tokens.s, tokens.maybe), authorizations),
    check('auth_codes rows (distinct auth codes acked S)', codes.s.size, union(codes.s, codes.maybe), authCodes),
  ];
}

async function runCeiling(s: Settings, second: boolean): Promise<TargetRun> {
  const run: TargetRun = {
    name: label('ceiling', second),
    kind: 'ceiling',
    loadAverageBefore: loadAverage(),
    signatures: { checked: 0, valid: 0 },
    windows: [],
  };
  log(`\n${run.name} (load average ${run.loadAverageBefore})`);
  const port = await freePort();
  const child = startNodeChild('ceiling server', join(__dirname, 'support', 'ceiling.server.js'), { env: {}, cwd: tmpdir(), args: [String(port)] });
  try {
    await child.waitForLine(/^READY (\d+)/, 20_000);
    await drive(run, port, '2188BENCHCEILING', s, { fixedRate: !second, targetPid: child.child.pid, databasePid: undefined });
  } catch (err) {
    run.error = (err as Error).message.split('\n')[0];
    log(`  FAILED: ${run.error}`);
  } finally {
    await child.stop();
  }
  return run;
}

async function runGateway(kind: Engine, s: Settings, mariadbUrl: string | null): Promise<TargetRun> {
  const run: TargetRun = { name: label(kind), kind, loadAverageBefore: loadAverage(), signatures: { checked: 0, valid: 0 }, windows: [] };
  log(`\n${run.name} (load average ${run.loadAverageBefore})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-bench-data-'));
  let db: BenchDatabase | undefined;
  let child: BenchChild | undefined;
  const profileName = `gateway-${kind}-${Date.now()}.cpuprofile`;
  try {
    db = kind === 'sqlite' ? await createSqliteDatabase() : await createMariadbDatabase(mariadbUrl!, { overSocket: true });
    run.database = db.label;
    const port = await freePort();
    const nodeArgs = s.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${s.profileDir}`, `--cpu-prof-name=${profileName}`] : [];
    child = startNodeChild(`gateway (${kind})`, s.gatewayMain, {
      env: gatewayEnvironment({ port, databaseUrl: db.url, dataDir, logLevel: s.logLevel, extra: s.gatewayEnv }),
      cwd: dataDir,
      nodeArgs,
      logFile: s.gatewayLog ? `${s.gatewayLog}-${kind}.log` : undefined,
    });
    await waitForHttp200(child, port, '/health/ready', 90_000);
    // Notifications name a merchant the gateway knows, as real ones do; no callback endpoints, so no fan-out.
    const merchant = await seedMerchant(port, db, 100_000);
    run.merchantSeededVia = merchant.seededVia;
    const sent = await drive(run, port, merchant.referenceMerchantId, s, {
      fixedRate: true,
      targetPid: child.child.pid,
      databasePid: kind === 'mariadb' ? mariadbPid() : undefined,
      db,
    });
    run.correctness = await checkDatabase(db, sent);
    for (const c of run.correctness)
      if (!c.ok) log(`  DATABASE MISMATCH: ${c.what}: expected ${c.expected}${c.expectedMax !== c.expected ? `..${c.expectedMax}` : ''}, found ${c.actual}`);
  } catch (err) {
    run.error = (err as Error).message.split('\n')[0];
    log(`  FAILED: ${(err as Error).message}`);
  } finally {
    if (child) {
      const code = await child.stop();
      run.logLines = {
        warn: child.lineCount((l) => l.includes('"level":"warn"')),
        error: child.lineCount((l) => l.includes('"level":"error"') || l.includes('"level":"fatal"')),
      };
      if (code !== 0) log(`  gateway exit: ${code}`);
      if (run.logLines.error > 0) {
        log(`  gateway logged ${run.logLines.error} error lines; the first:`);
        for (const line of child.lines((l) => l.includes('"level":"error"') || l.includes('"level":"fatal"'), 3)) log(`    ${line.slice(0, 600)}`);
      }
    }
    if (s.profileDir && child) {
      const file = join(s.profileDir, profileName);
      try {
        run.profile = { file, summary: summarizeProfile(file, 25, run.windows) };
      } catch (err) {
        log(`  no profile read from ${file}: ${(err as Error).message}`);
      }
    }
    if (!s.keep) {
      await db?.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return run;
}

/** The system-wide monotonic clock in µs: V8 stamps CPU profile samples with it. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const args = new BenchArgs(process.argv.slice(2), OPTIONS);
  if (args.help) {
    log(`node dist/bench/auth-notify.bench.js [options]\n${args.usage()}`);
    return;
  }
  const targets = new Set(
    args
      .string('targets', 'ceiling,sqlite,mariadb')
      .split(',')
      .map((t) => t.trim()) as TargetName[],
  );
  for (const t of targets) if (!['ceiling', 'sqlite', 'mariadb'].includes(t)) throw new Error(`unknown target ${t}`);
  const settings: Settings = {
    durationMs: args.number('duration', 10, 1, 300) * 1000,
    concurrency: args.number('concurrency', 32, 1, 1024),
    rate: args.number('rate', 500, 1, 20_000),
    rateDurationMs: args.number('rate-duration', 10, 1, 120) * 1000,
    warmupMs: args.number('warmup', 2, 0, 60) * 1000,
    logLevel: args.string('log-level', 'warn'),
    gatewayEnv: args.pairs('gateway-env'),
    profileDir: args.flag('profile') ? args.string('profile-dir', mkdtempSync(join(tmpdir(), 'acqp-bench-profile-'))) : null,
    seed: args.number('seed', 42, 0, 2 ** 31),
    keep: args.flag('keep'),
    signMs: measureSignMs(),
    gatewayMain: join(args.string('gateway-dist', join(repoRoot(), 'dist')), 'src', 'main.js'),
    gatewayLog: args.has('gateway-log') ? args.string('gateway-log', 'gateway') : null,
  };
  const revision = sourceRevision();
  const machine = machineInfo();
  const startLoad = loadAverage();
  log(`authNotify ingest bench: ${describeMachine(machine)}`);
  log(`load average at start: ${startLoad} (others may be using this machine)`);
  log(`gateway: ${settings.gatewayMain}; checkout ${revision}`);
  log(
    `max throughput: ${settings.concurrency} keep-alive connections for ${settings.durationMs / 1000} s (after ${settings.warmupMs / 1000} s warm-up); ` +
      `fixed rate: ${settings.rate}/s for ${settings.rateDurationMs / 1000} s, open loop; RSA-2048 sign here ${settings.signMs.toFixed(2)} ms`,
  );

  let mariadbUrl: string | null = null;
  let mariadbSkipped: string | null = null;
  if (targets.has('mariadb')) {
    const server = await mariadbServer(args.flag('start-mariadb'));
    if (server.url === null) {
      if (args.flag('mariadb')) throw new Error(`MariaDB forced (--mariadb) but ${server.why}`);
      mariadbSkipped = `MariaDB skipped: ${server.why} (start it with scripts/mariadb.sh start, or pass --start-mariadb)`;
      log(mariadbSkipped);
    } else mariadbUrl = server.url;
  }

  const runs: TargetRun[] = [];
  if (targets.has('ceiling')) runs.push(await runCeiling(settings, false));
  if (targets.has('sqlite')) runs.push(await runGateway('sqlite', settings, null));
  if (mariadbUrl) runs.push(await runGateway('mariadb', settings, mariadbUrl));
  if (targets.has('ceiling') && (targets.has('sqlite') || mariadbUrl)) runs.push(await runCeiling(settings, true));

  const report = buildReport({ runs, settings, machine, startLoad, endLoad: loadAverage(), revision, mariadbUrl, mariadbSkipped });
  log(report.text);
  if (args.flag('write')) for (const file of writeResults('auth-notify', report.json, report.markdown)) log(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('auth-notify bench failed:', err);
    process.exit(1);
  },
);
