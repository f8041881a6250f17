/**
 * Merchant revoke round trip benchmark: signed Antom-style revoke calls to the
 * real gateway, each for a distinct ACTIVE token, each settled through Alipay+
 * cancelToken on the simulator before the gateway answers S. A report, not a
 * test.
 *
 *   npm run build && node dist/bench/revoke.bench.js [--write] [--profile] [--help]
 *
 * Per engine (SQLite temp file; MariaDB fresh acqp_bench_* database):
 *   - the Alipay+ simulator in its own process, echoing TOKEN_CANCELED
 *     (ACQUIRER) to the gateway after each cancel as Alipay+ does (--no-echo
 *     to stop it); the gateway as a child process pointed at it;
 *   - --tokens ACTIVE tokens made by signed TOKEN_CREATED notifications;
 *   - revokes pre-signed with the merchant's key, then sent by --concurrency
 *     keep-alive connections for --duration (or until the tokens run out).
 */
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_KEYS, BENCH_PEMS, measureSignMs, REVOKE_PATH } from './support/bench-keys';
import { httpGet } from './support/child-process';
import { processCpuMs, type CpuUse } from './support/cpu-meter';
import { describeFailures, drive, failures, verifySamples, type PhaseResult } from './support/load';
import { tokenCreatedMix } from './support/notification-mix';
import { presign } from './support/presign';
import { ms, rate } from './support/report';
import { counterChecks, gatewayName, log, perUnit, rangeCheck, runScenario, table, type Goal, type TargetRun } from './support/scenario';

interface Settings {
  tokens: number;
  rate: number;
  rateDurationMs: number;
  durationMs: number;
  concurrency: number;
  warmup: number;
  echo: boolean;
  signMs: number;
}

interface Run extends TargetRun {
  engine: 'sqlite' | 'mariadb';
  setupPerSecond?: number;
  /** The unsaturated phase (open loop at --rate), then the saturated one (closed loop). */
  fixedRate?: PhaseResult;
  revoke?: PhaseResult;
  cpu?: CpuUse;
  simulatorMs?: number;
  /** MariaDB statements per S revoke and InnoDB deadlocks over the closed loop. */
  statements?: number;
  deadlocks?: number;
}

const GOAL_CPU_MS = { sqlite: 2.5, mariadb: 3.5 };
const GOAL_STATEMENTS = 10;
const GOAL_P99_MS = 60;

/** Longest the token set-up (TOKEN_CREATED notifications) may take. */
const SETUP_LIMIT_MS = 180_000;

