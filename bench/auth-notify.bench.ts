/**
 * authNotify ingest benchmark: how many signed Alipay+ notifications per
 * second the real gateway verifies, stores and acknowledges (S), on SQLite
 * and on MariaDB, next to a ceiling measured in the same run. A report, not a
 * test.
 *
 *   npm run build && node dist/bench/auth-notify.bench.js [--write] [--profile] [--help]
 *
 * Targets, each a child process with its own event loop on 127.0.0.1:
 *   - ceiling: a bare Fastify route that only verifies the signature and signs
 *     a constant S answer (bench/support/ceiling.server.ts), run first and last;
 *   - the gateway on SQLite (a temp file) and on MariaDB (a fresh acqp_bench_*
 *     database over the server's socket).
 *
 * Load: notifications signed BEFORE each phase (worker threads), so signing
 * is not on the client while it measures: TOKEN_CREATED and TOKEN_CANCELED
 * for distinct tokens, some AUTHCODE_CREATED, ~5% repeats.
 *   (a) max throughput: C keep-alive connections, closed loop, for --duration;
 *   (b) fixed rate: --rate per second for --rate-duration, open loop, latency
 *       from each request's scheduled send time (no coordinated omission).
 * Afterwards the gateway's database is read directly: the rows must match what
 * was acknowledged S.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signMessage } from '../src/signing';
import type { BenchDatabase } from './support/bench-database';
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_KEYS, BENCH_PEMS } from './support/bench-keys';
import { freePort, startNodeChild } from './support/child-process';
import { CpuMeter, type CpuUse } from './support/cpu-meter';
import { describeFailures, drive, failures, Outcome, verifySamples, type AnswerSample, type PhaseResult } from './support/load';
import { describeMix, notificationMix, type NotificationItem } from './support/notification-mix';
import { presign } from './support/presign';
import { ms, passMiss, rate } from './support/report';
import { busy, counterChecks, gatewayName, log, perUnit, rangeCheck, runScenario, table, type Check, type Goal, type TargetRun } from './support/scenario';

const GOAL_P99_MS = 50;
const GOAL_RATE = 500;
const GOAL_MARIADB_PER_SECOND = 1500;
const GOAL_CEILING_RATIO = 0.6;
/** Headroom over the fastest rate a single event loop could sign answers at, when sizing the pool; most signed for one phase. */
const POOL_HEADROOM = 1.5;
const MAX_POOL = 60_000;

interface Settings {
  durationMs: number;
  concurrency: number;
  rate: number;
  rateDurationMs: number;
  warmupMs: number;
  seed: number;
  /** One RSA-2048 signMessage here and now, ms: what one answer costs any server on this machine. */
  signMs: number;
}

interface Run extends TargetRun {
  kind: 'ceiling' | 'sqlite' | 'mariadb';
  max?: PhaseResult;
  fixedRate?: PhaseResult;
  maxCpu?: CpuUse;
  fixedRateCpu?: CpuUse;
}

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

async function sign(items: readonly NotificationItem[]) {
  const t0 = performance.now();
  const signed = await presign(
    items.map((item) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: item.body })),
    BENCH_PEMS.alipayPlusPrivate,
  );
  log(`  signed ${items.length} notifications in ${((performance.now() - t0) / 1000).toFixed(1)} s (${describeMix(items)})`);
  return signed;
}

type Meter = <T>(phase: () => Promise<T>) => Promise<{ value: T; cpu: CpuUse; counters: Record<string, number> | null }>;

