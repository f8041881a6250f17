/**
 * Every benchmark in sequence, each in its own node process, then ONE table
 * with every figure and every goal (PASS/MISS), and the machine it ran on.
 *
 *   npm run bench                      (= npm run build && node dist/bench/run-all.js --write)
 *   node dist/bench/run-all.js [--write] [--only fanout,claim-scaling] [--start] [--quick] [--help]
 *
 * Runs auth-notify, revoke, fanout and claim-scaling. Each bench writes its
 * JSON (and Markdown) to bench/results/ with --write; this script reads those
 * files. Without --write the benches still write them (their only JSON
 * output) and this script removes them again after reading; with --write they
 * stay, next to bench/results/summary-<date>.{md,json}.
 *
 * MariaDB: use a private server so tests on :3307 do not disturb the numbers:
 *   MARIADB_DIR=/tmp/acqp-bench-mariadb MARIADB_PORT=3317 scripts/mariadb.sh start
 *   scripts/redis.sh start
 * (or --start, which passes --start-mariadb / --start-redis to the benches).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BenchArgs } from './support/bench-args';
import { describeMachine, loadAverage, machineInfo, markdownTable, passMiss, textTable, writeResults } from './support/report';
import { sourceRevision } from './support/source-revision';

const OPTIONS = {
  only: 'comma list of auth-notify,revoke,fanout,claim-scaling (default all, in that order)',
  start: 'start MariaDB and Redis first (--start-mariadb, --start-redis to the benches)',
  quick: 'smaller runs, for trying the pipeline (not for the record)',
  write: "keep each bench's results and write bench/results/summary-<date>.{md,json}",
};

interface BenchSpec {
  name: string;
  script: string;
  /** Longest the bench may run before it is stopped. */
  limitMs: number;
  args: (o: { start: boolean; quick: boolean }) => string[];
}

const BENCHES: BenchSpec[] = [
  {
    name: 'auth-notify',
    script: 'auth-notify.bench.js',
    limitMs: 20 * 60_000,
    args: ({ start, quick }) => [...(start ? ['--start-mariadb'] : []), ...(quick ? ['--duration', '3', '--rate-duration', '3', '--warmup', '1'] : [])],
  },
  {
    name: 'revoke',
    script: 'revoke.bench.js',
    limitMs: 20 * 60_000,
    args: ({ start, quick }) => [...(start ? ['--start-mariadb'] : []), ...(quick ? ['--tokens', '600', '--duration', '3', '--warmup', '50'] : [])],
  },
  {
    name: 'fanout',
    script: 'fanout.bench.js',
    limitMs: 120 * 60_000,
    args: ({ start, quick }) => [
      ...(start ? ['--start-mariadb', '--start-redis'] : []),
      ...(quick ? ['--cancellations', '50', '--singles', '1', '--trickle-duration', '3'] : []),
    ],
  },
  {
    name: 'claim-scaling',
    script: 'claim-scaling.bench.js',
    limitMs: 60 * 60_000,
    args: ({ start, quick }) => [...(start ? ['--start-mariadb'] : []), ...(quick ? ['--sizes', '10000,100000', '--runs', '20'] : [])],
  },
];

interface BenchRun {
  name: string;
  command: string;
  exit: number | string;
  seconds: number;
  files: string[];
  json?: any;
  error?: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one bench, its output passed through; resolves with its exit and the files it wrote. */
function runBench(spec: BenchSpec, extra: string[]): Promise<BenchRun> {
  const script = join(__dirname, spec.script);
  const args = [script, '--write', ...extra];
  const run: BenchRun = { name: spec.name, command: ['node', `dist/bench/${spec.script}`, ...args.slice(1)].join(' '), exit: -1, seconds: 0, files: [] };
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      const lines = (partial + d.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^wrote (.+\.(json|md))$/.exec(line.trim());
        if (m) run.files.push(m[1]);
      }
    });
    // Bounded: the bench is stopped (its own pid only) when it overruns.
    const timer = setTimeout(() => {
      run.error = `stopped after ${spec.limitMs / 60_000} min`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    }, spec.limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      run.exit = code ?? signal ?? -1;
      run.seconds = (performance.now() - t0) / 1000;
      const jsonFile = run.files.find((f) => f.endsWith('.json'));
      if (jsonFile && existsSync(jsonFile)) {
        try {
          run.json = JSON.parse(readFileSync(jsonFile, 'utf8'));
        } catch (err) {
          run.error = `unreadable ${jsonFile}: ${(err as Error).message}`;
        }
      } else if (!run.error) run.error = `no results file (exit ${run.exit})`;
      resolve(run);
    });
  });
}

