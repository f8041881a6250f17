/**
 * Every benchmark in sequence, each in its own node process, then ONE table
 * with every headline figure and every goal (PASS/MISS), and the machine it
 * ran on.
 *
 *   npm run bench                  (= npm run build && node dist/bench/summary.bench.js)
 *   npm run bench -- --write       (keeps each bench's results and writes bench/results/summary-<date>.{md,json})
 *   node dist/bench/summary.bench.js [--targets fanout,claim-scaling] [--start-mariadb] [--start-redis] [--quick] [--help]
 *
 * Each bench writes its JSON (figures and goals) to bench/results/; this
 * reads it. Without --write those files are removed again after reading.
 *
 * MariaDB: use a private server so tests on :3307 do not disturb the numbers:
 *   MARIADB_DIR=/tmp/acqp-bench-mariadb MARIADB_PORT=3317 scripts/mariadb.sh start
 *   scripts/redis.sh start
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure, Goal, TargetRun } from './support/scenario';
import { loadAverage } from './support/report';
import { log, runScenario } from './support/scenario';

/** Each bench: its longest run, and its arguments for --quick (smaller runs, for trying the pipeline, not for the record). */
const BENCHES: Record<string, { limitMin: number; quick: string[] }> = {
  'auth-notify': { limitMin: 20, quick: ['--duration', '3', '--rate-duration', '3', '--warmup', '1'] },
  revoke: { limitMin: 20, quick: ['--tokens', '800', '--rate-duration', '3', '--duration', '3', '--warmup', '50'] },
  fanout: { limitMin: 120, quick: ['--cancellations', '50', '--singles', '1', '--trickle-duration', '3'] },
  'claim-scaling': { limitMin: 60, quick: ['--sizes', '10000,100000', '--runs', '20'] },
};

interface BenchRun extends TargetRun {
  command: string;
  exit: number | string;
  seconds: number;
  files: string[];
  json?: { figures?: Figure[]; goals?: Goal[]; loadAverage?: { start: string; end: string } };
}

/** Runs one bench with its output passed through; notes its exit and the files it wrote. */
function runBench(run: BenchRun, args: string[], limitMin: number): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      const lines = (partial + d.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (/^wrote .+\.(json|md)$/.test(line.trim())) run.files.push(line.trim().slice(6));
    });
    // Bounded: the bench is stopped (its own pid only) when it overruns.
    const timer = setTimeout(() => {
      run.error = `stopped after ${limitMin} min`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    }, limitMin * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      run.exit = code ?? signal ?? -1;
      run.seconds = (performance.now() - t0) / 1000;
      const jsonFile = run.files.find((f) => f.endsWith('.json'));
      if (jsonFile && existsSync(jsonFile)) run.json = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchRun['json'];
      else run.error ??= `no results file (exit ${run.exit})`;
      resolve();
    });
  });
}

runScenario<{ quick: boolean }>({
  name: 'summary',
  title: 'benchmark summary',
  gateway: false,
  targets: Object.keys(BENCHES),
  options: { quick: 'smaller runs, for trying the pipeline (not for the record)', 'start-redis': 'start Redis first (scripts/redis.sh start)' },
  settings: (args) => ({ quick: args.flag('quick') }),
  run: async (ctx) => {
    const passOn = ['start-mariadb', 'start-redis', 'mariadb'].filter((f) => ctx.args.flag(f)).map((f) => `--${f}`);
    const runs: BenchRun[] = [];
    for (const name of ctx.targets) {
      const spec = BENCHES[name];
      const script = join(__dirname, `${name}.bench.js`);
      const args = [script, '--write', ...passOn.filter((f) => f !== '--start-redis' || name === 'fanout'), ...(ctx.settings.quick ? spec.quick : [])];
      const command = ['node', `dist/bench/${name}.bench.js`, ...args.slice(1)].join(' ');
      runs.push(await ctx.target<BenchRun>(name, { command, exit: -1, seconds: 0, files: [] }, (run) => runBench(run, args, spec.limitMin)));
      log(`######## ${name}: exit ${runs[runs.length - 1].exit} (load average ${loadAverage()})`);
    }
    if (!ctx.args.flag('write')) for (const f of runs.flatMap((r) => r.files)) rmSync(f, { force: true });
    const figures = runs.flatMap((r) => (r.json?.figures ?? []).map((f) => ({ ...f, bench: r.name })));
    const goals = runs.flatMap((r) => (r.json?.goals ?? []).map((g) => ({ ...g, goal: `${r.name}: ${g.goal}` })));
    const bench = (r: BenchRun) =>
      `${r.name}: exit ${r.exit}, ${r.seconds.toFixed(0)} s, \`${r.command}\`${r.json?.loadAverage ? `, load ${r.json.loadAverage.start} -> ${r.json.loadAverage.end}` : ''}`;
    return {
      setup: [
        ...runs.map(bench),
        `goals: ${goals.filter((g) => g.pass === true).length} PASS, ${goals.filter((g) => g.pass === false).length} MISS`,
        `per-bench reports: ${runs.flatMap((r) => r.files.filter((f) => f.endsWith('.md')).map((f) => `\`${f.slice(f.indexOf('bench/results/'))}\``)).join(', ') || '-'}`,
      ],
      tables: [{ title: 'Figures', header: ['bench', 'figure', 'target', 'measured'], rows: figures.map((f) => [f.bench, f.what, f.target, f.measured]) }],
      goals,
    };
  },
});
