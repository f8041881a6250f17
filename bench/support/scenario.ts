/**
 * The one scenario runner every bench shares. A bench names its options and
 * targets, then runs them through the context: `ctx.target()` for one
 * target's record (its errors caught, its load average noted), and
 * `ctx.gateway()` for a compiled gateway in a child process on a fresh
 * database, with a seeded merchant, the simulator when asked, CPU meters,
 * MariaDB counters and a CPU profile, torn down whatever happens. It returns
 * a report (set-up lines, tables, goals, figures for the summary); the runner
 * prints it and, with --write, saves it as Markdown and JSON in bench/results/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProfileSummary, summarizeProfile, type ProfileSummary } from '../cpuprofile-top';
import { BenchArgs } from './bench-args';
import {
  counterDelta,
  createMariadbDatabase,
  createSqliteDatabase,
  describeMariadbServer,
  localServer,
  mariadbDurability,
  serverCounters,
  type BenchDatabase,
  type Engine,
} from './bench-database';
import { gatewayEnvironment, GATEWAY_NODE_ARGS, repoRoot } from './bench-keys';
import { freePort, startNodeChild, waitForHttp200, type BenchChild } from './child-process';
import { CpuMeter, mariadbPid, type CpuUse } from './cpu-meter';
import { seedMerchant, type BenchMerchant } from './merchant-seed';
import { describeMachine, loadAverage, machineInfo, markdownTable, passMiss, sourceRevision, textTable, writeResults, type MachineInfo } from './report';

export interface Goal {
  goal: string;
  target: string;
  value: string;
  /** null: not judged in this run (and said why in `value`). */
  pass: boolean | null;
}

export interface Check {
  what: string;
  expected: string;
  found: string;
  /** null: information only. */
  ok: boolean | null;
}

/** A headline figure for the summary of `npm run bench`. */
export interface Figure {
  what: string;
  target: string;
  measured: string;
}

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
}

/** A table from items, one column per entry: its header and how an item fills it. */
export function table<T>(title: string, items: readonly T[], columns: Record<string, (item: T) => string>): Table {
  return { title, header: Object.keys(columns), rows: items.map((item) => Object.values(columns).map((cell) => cell(item))) };
}

export interface Report {
  /** Lines on what ran and how, after the machine's. */
  setup: string[];
  tables: Table[];
  goals?: Goal[];
  figures?: Figure[];
  /** Preformatted sections (SQL, query plans). */
  blocks?: Array<{ title: string; text: string }>;
  /** Bench-specific fields for the JSON file. */
  json?: Record<string, unknown>;
}

/** What every target's record holds; a bench extends it with its figures. */
export interface TargetRun {
  name: string;
  loadAverageBefore: string;
  checks: Check[];
  database?: string;
  logLines?: { warn: number; error: number };
  profile?: { file: string; summary: ProfileSummary };
  error?: string;
}

export interface Scenario<S> {
  /** bench/results/<name>-<date>.* and dist/bench/<name>.bench.js. */
  name: string;
  title: string;
  options: Record<string, string>;
  /** Targets in run order. Any named mariadb* makes the runner find (or start) the MariaDB server. */
  targets: readonly string[];
  /** Whether it runs the gateway (adds the gateway options). Default true. */
  gateway?: boolean;
  /** The gateway's LOG_LEVEL unless --log-level says otherwise. Default warn. */
  logLevel?: string;
  settings(args: BenchArgs): S;
  run(ctx: Context<S>): Promise<Report>;
}

const GATEWAY_OPTIONS = {
  'log-level': 'gateway LOG_LEVEL (default warn, or what the bench says)',
  'gateway-log': "also write each gateway's whole output to <this prefix>-<bench>-<engine>.log",
  'gateway-dist': "compiled gateway to run: the folder holding src/main.js (default this checkout's dist)",
  'gateway-env': 'extra gateway environment, KEY=VALUE[,KEY=VALUE...]',
  profile: 'run each gateway under node --cpu-prof and print its top frames over the timed phases',
  'profile-dir': 'where the .cpuprofile files go (default a temp dir, kept)',
};