interface Row {
  bench: string;
  what: string;
  target: string;
  measured: string;
  goal: string;
  result: string;
}

const num = (v: unknown, digits = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '-');
const msv = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : '-');

/** The figures of each bench's JSON, as rows; goals come after, from its `goals`. */
function figures(run: BenchRun): Row[] {
  const j = run.json;
  const rows: Row[] = [];
  const row = (what: string, target: string, measured: string) => rows.push({ bench: run.name, what, target, measured, goal: '', result: '' });
  if (!j) return rows;
  if (run.name === 'auth-notify') {
    for (const r of j.runs ?? []) {
      if (r.max)
        row(
          'authNotify max throughput (closed loop)',
          r.name,
          `${num(r.max.sPerSecond)}/s, p50 ${msv(r.max.latency?.p50)} ms, p99 ${msv(r.max.latency?.p99)} ms`,
        );
      if (r.fixedRate)
        row(
          `authNotify at ${j.settings?.rate}/s (open loop)`,
          r.name,
          `p50 ${msv(r.fixedRate.latency?.p50)} ms, p99 ${msv(r.fixedRate.latency?.p99)} ms, achieved ${num(r.fixedRate.sPerSecond)}/s`,
        );
      if (r.error) row('error', r.name, r.error);
    }
    row('ceiling used (mean of its runs)', 'bare Fastify', `${num(j.ceilingPerSecond)}/s`);
  } else if (run.name === 'revoke') {
    for (const r of j.runs ?? []) {
      if (r.revoke)
        row(
          'merchant revoke round trip (closed loop)',
          r.name,
          `${num(r.revoke.sPerSecond)}/s, p50 ${msv(r.revoke.latency?.p50)} ms, p99 ${msv(r.revoke.latency?.p99)} ms`,
        );
      if (r.error) row('error', r.name, r.error);
    }
  } else if (run.name === 'fanout') {
    for (const r of j.results ?? []) {
      const singles = (r.singles ?? []).map((p: any) => p.outcome.ackToLastOfCancellation.max as number).sort((a: number, b: number) => a - b);
      if (singles.length)
        row(
          'one cancellation: ack to last of its callbacks',
          r.name,
          `median ${msv(singles[Math.floor((singles.length - 1) / 2)])} ms (${singles.map(msv).join(', ')})`,
        );
      const b = r.burst?.outcome;
      if (b) {
        row(
          `burst ${b.cancellationsAcked} cancellations: deliveries/s`,
          r.name,
          `${num(b.deliveriesPerSecond)}/s (steady ${num(b.steadyPerSecond)}/s), ${b.delivered}/${b.expected} delivered, ${b.duplicates} duplicates`,
        );
        row('burst: ack to delivery', r.name, `p50 ${msv(b.ackToDelivery?.p50)} ms, p99 ${msv(b.ackToDelivery?.p99)} ms`);
        row('burst: CPU ms per delivery (process / store)', r.name, `${msv(r.burst.cpuPerDelivery?.target)} / ${msv(r.burst.cpuPerDelivery?.store)}`);
      }
      const t = r.trickle?.outcome;
      if (t) row(`trickle ${r.trickle.load}: ack to delivery`, r.name, `p50 ${msv(t.ackToDelivery?.p50)} ms, p99 ${msv(t.ackToDelivery?.p99)} ms`);
      if (Number.isFinite(r.lifetimePeakMB))
        row('peak RSS (VmHWM)', r.name, `${num(r.lifetimePeakMB)} MB${r.kind === 'bullmq' ? ` (+ Redis ${num(r.storePeakMB)} MB)` : ''}`);
      if (r.error) row('error', r.name, r.error);
    }
  } else if (run.name === 'claim-scaling') {
    for (const r of j.results ?? []) {
      for (const s of r.sizes ?? []) {
        row(
          `claim SELECT median (${s.rows.toLocaleString('en')} PENDING)`,
          r.engine,
          `${num(s.claimSelect?.median, 3)} ms; claim txn ${num(s.claimTransaction?.median, 3)} ms; reap ${num(s.reap?.median, 3)} ms`,
        );
      }
      if (r.error) row('error', r.engine, r.error);
    }
  }
  return rows;
}

function goalRows(run: BenchRun): Row[] {
  const goals = (run.json?.goals ?? []) as Array<{ goal: string; target: string; value: string; pass: boolean | null }>;
  // auth-notify's CPU-vs-ceiling lines are information, not goals: they stay in its own report.
  return goals
    .filter((g) => g.pass !== null || !/information/.test(g.goal))
    .map((g) => ({ bench: run.name, what: 'GOAL', target: g.target, measured: g.value, goal: g.goal, result: passMiss(g.pass) }));
}

