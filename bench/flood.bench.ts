/**
 * Unauthenticated flood benchmark: a signed authNotify's latency while
 * strangers post unsigned 1 MiB JSON bodies, next to its latency unloaded,
 * in the same run against the same gateway. A report, not a test.
 *
 *   npm run build && node dist/bench/flood.bench.js [--write] [--help]
 *
 * The security review found that every JSON route parsed and walked a body
 * before checking its signature: six parallel 1 MiB arrays held the event
 * loop for 14 s, and a signed authNotify then waited 6.1 s (Alipay+ waits 5).
 * The goal: p99 under the flood within 2x of p99 unloaded.
 *
 * Phases, each against the compiled gateway on embedded SQLite with its
 * default body limit (HTTP_BODY_LIMIT_BYTES):
 *   (a) unloaded: signed authNotify, open loop at --rate for --duration;
 *   (b) flooded: the same, while --flooders connections each post unsigned
 *       1 MiB JSON arrays back to back (closed loop) to the same route, as
 *       the review did;
 *   (c) flooded, worst case: the same with JSON arrays just under the body
 *       limit, under Alipay+'s own client id, a current time and a wrong
 *       signature of a real one's length, so that every one is read whole
 *       and hashed.
 * --gateway-dist runs another build (e.g. the commit before the fix) instead.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_PEMS } from './support/bench-keys';
import type { FloodOrder, FloodStats } from './support/flood.worker';
import { describeFailures, drive, failures, type PhaseResult } from './support/load';
import { notificationMix } from './support/notification-mix';
import { presign } from './support/presign';
import { ms, passMiss, rate } from './support/report';
import { gatewayName, log, runScenario, type TargetRun } from './support/scenario';

/** The gateway's default HTTP_BODY_LIMIT_BYTES (src/config/load-config.ts). */
const BODY_LIMIT = 128 * 1024;
const GOAL_RATIO = 2;
const mibPerSecond = (stats: FloodStats) => (stats.bytesPerSecond / 1024 / 1024).toFixed(1);

interface Settings {
  rate: number;
  durationMs: number;
  flooders: number;
}

interface Phase {
  name: string;
  result: PhaseResult;
  stats?: FloodStats;
}

interface Run extends TargetRun {
  unloaded?: Phase;
  flooded: Phase[];
}

/** Starts the attacker on its own thread (support/flood.worker.ts); `stop()` ends it and returns its counts. */
function flood(order: FloodOrder): { stop(): Promise<FloodStats> } {
  const worker = new Worker(join(__dirname, 'support', 'flood.worker.js'), { workerData: order });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  return {
    stop: async () => {
      const stats = Promise.race([new Promise<FloodStats>((resolve) => worker.once('message', resolve)), failed]);
      worker.postMessage('stop');
      try {
        return await stats;
      } finally {
        await worker.terminate();
      }
    },
  };
}