const COMMON_OPTIONS = {
  mariadb: 'fail instead of skipping MariaDB when it is not running',
  'start-mariadb': 'start MariaDB first (scripts/mariadb.sh start)',
  write: 'write bench/results/<bench>-<date>.{json,md}',
  keep: 'keep temp files and the bench databases',
};

export const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** The name a gateway target goes by in every report. */
export const gatewayName = (engine: Engine) => (engine === 'sqlite' ? 'gateway SQLite' : 'gateway MariaDB');

export interface GatewayOptions {
  /** The Alipay+ simulator in its own process, ALIPAYPLUS_BASE_URL pointed at it; `echo`: it sends TOKEN_CANCELED (ACQUIRER) after each cancel. */
  simulator?: { echo: boolean };
  env?: Record<string, string>;
  /** MariaDB over the server's Unix socket when it is on this host, as an operator would set it. */
  overSocket?: boolean;
  /** Gateway instances on the one database (scale-out), each its own process and port. Default 1. */
  instances?: number;
}

/** A running gateway: where it is, what it runs on, and a meter for timed phases. */
export interface Gateway {
  readonly engine: Engine;
  /** The first instance's port and process; every instance's ports and pids. */
  readonly port: number;
  readonly child: BenchChild;
  readonly ports: readonly number[];
  readonly pids: readonly number[];
  readonly db: BenchDatabase;
  readonly merchant: BenchMerchant;
  readonly simulatorPort?: number;
  readonly simulatorPid?: number;
  readonly databasePid: number | undefined;
  /** Runs a timed phase: the CPU of the gateway, its database and this client, MariaDB's counters, and the window the profile covers. */
  measure<T>(phase: () => Promise<T>): Promise<{ value: T; cpu: CpuUse; counters: Record<string, number> | null }>;
}

export interface Context<S> {
  readonly settings: S;
  readonly args: BenchArgs;
  readonly machine: MachineInfo;
  /** The targets to run, in the scenario's order, MariaDB dropped when it was skipped. */
  readonly targets: readonly string[];
  readonly mariadbUrl: string | null;
  /** Lines on the servers the targets use, and why a target was skipped; a bench adds its own (Redis). */
  readonly notes: string[];
  /** Runs one target; its record joins the report's checks and profiles. */
  target<R extends TargetRun>(name: string, extra: Omit<R, keyof TargetRun>, body: (run: R) => Promise<void>): Promise<R>;
  /** A gateway on a fresh database for the body's duration. */
  gateway(run: TargetRun, engine: Engine, options: GatewayOptions, body: (g: Gateway) => Promise<void>): Promise<void>;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Parses the command line, runs the scenario, prints its report and writes it; exits 0 unless it could not run at all. */
export function runScenario<S>(scenario: Scenario<S>): void {
  main(scenario).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`${scenario.name} bench failed:`, err);
      process.exit(1);
    },
  );
}