async function main(): Promise<void> {
  const args = new BenchArgs(process.argv.slice(2), OPTIONS);
  if (args.help) {
    log(`node dist/bench/run-all.js [options]\n${args.usage()}`);
    return;
  }
  const only = new Set(
    args
      .string('only', BENCHES.map((b) => b.name).join(','))
      .split(',')
      .map((s) => s.trim()),
  );
  for (const name of only) if (!BENCHES.some((b) => b.name === name)) throw new Error(`unknown bench ${name}`);
  const o = { start: args.flag('start'), quick: args.flag('quick') };
  const keep = args.flag('write');
  const machine = machineInfo();
  const startLoad = loadAverage();
  const started = new Date();
  const revision = sourceRevision();
  log(`bench run-all: ${describeMachine(machine)}; load average at start ${startLoad}; checkout ${revision}`);
  log(
    `MariaDB: ${process.env.MARIADB_DIR ? `MARIADB_DIR ${process.env.MARIADB_DIR}, ` : ''}port ${process.env.MARIADB_PORT ?? '3307 (default: shared with tests; set MARIADB_DIR/MARIADB_PORT for a private one)'}`,
  );

  const runs: BenchRun[] = [];
  for (const spec of BENCHES) {
    if (!only.has(spec.name)) continue;
    log(`\n######## ${spec.name} (load average ${loadAverage()}) ########`);
    const run = await runBench(spec, spec.args(o));
    runs.push(run);
    log(`######## ${spec.name}: exit ${run.exit} after ${run.seconds.toFixed(0)} s${run.error ? ` (${run.error})` : ''}`);
  }
  const endLoad = loadAverage();

  const rows: Row[] = [];
  for (const run of runs) {
    rows.push(...figures(run));
    rows.push(...goalRows(run));
    if (!run.json) rows.push({ bench: run.name, what: 'FAILED', target: '-', measured: run.error ?? `exit ${run.exit}`, goal: '', result: 'MISS' });
  }
  const header = ['bench', 'figure', 'target', 'measured', 'goal', 'result'];
  const table = rows.map((r) => [r.bench, r.what, r.target, r.measured, r.goal, r.result]);
  const pass = rows.filter((r) => r.result === 'PASS').length;
  const miss = rows.filter((r) => r.result === 'MISS').length;
  const machineLines = [
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, OpenSSL ${machine.openssl}, ${machine.platform}`,
    `load average (1/5/15 min): start ${startLoad}, end ${endLoad} (the machine is shared: others' work counts in it)`,
    `started ${started.toISOString()}, took ${((Date.now() - started.getTime()) / 60_000).toFixed(1)} min; checkout ${revision}`,
    ...runs.map(
      (r) =>
        `${r.name}: exit ${r.exit}, ${r.seconds.toFixed(0)} s, \`${r.command}\`${r.json?.loadAverage ? `, load ${r.json.loadAverage.start} -> ${r.json.loadAverage.end}` : ''}`,
    ),
    `goals: ${pass} PASS, ${miss} MISS`,
  ];
  log('\n=== benchmark summary ===');
  for (const line of machineLines) log(line);
  log(`\n${textTable(header, table)}`);

  const removed: string[] = [];
  if (!keep) {
    for (const f of runs.flatMap((r) => r.files)) {
      if (!existsSync(f)) continue;
      rmSync(f);
      removed.push(f);
    }
  }
  if (keep) {
    const json = {
      benchmark: 'summary',
      date: new Date().toISOString(),
      machine,
      loadAverage: { start: startLoad, end: endLoad },
      revision,
      runs: runs.map((r) => ({ name: r.name, command: r.command, exit: r.exit, seconds: r.seconds, files: r.files, error: r.error })),
      rows,
      totals: { pass, miss },
    };
    const md = [
      `# Benchmark summary, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      ...machineLines.map((l) => `- ${l}`),
      '',
      markdownTable(header, table),
      '',
      `Per-bench reports: ${runs
        .flatMap((r) => r.files.filter((f) => f.endsWith('.md')))
        .map((f) => `\`${f.slice(f.indexOf('bench/results/'))}\``)
        .join(', ')}`,
      '',
      'Run: `npm run bench` (MariaDB: `MARIADB_DIR=/tmp/acqp-bench-mariadb MARIADB_PORT=3317 scripts/mariadb.sh start`; Redis: `scripts/redis.sh start`)',
    ].join('\n');
    for (const file of writeResults('summary', json, md)) log(`wrote ${file}`);
  } else if (removed.length) {
    log(`(no --write: removed the ${removed.length} result files the benches wrote)`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('run-all failed:', err);
    process.exit(1);
  },
);