/** Warm-up, max throughput and (but for the closing ceiling) fixed rate against one target; returns what was sent and how each ended. */
async function phases(run: Run, port: number, merchantId: string, s: Settings, fixedRate: boolean, measure: Meter) {
  const maxPool = Math.min(MAX_POOL, Math.ceil(((s.durationMs / 1000) * POOL_HEADROOM) / (s.signMs / 1000)));
  const warmPool = Math.ceil(((s.warmupMs / 1000) * POOL_HEADROOM) / (s.signMs / 1000));
  const sent: Array<{ items: NotificationItem[]; result: PhaseResult }> = [];
  const samples: AnswerSample[] = [];
  const mix = notificationMix(warmPool + maxPool, merchantId, s.seed);
  const signed = await sign(mix);
  if (s.warmupMs > 0) {
    const warm = await drive(port, signed.slice(0, warmPool), { concurrency: s.concurrency, durationMs: s.warmupMs });
    sent.push({ items: mix.slice(0, warmPool), result: warm.result });
    log(`  warm-up: ${rate(warm.result.sPerSecond)}/s, not S ${failures(warm.result)}`);
  }
  const max = await measure(() => drive(port, signed.slice(warmPool), { concurrency: s.concurrency, durationMs: s.durationMs }));
  run.max = max.value.result;
  run.maxCpu = max.cpu;
  sent.push({ items: mix.slice(warmPool), result: run.max });
  samples.push(...max.value.samples);
  log(`  max throughput: ${rate(run.max.sPerSecond)}/s S, p50 ${ms(run.max.latency.p50)} ms, p99 ${ms(run.max.latency.p99)} ms, not S ${failures(run.max)}`);
  let counters = max.counters;
  if (fixedRate) {
    const rateMix = notificationMix(Math.floor((s.rate * s.rateDurationMs) / 1000), merchantId, s.seed + 1);
    const rateSigned = await sign(rateMix);
    const fixed = await measure(() => drive(port, rateSigned, { rate: s.rate }));
    run.fixedRate = fixed.value.result;
    run.fixedRateCpu = fixed.cpu;
    sent.push({ items: rateMix, result: run.fixedRate });
    samples.push(...fixed.value.samples);
    const f = run.fixedRate;
    log(
      `  fixed ${s.rate}/s: ${rate(f.sPerSecond)}/s S, p50 ${ms(f.latency.p50)} ms, p99 ${ms(f.latency.p99)} ms, not S ${failures(f)}${f.fellBehind ? ' (SENDER FELL BEHIND)' : ''}`,
    );
    if (counters && fixed.counters) for (const k of Object.keys(counters)) counters[k] += fixed.counters[k];
    else counters = null;
  }
  const signatures = verifySamples(samples, [BENCH_KEYS.acqpPublic]);
  run.checks.push({
    what: 'sampled answer signatures valid',
    expected: String(signatures.checked),
    found: String(signatures.valid),
    ok: signatures.checked === signatures.valid,
  });
  run.checks.push(...counterChecks(counters, 'S answer', (run.max?.s ?? 0) + (run.fixedRate?.s ?? 0)));
  return sent;
}

/** What the database must hold after the phases, from the S answers (and the unanswered, as an upper bound). */
async function checkDatabase(db: BenchDatabase, sent: Array<{ items: NotificationItem[]; result: PhaseResult }>): Promise<Check[]> {
  const keys = { s: new Set<string>(), maybe: new Set<string>() };
  const tokens = { s: new Set<string>(), maybe: new Set<string>() };
  const codes = { s: new Set<string>(), maybe: new Set<string>() };
  let sCount = 0;
  let maybeCount = 0;
  for (const { items, result } of sent) {
    items.forEach((item, i) => {
      const outcome = result.outcomes[i];
      if (outcome !== Outcome.S && outcome !== Outcome.NoAnswer) return;
      const which = outcome === Outcome.S ? 's' : 'maybe';
      if (outcome === Outcome.S) sCount++;
      else maybeCount++;
      keys[which].add(item.dedupeKey);
      (item.type === 'AUTHCODE_CREATED' ? codes : tokens)[which].add(item.subject);
    });
  }
  const union = (x: { s: Set<string>; maybe: Set<string> }) => new Set([...x.s, ...x.maybe]).size;
  const rows = await db.scalar('SELECT COUNT(*) AS n FROM notifications');
  const bumps = await db.scalar('SELECT COALESCE(SUM(duplicate_count), 0) AS n FROM notifications');
  return [
    rangeCheck('notifications rows (distinct notifications acked S)', keys.s.size, union(keys), rows),
    rangeCheck('notifications stored + duplicate bumps (= S answers)', sCount, sCount + maybeCount, rows + bumps),
    rangeCheck('authorizations rows (distinct tokens acked S)', tokens.s.size, union(tokens), await db.scalar('SELECT COUNT(*) AS n FROM authorizations')),
    rangeCheck('auth_codes rows (distinct auth codes acked S)', codes.s.size, union(codes), await db.scalar('SELECT COUNT(*) AS n FROM auth_codes')),
  ];
}