async function main<S>(scenario: Scenario<S>): Promise<void> {
  const runsGateway = scenario.gateway !== false;
  const args = new BenchArgs(process.argv.slice(2), {
    targets: `comma list of ${scenario.targets.join(',')} (default all, in that order)`,
    ...scenario.options,
    ...(runsGateway ? GATEWAY_OPTIONS : {}),
    ...COMMON_OPTIONS,
  });
  if (args.help) return log(`node dist/bench/${scenario.name}.bench.js [options]: ${scenario.title}\n${args.usage()}`);
  const wanted = new Set(
    args
      .string('targets', scenario.targets.join(','))
      .split(',')
      .map((t) => t.trim()),
  );
  for (const t of wanted) if (!scenario.targets.includes(t)) throw new Error(`unknown target ${t}; known: ${scenario.targets.join(', ')}`);
  const settings = scenario.settings(args);
  const machine = machineInfo();
  const startLoad = loadAverage();
  const revision = sourceRevision();
  const gatewayMain = join(args.string('gateway-dist', join(repoRoot(), 'dist')), 'src', 'main.js');
  const profileDir = args.flag('profile') ? args.string('profile-dir', mkdtempSync(join(tmpdir(), 'acqp-bench-profile-'))) : null;
  log(`${scenario.title}: ${describeMachine(machine)}`);
  log(`load average at start: ${startLoad} (others may be using this machine); checkout ${revision}`);

  const notes: string[] = [];
  let mariadbUrl: string | null = null;
  // Targets named mariadb* (mariadb, mariadb-hmac, ...) run on the MariaDB server.
  if ([...wanted].some((t) => t.startsWith('mariadb'))) {
    const server = await localServer('mariadb', args.flag('start-mariadb'));
    if (server.url !== null) {
      mariadbUrl = server.url;
      notes.push(await mariadbDurability(mariadbUrl));
    } else if (args.flag('mariadb')) throw new Error(`MariaDB forced (--mariadb) but ${server.why}`);
    else notes.push(`MariaDB skipped: ${server.why} (start it with scripts/mariadb.sh start, or pass --start-mariadb)`);
  }
  for (const line of notes) log(line);

  const runs: TargetRun[] = [];
  let overSocket = false;
  const ctx: Context<S> = {
    settings,
    args,
    machine,
    targets: scenario.targets.filter((t) => wanted.has(t) && (!t.startsWith('mariadb') || mariadbUrl !== null)),
    mariadbUrl,
    notes,
    target: async <R extends TargetRun>(name: string, extra: Omit<R, keyof TargetRun>, body: (run: R) => Promise<void>) => {
      const run = { name, loadAverageBefore: loadAverage(), checks: [], ...extra } as unknown as R;
      runs.push(run);
      log(`\n${name} (load average ${run.loadAverageBefore})`);
      try {
        await body(run);
      } catch (err) {
        run.error = (err as Error).message.split('\n')[0];
        log(`  FAILED: ${(err as Error).stack ?? String(err)}`);
      }
      for (const c of run.checks) if (c.ok === false) log(`  CHECK FAILED: ${c.what}: expected ${c.expected}, found ${c.found}`);
      return run;
    },
    gateway: async (run, engine, options, body) => {
      overSocket ||= engine === 'mariadb' && options.overSocket === true;
      await withGateway(run, engine, options, body, {
        bench: scenario.name,
        gatewayMain,
        profileDir,
        logLevel: args.string('log-level', scenario.logLevel ?? 'warn'),
        env: args.pairs('gateway-env'),
        logPrefix: args.has('gateway-log') ? args.string('gateway-log', 'gateway') : null,
        keep: args.flag('keep'),
        mariadbUrl,
      });
    },
  };
  const report = await scenario.run(ctx);
  const endLoad = loadAverage();

  const setup = [
    `machine: ${describeMachine(machine)}`,
    `load average: start ${startLoad}, end ${endLoad}; before each target: ${runs.map((r) => `${r.name} ${r.loadAverageBefore}`).join('; ')}`,
    ...report.setup,
    ...(runsGateway ? [`gateway: ${gatewayMain}; checkout ${revision}`] : [`checkout ${revision}`]),
    ...notes,
    ...(mariadbUrl ? [describeMariadbServer(mariadbUrl, { overSocket })] : []),
  ];
  const goals = report.goals ?? [];
  const goalTable: Table = {
    title: 'Goals',
    header: ['goal', 'target', 'measured', 'result'],
    rows: goals.map((g) => [g.goal, g.target, g.value, passMiss(g.pass)]),
  };
  const checkTable: Table = {
    title: 'Checks',
    header: ['target', 'check', 'expected', 'found', 'result'],
    rows: runs.flatMap((r) => [
      ...r.checks.map((c) => [r.name, c.what, c.expected, c.found, c.ok === null ? 'INFO' : c.ok ? 'OK' : 'MISMATCH']),
      ...(r.error ? [[r.name, 'ran to the end', '-', r.error, 'FAILED']] : []),
    ]),
  };
  const tables = [...report.tables, ...(goals.length ? [goalTable] : []), ...(checkTable.rows.length ? [checkTable] : [])];
  const blocks = [
    ...(report.blocks ?? []),
    ...runs.flatMap((r) => (r.profile ? [{ title: `CPU profile of ${r.name} (${r.profile.file})`, text: formatProfileSummary(r.profile.summary) }] : [])),
  ];

  log(`\n=== ${scenario.title} ===`);
  for (const line of setup) log(line);
  for (const t of tables) log(`\n${t.title}\n${textTable(t.header, t.rows)}`);
  for (const b of blocks) log(`\n${b.title}\n${b.text}`);
  if (!args.flag('write')) return;
  const json = {
    benchmark: scenario.name,
    date: new Date().toISOString(),
    machine,
    loadAverage: { start: startLoad, end: endLoad },
    revision,
    argv: process.argv.slice(2),
    settings,
    notes,
    figures: report.figures ?? [],
    goals,
    runs,
    ...report.json,
  };
  const markdown = [
    `# ${scenario.title}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    ...setup.map((l) => `- ${l}`),
    ...tables.flatMap((t) => ['', `## ${t.title}`, '', markdownTable(t.header, t.rows)]),
    ...blocks.flatMap((b) => ['', `## ${b.title}`, '', '```text', b.text, '```']),
    '',
    `Run: \`npm run build && node dist/bench/${scenario.name}.bench.js --write\``,
  ].join('\n');
  for (const file of writeResults(scenario.name, json, markdown)) log(`wrote ${file}`);
}