runScenario<Settings>({
  name: 'flood',
  title: 'signed authNotify p99 under an unsigned 1 MiB flood vs unloaded',
  // Refusals log a warn line each; the committed results ran the gateway at error, so that logging is not what the flood measures.
  logLevel: 'error',
  targets: ['sqlite'],
  options: {
    rate: 'signed authNotify per second in every phase (default 50)',
    duration: 'seconds per phase (default 10)',
    flooders: 'connections posting unsigned bodies in the flooded phases (default 6)',
  },
  settings: (args) => ({
    rate: args.number('rate', 50, 1, 2_000),
    durationMs: args.number('duration', 10, 2, 300) * 1000,
    flooders: args.number('flooders', 6, 1, 64),
  }),
  run: async (ctx) => {
    const s = ctx.settings;
    // A stranger's signature is short; the worst case's has the length of a real one, so that it is hashed.
    const attacks = [
      {
        name: `${s.flooders} x 1 MiB, unsigned, a stranger's client id`,
        bytes: 1024 * 1024,
        clientId: 'STRANGER',
        signature: 'algorithm=RSA256,keyVersion=1,signature=QUJD',
      },
      {
        name: `${s.flooders} x ${Math.floor((BODY_LIMIT - 1024) / 1024)} KiB (under the limit), Alipay+'s client id, bad signature`,
        bytes: BODY_LIMIT - 1024,
        clientId: BENCH_CLIENT_ID,
        signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(randomBytes(256).toString('base64'))}`,
      },
    ];
    const run = await ctx.target<Run>(gatewayName('sqlite'), { flooded: [] }, (run) =>
      ctx.gateway(run, 'sqlite', {}, async (g) => {
        const phase = async (name: string, seed: number, attack?: Pick<FloodOrder, 'bytes' | 'clientId' | 'signature'>): Promise<Phase> => {
          const mix = notificationMix(Math.floor((s.rate * s.durationMs) / 1000), g.merchant.referenceMerchantId, seed);
          const signed = await presign(
            mix.map((m) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: m.body })),
            BENCH_PEMS.alipayPlusPrivate,
          );
          // Through g.measure so that --profile covers the phase.
          const { value } = await g.measure(async () => {
            const attacker = attack && flood({ port: g.port, path: AUTH_NOTIFY_PATH, flooders: s.flooders, ...attack });
            const { result } = await drive(g.port, signed, { rate: s.rate });
            return { name, result, stats: await attacker?.stop() };
          });
          const { result: r, stats } = value;
          log(
            `  ${name}: ${rate(r.sPerSecond)}/s S, p50 ${ms(r.latency.p50)} ms, p99 ${ms(r.latency.p99)} ms, max ${ms(r.latency.max)} ms, not S ${failures(r)}`,
          );
          if (stats) log(`    flood: ${stats.sent} unsigned bodies (${mibPerSecond(stats)} MiB/s), answered ${JSON.stringify(stats.answered)}`);
          return value;
        };
        run.unloaded = await phase('unloaded', 7);
        for (const { name, ...attack } of attacks) {
          run.flooded.push(await phase(`flooded: ${name}`, 8 + run.flooded.length, attack));
          const exited = g.child.child.exitCode ?? g.child.child.signalCode;
          if (exited !== null) {
            log(`  THE GATEWAY DIED during the flood (exit ${exited}); its last lines:\n${g.child.tail().split('\n').slice(-8).join('\n')}`);
            run.checks.push({ what: 'gateway alive after each flood', expected: 'yes', found: `died (exit ${exited}) in ${name}`, ok: false });
            break;
          }
        }
      }),
    );
    const unloadedP99 = run.unloaded?.result.latency.p99 ?? NaN;
    const judged = run.flooded.map((p) => {
      const ratio = p.result.latency.p99 / unloadedP99;
      return { ...p, ratio, pass: Number.isFinite(ratio) && ratio <= GOAL_RATIO && failures(p.result) === 0 };
    });
    const row = ({ name, result: r, stats }: Phase, ratio: string, goal: string) => [
      name,
      rate(r.sPerSecond),
      ms(r.latency.p50),
      ms(r.latency.p99),
      ms(r.latency.max),
      describeFailures(r),
      ratio,
      goal,
      stats ? mibPerSecond(stats) : '',
      stats ? JSON.stringify(stats.answered) : '',
    ];
    return {
      setup: [
        `signed authNotify at ${s.rate}/s for ${s.durationMs / 1000} s per phase, open loop (latency from the scheduled send time); each flood runs beside it from its own thread`,
        `gateway on embedded SQLite with its default body limit (${BODY_LIMIT} bytes); client and gateway share the machine's ${ctx.machine.cores} cores`,
      ],
      tables: [
        {
          title: 'Results',
          header: ['phase', 'S/s', 'p50 ms', 'p99 ms', 'max ms', 'not S', 'p99 / unloaded', `goal <= ${GOAL_RATIO}x`, 'flood MiB/s', 'flood answered'],
          rows: [
            ...(run.unloaded ? [row(run.unloaded, '', '')] : []),
            ...judged.map((p) => row(p, Number.isFinite(p.ratio) ? `${p.ratio.toFixed(2)}x` : '-', passMiss(p.pass))),
          ],
        },
      ],
      goals: judged.map((p) => ({
        goal: `p99 under the flood within ${GOAL_RATIO}x of unloaded, every request S`,
        target: p.name,
        value: `p99 ${ms(p.result.latency.p99)} vs ${ms(unloadedP99)} ms unloaded${Number.isFinite(p.ratio) ? ` = ${p.ratio.toFixed(2)}x` : ''}, not S ${describeFailures(p.result)}`,
        pass: p.pass,
      })),
    };
  },
});
