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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BenchArgs } from './support/bench-args';
import { createSqliteDatabase } from './support/bench-database';
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_PEMS, gatewayEnvironment, repoRoot } from './support/bench-keys';
import { freePort, startNodeChild, waitForHttp200 } from './support/child-process';
import { GATEWAY_NODE_ARGS } from './support/gateway-node';
import { openLoop, failures, type PhaseResult } from './support/load-generator';
import { seedMerchant } from './support/merchant-seed';
import { notificationMix } from './support/notification-mix';
import { presign } from './support/presign';
import type { FloodOrder, FloodStats } from './support/flood.worker';
import { describeMachine, machineInfo, markdownTable, ms, rate, textTable, writeResults } from './support/report';
import { sourceRevision } from './support/source-revision';

const OPTIONS = {
  rate: 'signed authNotify per second in both phases (default 50)',
  duration: 'seconds per phase (default 10)',
  flooders: 'connections posting unsigned 1 MiB bodies in the flooded phase (default 6)',
  'gateway-dist': "compiled gateway to run: the folder holding src/main.js (default this checkout's dist)",
  write: 'write bench/results/flood-<date>.{json,md}',
};

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The gateway's default HTTP_BODY_LIMIT_BYTES (src/config/load-config.ts). */
const HTTP_BODY_LIMIT_DEFAULT = 128 * 1024;

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

async function main(): Promise<void> {
  const args = new BenchArgs(process.argv.slice(2), OPTIONS);
  if (args.help) {
    log(`flood.bench: signed authNotify p99 under an unsigned 1 MiB flood vs unloaded\n${args.usage()}`);
    return;
  }
  const perSecond = args.number('rate', 50, 1, 2_000);
  const durationMs = args.number('duration', 10, 2, 300) * 1000;
  const flooders = args.number('flooders', 6, 1, 64);
  const dist = args.string('gateway-dist', join(repoRoot(), 'dist'));
  const machine = machineInfo();
  log(`flood.bench on ${describeMachine(machine)}; gateway ${dist}`);

  const db = await createSqliteDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-bench-flood-'));
  const port = await freePort();
  const child = startNodeChild('gateway (sqlite)', join(dist, 'src', 'main.js'), {
    env: gatewayEnvironment({ port, databaseUrl: db.url, dataDir, logLevel: 'error' }),
    cwd: dataDir,
    nodeArgs: [...GATEWAY_NODE_ARGS],
  });
  try {
    await waitForHttp200(child, port, '/health/ready', 90_000);
    const merchant = await seedMerchant(port, db, 100_000);
    const phase = async (name: string, seed: number, during?: () => { stop(): Promise<FloodStats> }) => {
      const mix = notificationMix(Math.floor((perSecond * durationMs) / 1000), merchant.referenceMerchantId, seed);
      const signed = await presign(
        mix.map((m) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: m.body })),
        BENCH_PEMS.alipayPlusPrivate,
      );
      const load = during?.();
      const result = await openLoop(port, signed, perSecond, durationMs);
      const stats = await load?.stop();
      log(
        `  ${name}: ${rate(result.sPerSecond)}/s S, p50 ${ms(result.latency.p50)} ms, p99 ${ms(result.latency.p99)} ms, max ${ms(result.latency.max)} ms, not S ${failures(result)}`,
      );
      if (stats)
        log(`    flood: ${stats.sent} unsigned bodies (${(stats.bytesPerSecond / 1024 / 1024).toFixed(1)} MiB/s), answered ${JSON.stringify(stats.answered)}`);
      return { result, stats };
    };
    const limit = HTTP_BODY_LIMIT_DEFAULT;
    const unloaded = await phase('unloaded', 7);
    const phases: FloodPhase[] = [];
    // A stranger's signature is short; the worst case's has the length of a real one, so that it is hashed.
    const shortSignature = 'algorithm=RSA256,keyVersion=1,signature=QUJD';
    const fullLengthSignature = `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(randomBytes(256).toString('base64'))}`;
    for (const [name, bytes, clientId, signature] of [
      [`${flooders} x 1 MiB, unsigned, a stranger's client id`, 1024 * 1024, 'STRANGER', shortSignature],
      [
        `${flooders} x ${Math.floor((limit - 1024) / 1024)} KiB (under the limit), Alipay+'s client id, bad signature`,
        limit - 1024,
        BENCH_CLIENT_ID,
        fullLengthSignature,
      ],
    ] as const) {
      const run = await phase(`flooded: ${name}`, 8 + phases.length, () => flood({ port, path: AUTH_NOTIFY_PATH, flooders, bytes, clientId, signature }));
      phases.push({ name, result: run.result, stats: run.stats! });
      const exited = child.child.exitCode ?? child.child.signalCode;
      if (exited !== null) {
        log(`  THE GATEWAY DIED during the flood (exit ${exited}); its last lines:\n${child.tail().split('\n').slice(-8).join('\n')}`);
        break;
      }
    }
    report({ machine, dist, perSecond, durationMs, unloaded: unloaded.result, phases, write: args.flag('write') });
  } finally {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  }
}

interface FloodPhase {
  name: string;
  result: PhaseResult;
  stats: FloodStats;
}

function report(r: {
  machine: ReturnType<typeof machineInfo>;
  dist: string;
  perSecond: number;
  durationMs: number;
  unloaded: PhaseResult;
  phases: FloodPhase[];
  write: boolean;
}): void {
  const header = ['phase', 'S/s', 'p50 ms', 'p99 ms', 'max ms', 'not S', 'p99 / unloaded', 'goal <= 2x', 'flood MiB/s', 'flood answered'];
  const rows = [
    [
      'unloaded',
      rate(r.unloaded.sPerSecond),
      ms(r.unloaded.latency.p50),
      ms(r.unloaded.latency.p99),
      ms(r.unloaded.latency.max),
      String(failures(r.unloaded)),
      '',
      '',
      '',
      '',
    ],
    ...r.phases.map((p) => {
      const ratio = p.result.latency.p99 / r.unloaded.latency.p99;
      return [
        `flooded: ${p.name}`,
        rate(p.result.sPerSecond),
        ms(p.result.latency.p50),
        ms(p.result.latency.p99),
        ms(p.result.latency.max),
        String(failures(p.result)),
        Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : '-',
        Number.isFinite(ratio) && ratio <= 2 && failures(p.result) === 0 ? 'PASS' : 'MISS',
        (p.stats.bytesPerSecond / 1024 / 1024).toFixed(1),
        JSON.stringify(p.stats.answered),
      ];
    }),
  ];
  log(`\n${textTable(header, rows)}`);
  if (!r.write) return;
  const markdown = [
    `# Flood benchmark (${new Date().toISOString().slice(0, 16)}Z)`,
    '',
    `Machine: ${describeMachine(r.machine)}. Gateway: \`${r.dist}\` at ${sourceRevision()}, embedded SQLite, default body limit.`,
    `Signed authNotify at ${r.perSecond}/s for ${r.durationMs / 1000} s per phase, open loop; each flood phase runs beside it.`,
    '',
    markdownTable(header, rows),
    '',
  ].join('\n');
  for (const file of writeResults('flood', { ...r, machine: r.machine }, markdown)) log(`wrote ${file}`);
}

main().catch((err: Error) => {
  log(`flood.bench failed: ${err.message}`);
  process.exit(1);
});
