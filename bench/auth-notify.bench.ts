/**
 * authNotify ingest benchmark: how many signed Alipay+ notifications per
 * second the real gateway verifies, stores and acknowledges (S), on SQLite
 * and on MariaDB, next to a ceiling measured in the same run. A report, not a
 * test.
 *
 *   npm run build && node dist/bench/auth-notify.bench.js [--write] [--profile] [--help]
 *
 * Targets, each a child process with its own event loop on 127.0.0.1:
 *   - ceilings: a bare Fastify route that only verifies the signature and signs
 *     a constant S answer (bench/support/ceiling.server.ts), run first and
 *     last; and the same reusing an identical answer's signature within its
 *     second, as the gateway does (the fair ceiling, --memo);
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
import type { BenchDatabase } from './support/bench-database';
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_KEYS, BENCH_PEMS, measureSignMs } from './support/bench-keys';
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
const GOAL_CEILING_RATIO = 0.85;
/** The ceilings: a bare route that verifies and signs each answer afresh; the same reusing an identical answer's signature within its second. */
const CEILING_NAMES = { ceiling: 'bare Fastify ceiling', 'ceiling-memo': 'fair ceiling (signature reuse)' } as const;
type Ceiling = keyof typeof CEILING_NAMES;
/** The gateway targets; sqlite-nofsync is SQLite with SQLITE_FSYNC_BEFORE_ACK=false: what the durable default costs. */
const GATEWAYS = {
  sqlite: { engine: 'sqlite', env: {}, name: 'gateway SQLite' },
  mariadb: { engine: 'mariadb', env: {}, name: 'gateway MariaDB' },
  'sqlite-nofsync': { engine: 'sqlite', env: { SQLITE_FSYNC_BEFORE_ACK: 'false' }, name: 'gateway SQLite, no fsync before S' },
} as const;
type GatewayKind = keyof typeof GATEWAYS;
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
  kind: Ceiling | GatewayKind;
  max?: PhaseResult;
  fixedRate?: PhaseResult;
  maxCpu?: CpuUse;
  fixedRateCpu?: CpuUse;
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
  targets: ['ceiling', 'ceiling-memo', 'sqlite', 'mariadb', 'sqlite-nofsync'],
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
    const ceiling = (kind: Ceiling, closing: boolean) =>
      ctx.target<Run>(`${CEILING_NAMES[kind]} (${closing ? 'end' : 'start'})`, { kind }, async (run) => {
        const port = await freePort();
        const args = [String(port), ...(kind === 'ceiling-memo' ? ['--memo'] : [])];
        const child = startNodeChild('ceiling server', join(__dirname, 'support', 'ceiling.server.js'), { env: {}, cwd: tmpdir(), args });
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
    const ceilingKinds = ctx.targets.filter((t): t is Ceiling => t in CEILING_NAMES);
    for (const t of ctx.targets) {
      if (t in CEILING_NAMES) runs.push(await ceiling(t as Ceiling, false));
      else
        runs.push(
          await ctx.target<Run>(GATEWAYS[t as GatewayKind].name, { kind: t as GatewayKind }, (run) =>
            ctx.gateway(run, GATEWAYS[t as GatewayKind].engine, { overSocket: true, env: GATEWAYS[t as GatewayKind].env }, async (g) => {
              // Notifications name a merchant the gateway knows, as real ones do; no callback endpoints, so no fan-out.
              const sent = await phases(run, g.port, g.merchant.referenceMerchantId, s, true, g.measure);
              run.checks.push(...(await checkDatabase(g.db, sent)));
            }),
          ),
        );
    }
    // Each ceiling again at the end: the mean of a ceiling's runs evens out drift over the run, and shows it.
    if (ctx.targets.length > ceilingKinds.length) for (const kind of ceilingKinds) runs.push(await ceiling(kind, true));

    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const ceilingOf = (kind: Ceiling) => {
      const of = runs.filter((r) => r.kind === kind && r.max);
      return {
        runs: of.length,
        rate: mean(of.map((r) => r.max!.sPerSecond)),
        cpu: mean(of.map((r) => perUnit(r.maxCpu?.targetMs, r.max!.s)).filter(Number.isFinite)),
      };
    };
    const plain = ceilingOf('ceiling');
    const fair = ceilingOf('ceiling-memo');
    // The goals are the defaults'; sqlite-nofsync only says what durability costs.
    const gateways = runs.filter((r) => r.kind === 'sqlite' || r.kind === 'mariadb');
    const durable = runs.find((r) => r.kind === 'sqlite');
    const nofsync = runs.find((r) => r.kind === 'sqlite-nofsync');
    const p99Pass = (f: PhaseResult) => f.s > 0 && f.latency.p99 < GOAL_P99_MS && failures(f) === 0 && !f.fellBehind;
    const ratio = (v: number, of: number) => (Number.isFinite(v / of) ? (v / of).toFixed(2) : '');
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
      const vs = (c: typeof fair) => `${(100 * (r.max!.sPerSecond / c.rate)).toFixed(0)}% of ${rate(c.rate)}/s`;
      goals.push({
        goal: `>= ${Math.round(GOAL_CEILING_RATIO * 100)}% of the same-run ceiling (the fair one: answer signatures reused within a second, as the gateway does)`,
        target: r.name,
        value: r.max ? `${rate(r.max.sPerSecond)}/s = ${vs(fair)} (plain ceiling: ${vs(plain)})` : 'no result',
        pass: r.max && Number.isFinite(fair.rate) ? r.max.sPerSecond / fair.rate >= GOAL_CEILING_RATIO : null,
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
        `ceilings: plain ${rate(plain.rate)}/s and ${ms(plain.cpu)} ms CPU per S (mean of ${plain.runs} runs); fair ${rate(fair.rate)}/s and ${ms(fair.cpu)} ms CPU per S (mean of ${fair.runs})`,
        'answer signatures: the plain ceiling signs every answer afresh, as a plain route would; the gateway, and the fair ceiling, time answers to the whole second ' +
          'and reuse the (deterministic, byte-identical) RSA signature of an identical answer within that second (src/signing/signature-memo.ts)',
      ],
      tables: [
        table(
          `Results (${s.concurrency} connections closed loop for ${s.durationMs / 1000} s; ${s.rate}/s open loop for ${s.rateDurationMs / 1000} s)`,
          phaseRows,
          {
            target: ({ r }) => r.name,
            load: ({ load }) => load,
            'notifications/s': ({ p }) => rate(p.sPerSecond),
            'vs plain / fair ceiling': ({ r, p }) =>
              r.kind in CEILING_NAMES || p.mode === 'open' ? '' : `${ratio(p.sPerSecond, plain.rate)} / ${ratio(p.sPerSecond, fair.rate)}`,
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
          ...(r.max
            ? [
                {
                  what: 'CPU per S answer vs the fair ceiling',
                  target: r.name,
                  measured: `${ms(perUnit(r.maxCpu?.targetMs, r.max.s))} ms vs ${ms(fair.cpu)} ms`,
                },
              ]
            : []),
        ]),
        ...(durable?.max && nofsync?.max
          ? [
              {
                what: 'SQLite: what the fsync before each S costs (durable default vs SQLITE_FSYNC_BEFORE_ACK=false)',
                target: 'gateway SQLite',
                measured:
                  `${rate(durable.max.sPerSecond)} vs ${rate(nofsync.max.sPerSecond)}/s; p50 / p99 at ${s.rate}/s ` +
                  `${ms(durable.fixedRate?.latency.p50)} / ${ms(durable.fixedRate?.latency.p99)} vs ${ms(nofsync.fixedRate?.latency.p50)} / ${ms(nofsync.fixedRate?.latency.p99)} ms`,
              },
            ]
          : []),
        { what: 'ceiling (mean of its runs): plain / fair', target: 'bare Fastify', measured: `${rate(plain.rate)}/s / ${rate(fair.rate)}/s` },
      ],
      json: { ceilingPerSecond: plain.rate, fairCeilingPerSecond: fair.rate },
    };
  },
});