runScenario<Settings>({
  name: 'auth-notify',
  title: 'authNotify ingest',
  targets: ['ceiling', 'sqlite', 'mariadb'],
  options: {
    duration: 'max-throughput phase, seconds (default 10)',
    concurrency: 'keep-alive connections in the max-throughput phase (default 32)',
    rate: 'fixed-rate phase, notifications per second (default 500)',
    'rate-duration': 'fixed-rate phase, seconds (default 10)',
    warmup: 'untimed closed-loop warm-up before the phases, seconds (default 2)',
    seed: 'seed of the notification mix (default 42)',
  },
  settings: (args) => ({
    durationMs: args.number('duration', 10, 1, 300) * 1000,
    concurrency: args.number('concurrency', 32, 1, 1024),
    rate: args.number('rate', GOAL_RATE, 1, 20_000),
    rateDurationMs: args.number('rate-duration', 10, 1, 120) * 1000,
    warmupMs: args.number('warmup', 2, 0, 60) * 1000,
    seed: args.number('seed', 42, 0, 2 ** 31),
    signMs: measureSignMs(),
  }),
  run: async (ctx) => {
    const s = ctx.settings;
    const runs: Run[] = [];
    const ceiling = (closing: boolean) =>
      ctx.target<Run>(`bare Fastify ceiling (${closing ? 'end' : 'start'})`, { kind: 'ceiling' }, async (run) => {
        const port = await freePort();
        const child = startNodeChild('ceiling server', join(__dirname, 'support', 'ceiling.server.js'), { env: {}, cwd: tmpdir(), args: [String(port)] });
        try {
          await child.waitForLine(/^READY (\d+)/, 20_000);
          await phases(run, port, '2188BENCHCEILING', s, !closing, async (phase) => {
            const meter = new CpuMeter(child.child.pid, undefined);
            const value = await phase();
            return { value, cpu: meter.stop(), counters: null };
          });
        } finally {
          await child.stop();
        }
      });
    for (const t of ctx.targets) {
      if (t === 'ceiling') runs.push(await ceiling(false));
      else
        runs.push(
          await ctx.target<Run>(gatewayName(t as 'sqlite' | 'mariadb'), { kind: t as 'sqlite' | 'mariadb' }, (run) =>
            ctx.gateway(run, run.kind as 'sqlite' | 'mariadb', { overSocket: true }, async (g) => {
              // Notifications name a merchant the gateway knows, as real ones do; no callback endpoints, so no fan-out.
              const sent = await phases(run, g.port, g.merchant.referenceMerchantId, s, true, g.measure);
              run.checks.push(...(await checkDatabase(g.db, sent)));
            }),
          ),
        );
    }
    if (ctx.targets.includes('ceiling') && ctx.targets.length > 1) runs.push(await ceiling(true));

    // The ceiling is the mean of its runs (start and end), so drift over the run shows and evens out.
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const ceilings = runs.filter((r) => r.kind === 'ceiling' && r.max);
    const ceilingRate = mean(ceilings.map((r) => r.max!.sPerSecond));
    const ceilingCpu = mean(ceilings.map((r) => perUnit(r.maxCpu?.targetMs, r.max!.s)).filter(Number.isFinite));
    const gateways = runs.filter((r) => r.kind !== 'ceiling');
    const p99Pass = (f: PhaseResult) => f.s > 0 && f.latency.p99 < GOAL_P99_MS && failures(f) === 0 && !f.fellBehind;
    const phaseRows = runs.flatMap((r) => [
      ...(r.max ? [{ r, p: r.max, cpu: r.maxCpu, load: `${s.concurrency} conns` }] : []),
      ...(r.fixedRate ? [{ r, p: r.fixedRate, cpu: r.fixedRateCpu, load: `${s.rate}/s open${r.fixedRate.fellBehind ? ' (sender fell behind)' : ''}` }] : []),
    ]);
    const goals: Goal[] = [];
    for (const r of gateways) {
      const f = r.fixedRate;
      goals.push({
        goal: `p99 < ${GOAL_P99_MS} ms at ${GOAL_RATE}/s (every request S)`,
        target: r.name,
        value: f
          ? `p99 ${ms(f.latency.p99)} ms at ${s.rate}/s, ${failures(f)} not S${s.rate !== GOAL_RATE ? ` (not judged: run at ${s.rate}/s)` : ''}`
          : 'no result',
        pass: !f ? false : s.rate !== GOAL_RATE ? null : p99Pass(f),
      });
      goals.push({
        goal: `>= ${Math.round(GOAL_CEILING_RATIO * 100)}% of the ceiling`,
        target: r.name,
        value: r.max ? `${(100 * (r.max.sPerSecond / ceilingRate)).toFixed(0)}% (${rate(r.max.sPerSecond)} of ${rate(ceilingRate)}/s)` : 'no result',
        pass: r.max && Number.isFinite(ceilingRate) ? r.max.sPerSecond / ceilingRate >= GOAL_CEILING_RATIO : null,
      });
    }
    const maria = gateways.find((r) => r.kind === 'mariadb');
    goals.push({
      goal: `>= ${GOAL_MARIADB_PER_SECOND.toLocaleString('en')}/s on MariaDB`,
      target: gatewayName('mariadb'),
      value: maria?.max ? `${rate(maria.max.sPerSecond)}/s` : 'not run',
      pass: maria?.max ? maria.max.sPerSecond >= GOAL_MARIADB_PER_SECOND : null,
    });
    return {
      setup: [
        `load: ${s.concurrency} keep-alive connections for ${s.durationMs / 1000} s after ${s.warmupMs / 1000} s warm-up; fixed ${s.rate}/s for ${s.rateDurationMs / 1000} s, ` +
          `open loop (latency from the scheduled send time); client, targets and MariaDB share the machine's ${ctx.machine.cores} cores; RSA-2048 sign here ${s.signMs.toFixed(2)} ms`,
        `notifications: pre-signed per phase, realistic bodies (simulator factory), mix ${describeMix(notificationMix(2000, 'X', s.seed))}; they name a seeded merchant (no callback endpoints); latency columns are over S answers`,
        'CPU columns (from /proc, user+system): the target process per S answer; its CPU / wall time (100% = one core saturated); the MariaDB server per S answer, all its clients included',
        `ceiling used: the mean of its ${ceilings.length} runs, ${rate(ceilingRate)}/s, ${ms(ceilingCpu)} ms CPU per S answer`,
        'answer signatures: the ceiling signs every answer afresh, as a plain route would; the gateway times answers to the whole second ' +
          'and reuses the (deterministic, byte-identical) RSA signature of an identical answer within that second (src/signing/signature-memo.ts)',
      ],
      tables: [
        table(
          `Results (${s.concurrency} connections closed loop for ${s.durationMs / 1000} s; ${s.rate}/s open loop for ${s.rateDurationMs / 1000} s)`,
          phaseRows,
          {
            target: ({ r }) => r.name,
            load: ({ load }) => load,
            'notifications/s': ({ p }) => rate(p.sPerSecond),
            'vs ceiling': ({ r, p }) =>
              r.kind === 'ceiling' || p.mode === 'open' || !Number.isFinite(ceilingRate) ? '' : (p.sPerSecond / ceilingRate).toFixed(2),
            'p50 ms': ({ p }) => ms(p.latency.p50),
            'p99 ms': ({ p }) => ms(p.latency.p99),
            'max ms': ({ p }) => ms(p.latency.max),
            S: ({ p }) => String(p.s),
            errors: ({ p }) => describeFailures(p),
            'target CPU ms/S': ({ p, cpu }) => ms(perUnit(cpu?.targetMs, p.s)),
            'target busy': ({ cpu }) => busy(cpu),
            'DB CPU ms/S': ({ p, cpu }) => ms(perUnit(cpu?.databaseMs, p.s)),
            [`p99 < ${GOAL_P99_MS} ms`]: ({ p }) => (p.mode === 'open' ? passMiss(p99Pass(p)) : ''),
          },
        ),
      ],
      goals,
      figures: [
        ...gateways.flatMap((r) => [
          ...(r.max
            ? [
                {
                  what: 'authNotify max throughput (closed loop)',
                  target: r.name,
                  measured: `${rate(r.max.sPerSecond)}/s, p50 ${ms(r.max.latency.p50)} ms, p99 ${ms(r.max.latency.p99)} ms`,
                },
              ]
            : []),
          ...(r.fixedRate
            ? [
                {
                  what: `authNotify at ${s.rate}/s (open loop)`,
                  target: r.name,
                  measured: `p50 ${ms(r.fixedRate.latency.p50)} ms, p99 ${ms(r.fixedRate.latency.p99)} ms`,
                },
              ]
            : []),
          ...(Number.isFinite(ceilingCpu) && r.max
            ? [
                {
                  what: 'CPU per S answer vs the ceiling',
                  target: r.name,
                  measured: `${perUnit(r.maxCpu?.targetMs, r.max.s).toFixed(2)} ms vs ${ceilingCpu.toFixed(2)} ms`,
                },
              ]
            : []),
        ]),
        { what: 'ceiling used (mean of its runs)', target: 'bare Fastify', measured: `${rate(ceilingRate)}/s` },
      ],
      json: { ceilingPerSecond: ceilingRate },
    };
  },
});