interface GatewayRunSettings {
  bench: string;
  gatewayMain: string;
  profileDir: string | null;
  logLevel: string;
  env: Record<string, string>;
  logPrefix: string | null;
  keep: boolean;
  mariadbUrl: string | null;
}

async function withGateway(run: TargetRun, engine: Engine, options: GatewayOptions, body: (g: Gateway) => Promise<void>, s: GatewayRunSettings): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-bench-data-'));
  const profileName = `gateway-${s.bench}-${engine}-${Date.now()}.cpuprofile`;
  const windows: Array<[number, number]> = [];
  const children: BenchChild[] = [];
  let db: BenchDatabase | undefined;
  let simulator: BenchChild | undefined;
  try {
    db = engine === 'sqlite' ? await createSqliteDatabase() : await createMariadbDatabase(s.mariadbUrl!, { overSocket: options.overSocket });
    run.database = db.label;
    const ports: number[] = [];
    for (let i = 0; i < (options.instances ?? 1); i++) ports.push(await freePort());
    let simulatorPort: number | undefined;
    if (options.simulator) {
      simulatorPort = await freePort();
      const echo = options.simulator.echo ? [] : ['--no-echo'];
      simulator = startNodeChild('simulator', join(__dirname, 'simulator.server.js'), {
        env: {},
        cwd: tmpdir(),
        args: [String(simulatorPort), `http://127.0.0.1:${ports[0]}`, ...echo],
      });
      await simulator.waitForLine(/^READY (\d+)/, 20_000);
    }
    const alipayPlusBaseUrl = simulatorPort === undefined ? undefined : `http://127.0.0.1:${simulatorPort}`;
    // One after the other: the first migrates the database, the others find it migrated. Only the first is profiled.
    for (const [i, port] of ports.entries()) {
      const child = startNodeChild(`gateway ${i + 1} (${engine})`, s.gatewayMain, {
        env: gatewayEnvironment({ port, databaseUrl: db.url, dataDir, logLevel: s.logLevel, alipayPlusBaseUrl, extra: { ...options.env, ...s.env } }),
        cwd: dataDir,
        logFile: s.logPrefix ? `${s.logPrefix}-${s.bench}-${engine}${i > 0 ? `-${i + 1}` : ''}.log` : undefined,
        nodeArgs: [
          ...GATEWAY_NODE_ARGS,
          ...(s.profileDir && i === 0 ? ['--cpu-prof', `--cpu-prof-dir=${s.profileDir}`, `--cpu-prof-name=${profileName}`] : []),
        ],
      });
      children.push(child);
      await waitForHttp200(child, port, '/health/ready', 90_000);
    }
    const pids = children.flatMap((c) => (c.child.pid === undefined ? [] : [c.child.pid]));
    const databasePid = engine === 'mariadb' ? mariadbPid() : undefined;
    const dbForCounters = db;
    await body({
      engine,
      port: ports[0],
      ports,
      pids,
      db,
      child: children[0],
      merchant: await seedMerchant(ports[0]),
      simulatorPort,
      simulatorPid: simulator?.child.pid,
      databasePid,
      measure: async (phase) => {
        const counters0 = await serverCounters(dbForCounters);
        const meter = new CpuMeter(pids, databasePid);
        const from = monotonicUs();
        const value = await phase();
        windows.push([from, monotonicUs()]);
        const cpu = meter.stop();
        return { value, cpu, counters: counterDelta(counters0, await serverCounters(dbForCounters)) };
      },
    });
  } finally {
    const level = (l: string, ...levels: string[]) => levels.some((v) => l.includes(`"level":"${v}"`));
    for (const child of children) {
      const code = await child.stop();
      if (code !== 0) log(`  ${child.name} exit: ${code}`);
      const warn = child.lineCount((l) => level(l, 'warn'));
      const error = child.lineCount((l) => level(l, 'error', 'fatal'));
      run.logLines = { warn: (run.logLines?.warn ?? 0) + warn, error: (run.logLines?.error ?? 0) + error };
      if (warn + error > 0) {
        log(`  ${child.name} logged ${warn} warn and ${error} error lines; the first:`);
        for (const line of child.lines((l) => level(l, 'warn', 'error', 'fatal'), 3)) log(`    ${line.slice(0, 600)}`);
      }
    }
    if (run.logLines) {
      const { warn, error } = run.logLines;
      run.checks.push({ what: 'gateway log lines warn / error', expected: '- / 0', found: `${warn} / ${error}`, ok: error === 0 });
    }
    await simulator?.stop();
    if (s.profileDir && children.length > 0 && windows.length > 0) {
      const file = join(s.profileDir, profileName);
      try {
        run.profile = { file, summary: summarizeProfile(file, 25, windows) };
      } catch (err) {
        log(`  no profile read from ${file}: ${(err as Error).message}`);
      }
    }
    if (!s.keep) {
      await db?.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/** `lo..hi` (or one number) holds `actual`: the shape of every count check. */
export function rangeCheck(what: string, lo: number, hi: number, actual: number): Check {
  return { what, expected: lo === hi ? String(lo) : `${lo}..${hi === Infinity ? '' : hi}`, found: String(actual), ok: actual >= lo && actual <= hi };
}

/** MariaDB statements per unit and InnoDB deadlocks over a phase, as checks (nothing on SQLite). */
export function counterChecks(counters: Record<string, number> | null, per: string, units: number): Check[] {
  if (!counters) return [];
  const kinds = ['Questions', 'select', 'insert', 'update', 'begin', 'commit', 'rollback'];
  return [
    {
      what: `MariaDB statements per ${per} (server-wide)`,
      expected: '-',
      found: kinds.map((k) => `${k} ${(counters[k] / Math.max(1, units)).toFixed(1)}`).join(', '),
      ok: null,
    },
    {
      what: 'InnoDB deadlocks / row-lock waits',
      expected: '0 / -',
      found: `${counters.Innodb_deadlocks} / ${counters.Innodb_row_lock_waits}`,
      ok: counters.Innodb_deadlocks === 0,
    },
  ];
}

/** The CPU a phase cost per unit of work (S answer, delivery), in ms; NaN where unknown. */
export const perUnit = (cpuMs: number | null | undefined, units: number) => (cpuMs != null && units > 0 ? cpuMs / units : NaN);

/** A target process's CPU time over the phase's wall time (100% = one core). */
export const busy = (cpu: CpuUse | undefined) => (cpu?.targetMs != null ? `${((100 * cpu.targetMs) / cpu.wallMs).toFixed(0)}%` : '-');