runScenario<Settings>({
  name: 'revoke',
  title: 'merchant revoke round trip (revoke -> cancelToken on the simulator -> S)',
  targets: ['sqlite', 'mariadb'],
  options: {
    tokens: 'ACTIVE tokens to create, one revoke each (default 4000)',
    rate: 'unsaturated phase first: revokes per second, open loop (default 50)',
    'rate-duration': 'unsaturated phase, seconds (default 10)',
    duration: 'revoke phase, seconds, at most (default 10)',
    concurrency: 'keep-alive connections sending revokes (default 16)',
    warmup: 'revokes sent untimed first, from the same tokens (default 200)',
    'no-echo': 'the simulator does not send TOKEN_CANCELED (ACQUIRER) after a cancel',
  },
  settings: (args) => {
    const s = {
      tokens: args.number('tokens', 4000, 10, 100_000),
      rate: args.number('rate', 50, 1, 5_000),
      rateDurationMs: args.number('rate-duration', 10, 1, 120) * 1000,
      durationMs: args.number('duration', 10, 1, 300) * 1000,
      concurrency: args.number('concurrency', 16, 1, 1024),
      warmup: args.number('warmup', 200, 0, 10_000),
      echo: !args.flag('no-echo'),
      signMs: measureSignMs(),
    };
    if (s.warmup + (s.rate * s.rateDurationMs) / 1000 >= s.tokens)
      throw new Error('--tokens must exceed --warmup plus the unsaturated phase (rate x duration)');
    return s;
  },
  run: async (ctx) => {
    const s = ctx.settings;
    const runs: Run[] = [];
    for (const engine of ctx.targets as Array<'sqlite' | 'mariadb'>) {
      const run = await ctx.target<Run>(gatewayName(engine), { engine }, (run) =>
        ctx.gateway(run, engine, { simulator: { echo: s.echo }, overSocket: true }, async (g) => {
          // Set-up: the tokens, through real signed TOKEN_CREATED notifications.
          const created = tokenCreatedMix(s.tokens, g.merchant.referenceMerchantId);
          const notifications = await presign(
            created.map((item) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: item.body })),
            BENCH_PEMS.alipayPlusPrivate,
          );
          const setup = (await drive(g.port, notifications, { concurrency: 16, durationMs: SETUP_LIMIT_MS })).result;
          run.setupPerSecond = setup.sPerSecond;
          log(`  created ${setup.s}/${s.tokens} tokens in ${setup.elapsedS.toFixed(1)} s (${rate(setup.sPerSecond)}/s)`);
          const active = created.filter((_, i) => setup.outcomes[i] === 1).map((item) => item.subject);
          if (active.length < s.warmup + 1) throw new Error(`only ${active.length} tokens were created`);

          // The revokes, pre-signed with the merchant's key; the Antom SDKs send pretty-printed JSON.
          const revokes = await presign(
            active.map((accessToken) => ({ path: REVOKE_PATH, clientId: g.merchant.clientId, body: JSON.stringify({ accessToken }, null, 3) })),
            g.merchant.privateKeyPem,
          );
          if (s.warmup > 0) {
            const warm = (await drive(g.port, revokes.slice(0, s.warmup), { concurrency: s.concurrency, durationMs: 30_000 })).result;
            log(`  warm-up: ${warm.s}/${s.warmup} S (${rate(warm.sPerSecond)}/s)`);
          }
          // Unsaturated first (the latency a merchant feels), then as many as the gateway takes.
          const open = revokes.slice(s.warmup, s.warmup + Math.floor((s.rate * s.rateDurationMs) / 1000));
          const fixed = (run.fixedRate = (await drive(g.port, open, { rate: s.rate })).result);
          log(
            `  ${s.rate}/s open loop: ${rate(fixed.sPerSecond)}/s S, p50 ${ms(fixed.latency.p50)} ms, p99 ${ms(fixed.latency.p99)} ms, not S ${describeFailures(fixed)}`,
          );
          const closed = revokes.slice(s.warmup + open.length);
          const sim0 = processCpuMs(g.simulatorPid);
          const measured = await g.measure(() => drive(g.port, closed, { concurrency: s.concurrency, durationMs: s.durationMs }));
          const sim1 = processCpuMs(g.simulatorPid);
          const r = (run.revoke = measured.value.result);
          run.cpu = measured.cpu;
          run.simulatorMs = sim0 !== null && sim1 !== null ? sim1 - sim0 : undefined;
          log(
            `  revoke: ${rate(r.sPerSecond)}/s S, p50 ${ms(r.latency.p50)} ms, p99 ${ms(r.latency.p99)} ms, not S ${describeFailures(r)}` +
              (r.poolExhausted ? ` (all ${closed.length} tokens used before ${s.durationMs / 1000} s)` : ''),
          );
          const signatures = verifySamples(measured.value.samples, [BENCH_KEYS.acqpPublic]);
          run.checks.push({
            what: 'sampled answer signatures valid',
            expected: String(signatures.checked),
            found: String(signatures.valid),
            ok: signatures.valid === signatures.checked,
          });
          run.checks.push(...counterChecks(measured.counters, 'S revoke', r.s));
          if (measured.counters) {
            run.statements = measured.counters.Questions / Math.max(1, r.s);
            run.deadlocks = measured.counters.Innodb_deadlocks;
          }

          // Every revoke answered S must have canceled its token through one cancelToken call.
          const acked = s.warmup + fixed.s + r.s;
          const sent = s.warmup + fixed.sent + r.sent;
          const received = await httpGet(g.simulatorPort!, '/_simulator/received');
          const cancelCalls = (JSON.parse(received.body) as { received: Array<{ path: string }> }).received.filter((x) =>
            x.path.endsWith('/cancelToken'),
          ).length;
          run.checks.push(
            rangeCheck(
              'tokens CANCELED (>= revokes answered S, warm-up included)',
              acked,
              sent,
              await g.db.scalar("SELECT COUNT(*) AS n FROM authorizations WHERE status = 'CANCELED'"),
            ),
            rangeCheck('cancel_token_jobs rows (one per revoked token)', acked, sent, await g.db.scalar('SELECT COUNT(*) AS n FROM cancel_token_jobs')),
            rangeCheck('cancelToken calls the simulator received', acked, Infinity, cancelCalls),
          );
        }),
      );
      runs.push(run);
    }
    const done = runs.filter((r): r is Run & { revoke: PhaseResult } => r.revoke !== undefined);
    const goals: Goal[] = runs.flatMap((r) => {
      const cpu = r.revoke ? perUnit(r.cpu?.targetMs, r.revoke.s) : NaN;
      const f = r.fixedRate;
      return [
        {
          goal: `gateway CPU per revoke <= ${GOAL_CPU_MS[r.engine]} ms (two RSA signatures: ${ms(2 * s.signMs)} ms here)`,
          target: r.name,
          value: `${ms(cpu)} ms`,
          pass: Number.isFinite(cpu) ? cpu <= GOAL_CPU_MS[r.engine] : false,
        },
        {
          goal: `p99 < ${GOAL_P99_MS} ms at ${s.rate}/s, open loop (every revoke S)`,
          target: r.name,
          value: f ? `p99 ${ms(f.latency.p99)} ms, ${failures(f)} not S` : 'no result',
          pass: f ? f.s > 0 && f.latency.p99 < GOAL_P99_MS && failures(f) === 0 && !f.fellBehind : false,
        },
        ...(r.engine === 'mariadb'
          ? [
              {
                goal: `<= ${GOAL_STATEMENTS} statements per revoke on MariaDB (server-wide, the ACQUIRER echo's authNotify included)`,
                target: r.name,
                value: r.statements === undefined ? 'not measured' : r.statements.toFixed(1),
                pass: r.statements === undefined ? null : r.statements <= GOAL_STATEMENTS,
              },
              {
                goal: 'no InnoDB deadlock in the bench',
                target: r.name,
                value: String(r.deadlocks ?? '-'),
                pass: r.deadlocks === undefined ? null : r.deadlocks === 0,
              },
            ]
          : []),
      ];
    });
    return {
      setup: [
        `load: ${s.concurrency} keep-alive connections for up to ${s.durationMs / 1000} s after ${s.warmup} warm-up revokes; one distinct ACTIVE token per revoke (${s.tokens} made by TOKEN_CREATED); ` +
          `simulator ${s.echo ? 'echoes TOKEN_CANCELED (ACQUIRER) after each cancel' : 'does not echo'}; client, gateway, simulator and MariaDB share the machine's ${ctx.machine.cores} cores`,
        `first ${s.rate}/s open loop for ${s.rateDurationMs / 1000} s (unsaturated: latency from the scheduled send time), then the closed loop; CPU and statements are the closed loop's`,
      ],
      tables: [
        table('Results', done, {
          target: (r) => r.name + (r.revoke.poolExhausted ? ' (tokens ran out)' : ''),
          'revokes/s': (r) => rate(r.revoke.sPerSecond),
          'p50 ms': (r) => ms(r.revoke.latency.p50),
          'p99 ms': (r) => ms(r.revoke.latency.p99),
          'max ms': (r) => ms(r.revoke.latency.max),
          S: (r) => String(r.revoke.s),
          'not S / no answer': (r) => describeFailures(r.revoke),
          'gateway CPU ms/revoke': (r) => ms(perUnit(r.cpu?.targetMs, r.revoke.s)),
          'simulator CPU ms/revoke': (r) => ms(perUnit(r.simulatorMs, r.revoke.s)),
          'DB CPU ms/revoke': (r) => ms(perUnit(r.cpu?.databaseMs, r.revoke.s)),
          'set-up TOKEN_CREATED/s': (r) => rate(r.setupPerSecond),
          [`at ${s.rate}/s: p50 / p99 ms`]: (r) => (r.fixedRate ? `${ms(r.fixedRate.latency.p50)} / ${ms(r.fixedRate.latency.p99)}` : '-'),
        }),
      ],
      goals,
      figures: done.map((r) => ({
        what: 'merchant revoke round trip (closed loop)',
        target: r.name,
        measured: `${rate(r.revoke.sPerSecond)}/s, p50 ${ms(r.revoke.latency.p50)} ms, p99 ${ms(r.revoke.latency.p99)} ms, gateway CPU ${ms(perUnit(r.cpu?.targetMs, r.revoke.s))} ms/revoke`,
      })),
    };
  },
});
