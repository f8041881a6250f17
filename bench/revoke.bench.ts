/**
 * Merchant revoke round trip benchmark: signed Antom-style revoke calls to the
 * real gateway, each for a distinct ACTIVE token, each settled through Alipay+
 * cancelToken on the simulator before the gateway answers S. A report, not a
 * test: it prints a table and exits 0 unless it could not run at all.
 *
 *   npm run build && node dist/bench/revoke.bench.js [--write] [--profile] [--help]
 *
 * Per engine (SQLite temp file; MariaDB fresh acqp_bench_* database, skipped
 * when `scripts/mariadb.sh status` fails unless --mariadb):
 *   - the Alipay+ simulator standalone on its own port, in its own process
 *     (bench/support/simulator.server.ts), echoing TOKEN_CANCELED (ACQUIRER)
 *     to the gateway after each cancel as Alipay+ does (--no-echo to stop it);
 *   - the gateway as a child process, ALIPAYPLUS_BASE_URL pointed at it;
 *   - a merchant seeded through the admin API (or the database), rate limit
 *     100,000/s so the limiter is not what is measured;
 *   - --tokens ACTIVE tokens made by signed TOKEN_CREATED notifications;
 *   - revokes pre-signed with the merchant's key, then sent by --concurrency
 *     keep-alive connections for --duration (or until the tokens run out).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProfileSummary, summarizeProfile, type ProfileSummary } from './cpuprofile-top';
import { BenchArgs } from './support/bench-args';
import {
  createMariadbDatabase,
  createSqliteDatabase,
  describeMariadbServer,
  mariadbServer,
  serverCounters,
  STATEMENT_COUNTERS,
  type BenchDatabase,
  type Engine,
} from './support/bench-database';
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_KEYS, BENCH_PEMS, gatewayEnvironment, repoRoot, REVOKE_PATH } from './support/bench-keys';
import { freePort, httpGet, startNodeChild, waitForHttp200, type BenchChild } from './support/child-process';
import { GATEWAY_NODE_ARGS } from './support/gateway-node';
import { CpuMeter, mariadbPid, processCpuMs } from './support/cpu-meter';
import { closedLoop, failures, verifySamples, type PhaseResult } from './support/load-generator';
import { seedMerchant } from './support/merchant-seed';
import { tokenCreatedMix } from './support/notification-mix';
import { presign } from './support/presign';
import { describeMachine, loadAverage, machineInfo, markdownTable, ms, rate, textTable, writeResults } from './support/report';
import { sourceRevision } from './support/source-revision';

const OPTIONS = {
  tokens: 'ACTIVE tokens to create, one revoke each (default 4000)',
  duration: 'revoke phase, seconds, at most (default 10)',
  concurrency: 'keep-alive connections sending revokes (default 16)',
  warmup: 'revokes sent untimed first, from the same tokens (default 200)',
  engines: 'comma list of sqlite,mariadb (default both)',
  mariadb: 'fail instead of skipping MariaDB when it is not running',
  'start-mariadb': 'start MariaDB first (scripts/mariadb.sh start)',
  'no-echo': 'the simulator does not send TOKEN_CANCELED (ACQUIRER) after a cancel',
  'log-level': 'gateway LOG_LEVEL (default warn)',
  'gateway-log': "also write each gateway's whole output to <this prefix>-<engine>.log",
  'gateway-dist': "compiled gateway to run: the folder holding src/main.js (default this checkout's dist)",
  'gateway-env': 'extra gateway environment, KEY=VALUE[,KEY=VALUE...] (e.g. CANCEL_TOKEN_CONCURRENCY=32)',
  profile: 'run the gateway under node --cpu-prof and print its top frames',
  'profile-dir': 'where the .cpuprofile files go (default a temp dir, kept)',
  write: 'write bench/results/revoke-<date>.{json,md}',
  keep: 'keep temp files and the MariaDB bench database',
};

/** Longest the token setup (TOKEN_CREATED notifications) may take. */
const SETUP_LIMIT_MS = 180_000;

interface EngineRun {
  engine: Engine;
  name: string;
  loadAverageBefore: string;
  setup?: { tokens: number; acked: number; seconds: number; perSecond: number };
  revoke?: PhaseResult;
  cpu?: { gatewayMsPerRevoke: number; simulatorMsPerRevoke: number; databaseMsPerRevoke: number | null; clientMsPerRevoke: number };
  signatures?: { checked: number; valid: number };
  /** MariaDB statements per S revoke and InnoDB deadlocks during the revoke phase (server-wide counters). */
  statementsPerS?: Record<string, number>;
  deadlocks?: number;
  checks: Array<{ what: string; expected: string; actual: number; ok: boolean }>;
  merchantSeededVia?: string;
  logLines?: { warn: number; error: number };
  profile?: { file: string; summary: ProfileSummary };
  error?: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function runEngine(
  engine: Engine,
  mariadbUrl: string | null,
  o: {
    tokens: number;
    durationMs: number;
    concurrency: number;
    warmup: number;
    echo: boolean;
    logLevel: string;
    gatewayMain: string;
    gatewayLog: string | null;
    gatewayEnv: Record<string, string>;
    profileDir: string | null;
    keep: boolean;
  },
): Promise<EngineRun> {
  const run: EngineRun = { engine, name: engine === 'sqlite' ? 'gateway SQLite' : 'gateway MariaDB', loadAverageBefore: loadAverage(), checks: [] };
  log(`\n${run.name} (load average ${run.loadAverageBefore})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-bench-data-'));
  const profileName = `gateway-revoke-${engine}-${Date.now()}.cpuprofile`;
  let db: BenchDatabase | undefined;
  let gateway: BenchChild | undefined;
  let simulator: BenchChild | undefined;
  const windows: Array<[number, number]> = [];
  try {
    db = engine === 'sqlite' ? await createSqliteDatabase() : await createMariadbDatabase(mariadbUrl!, { overSocket: true });
    const gatewayPort = await freePort();
    const simulatorPort = await freePort();
    simulator = startNodeChild('simulator', join(__dirname, 'support', 'simulator.server.js'), {
      env: {},
      cwd: tmpdir(),
      args: [String(simulatorPort), `http://127.0.0.1:${gatewayPort}`, ...(o.echo ? [] : ['--no-echo'])],
    });
    await simulator.waitForLine(/^READY (\d+)/, 20_000);
    gateway = startNodeChild(`gateway (${engine})`, o.gatewayMain, {
      env: gatewayEnvironment({
        port: gatewayPort,
        databaseUrl: db.url,
        dataDir,
        logLevel: o.logLevel,
        alipayPlusBaseUrl: `http://127.0.0.1:${simulatorPort}`,
        extra: o.gatewayEnv,
      }),
      cwd: dataDir,
      logFile: o.gatewayLog ? `${o.gatewayLog}-revoke-${engine}.log` : undefined,
      nodeArgs: [...GATEWAY_NODE_ARGS, ...(o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=${profileName}`] : [])],
    });
    await waitForHttp200(gateway, gatewayPort, '/health/ready', 90_000);
    const merchant = await seedMerchant(gatewayPort, db, 100_000);
    run.merchantSeededVia = merchant.seededVia;

    // Setup: the tokens, through real signed TOKEN_CREATED notifications.
    const created = tokenCreatedMix(o.tokens, merchant.referenceMerchantId);
    let t0 = performance.now();
    const notifications = await presign(
      created.map((item) => ({ path: AUTH_NOTIFY_PATH, clientId: BENCH_CLIENT_ID, body: item.body })),
      BENCH_PEMS.alipayPlusPrivate,
    );
    log(`  signed ${created.length} TOKEN_CREATED in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const setup = await closedLoop(gatewayPort, notifications, 16, SETUP_LIMIT_MS);
    run.setup = { tokens: o.tokens, acked: setup.s, seconds: setup.elapsedS, perSecond: setup.sPerSecond };
    log(`  created ${setup.s}/${o.tokens} tokens in ${setup.elapsedS.toFixed(1)} s (${rate(setup.sPerSecond)}/s, 16 connections)`);
    const active = created.filter((_, i) => setup.outcomes[i] === 1).map((item) => item.subject);
    if (active.length < o.warmup + 1) throw new Error(`only ${active.length} tokens were created`);

    // The revokes, pre-signed with the merchant's key; the Antom SDKs send pretty-printed JSON.
    t0 = performance.now();
    const revokes = await presign(
      active.map((accessToken) => ({ path: REVOKE_PATH, clientId: merchant.clientId, body: JSON.stringify({ accessToken }, null, 3) })),
      merchant.privateKeyPem,
    );
    log(`  signed ${revokes.length} revokes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (o.warmup > 0) {
      const warm = await closedLoop(gatewayPort, revokes.slice(0, o.warmup), o.concurrency, 30_000);
      log(`  warm-up: ${warm.s}/${o.warmup} S (${rate(warm.sPerSecond)}/s)`);
    }
    const counters0 = await serverCounters(db);
    const meter = new CpuMeter(gateway.child.pid, engine === 'mariadb' ? mariadbPid() : undefined);
    const sim0 = processCpuMs(simulator.child.pid);
    const from = monotonicUs();
    run.revoke = await closedLoop(gatewayPort, revokes.slice(o.warmup), o.concurrency, o.durationMs);
    windows.push([from, monotonicUs()]);
    const cpu = meter.stop();
    const sim1 = processCpuMs(simulator.child.pid);
    const counters1 = await serverCounters(db);
    if (counters0 && counters1 && counters1.Uptime >= counters0.Uptime) {
      const delta = (name: string) => counters1[name] - counters0[name];
      run.statementsPerS = Object.fromEntries(STATEMENT_COUNTERS.map((name) => [name.replace(/^Com_/, ''), delta(name) / Math.max(1, run.revoke!.s)]));
      run.deadlocks = delta('Innodb_deadlocks');
      log(
        `  statements per S revoke: ${Object.entries(run.statementsPerS)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ')}; InnoDB deadlocks ${run.deadlocks}`,
      );
    }
    const per = (v: number | null) => (v !== null && run.revoke!.s > 0 ? v / run.revoke!.s : NaN);
    run.cpu = {
      gatewayMsPerRevoke: per(cpu.targetMs),
      simulatorMsPerRevoke: per(sim0 !== null && sim1 !== null ? sim1 - sim0 : null),
      databaseMsPerRevoke: cpu.databaseMs === null ? null : per(cpu.databaseMs),
      clientMsPerRevoke: cpu.clientMs / Math.max(1, run.revoke.sent),
    };
    run.signatures = verifySamples(run.revoke.samples, [BENCH_KEYS.acqpPublic]);
    const r = run.revoke;
    log(
      `  revoke: ${rate(r.sPerSecond)}/s S, p50 ${ms(r.latency.p50)} ms, p99 ${ms(r.latency.p99)} ms, not S ${failures(r)}` +
        (r.poolExhausted ? ` (all ${revokes.length - o.warmup} tokens used before ${o.durationMs / 1000} s)` : ''),
    );

    // Every revoke answered S must have canceled its token through one cancelToken call.
    const acked = o.warmup + r.s;
    const sentTotal = o.warmup + r.sent;
    const canceled = await db.scalar("SELECT COUNT(*) AS n FROM authorizations WHERE status = 'CANCELED'");
    const jobs = await db.scalar('SELECT COUNT(*) AS n FROM cancel_token_jobs');
    const received = await httpGet(simulatorPort, '/_simulator/received');
    let cancelCalls = NaN;
    try {
      cancelCalls = (JSON.parse(received.body) as { received: Array<{ path: string }> }).received.filter((x) => x.path.endsWith('/cancelToken')).length;
    } catch {
      cancelCalls = NaN;
    }
    run.checks.push({
      what: 'tokens CANCELED in the database (>= revokes answered S, incl. warm-up)',
      expected: `${acked}..${sentTotal}`,
      actual: canceled,
      ok: canceled >= acked && canceled <= sentTotal,
    });
    run.checks.push({
      what: 'cancel_token_jobs rows (one per revoked token)',
      expected: `${acked}..${sentTotal}`,
      actual: jobs,
      ok: jobs >= acked && jobs <= sentTotal,
    });
    run.checks.push({ what: 'cancelToken calls the simulator received', expected: `${acked}..`, actual: cancelCalls, ok: cancelCalls >= acked });
    for (const c of run.checks) if (!c.ok) log(`  CHECK FAILED: ${c.what}: expected ${c.expected}, found ${c.actual}`);
  } catch (err) {
    run.error = (err as Error).message.split('\n')[0];
    log(`  FAILED: ${(err as Error).message}`);
  } finally {
    if (gateway) {
      const code = await gateway.stop();
      run.logLines = {
        warn: gateway.lineCount((l) => l.includes('"level":"warn"')),
        error: gateway.lineCount((l) => l.includes('"level":"error"') || l.includes('"level":"fatal"')),
      };
      if (code !== 0) log(`  gateway exit: ${code}`);
      if (run.logLines.error > 0) {
        log(`  gateway logged ${run.logLines.error} error lines; the first:`);
        for (const line of gateway.lines((l) => l.includes('"level":"error"') || l.includes('"level":"fatal"'), 3)) log(`    ${line.slice(0, 600)}`);
      }
    }
    await simulator?.stop();
    if (o.profileDir && gateway) {
      const file = join(o.profileDir, profileName);
      try {
        run.profile = { file, summary: summarizeProfile(file, 25, windows) };
      } catch (err) {
        log(`  no profile read from ${file}: ${(err as Error).message}`);
      }
    }
    if (!o.keep) {
      await db?.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return run;
}

async function main(): Promise<void> {
  const args = new BenchArgs(process.argv.slice(2), OPTIONS);
  if (args.help) {
    log(`node dist/bench/revoke.bench.js [options]\n${args.usage()}`);
    return;
  }
  const engines = new Set(
    args
      .string('engines', 'sqlite,mariadb')
      .split(',')
      .map((e) => e.trim()) as Engine[],
  );
  for (const e of engines) if (e !== 'sqlite' && e !== 'mariadb') throw new Error(`unknown engine ${String(e)}`);
  const o = {
    tokens: args.number('tokens', 4000, 10, 100_000),
    durationMs: args.number('duration', 10, 1, 300) * 1000,
    concurrency: args.number('concurrency', 16, 1, 1024),
    warmup: args.number('warmup', 200, 0, 10_000),
    echo: !args.flag('no-echo'),
    logLevel: args.string('log-level', 'warn'),
    gatewayMain: join(args.string('gateway-dist', join(repoRoot(), 'dist')), 'src', 'main.js'),
    gatewayEnv: args.pairs('gateway-env'),
    gatewayLog: args.has('gateway-log') ? args.string('gateway-log', 'gateway') : null,
    profileDir: args.flag('profile') ? args.string('profile-dir', mkdtempSync(join(tmpdir(), 'acqp-bench-profile-'))) : null,
    keep: args.flag('keep'),
  };
  if (o.warmup >= o.tokens) throw new Error('--warmup must be below --tokens');
  const machine = machineInfo();
  const startLoad = loadAverage();
  const revision = sourceRevision();
  log(`revoke round-trip bench: ${describeMachine(machine)}`);
  log(`load average at start: ${startLoad} (others may be using this machine)`);
  log(`gateway: ${o.gatewayMain}; checkout ${revision}`);

  let mariadbUrl: string | null = null;
  let mariadbSkipped: string | null = null;
  if (engines.has('mariadb')) {
    const server = await mariadbServer(args.flag('start-mariadb'));
    if (server.url === null) {
      if (args.flag('mariadb')) throw new Error(`MariaDB forced (--mariadb) but ${server.why}`);
      mariadbSkipped = `MariaDB skipped: ${server.why} (start it with scripts/mariadb.sh start, or pass --start-mariadb)`;
      log(mariadbSkipped);
    } else mariadbUrl = server.url;
  }

  const runs: EngineRun[] = [];
  if (engines.has('sqlite')) runs.push(await runEngine('sqlite', null, o));
  if (mariadbUrl) runs.push(await runEngine('mariadb', mariadbUrl, o));
  const endLoad = loadAverage();

  const header = [
    'target',
    'revokes/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'S',
    'not S / no answer',
    'gateway CPU ms/revoke',
    'simulator CPU ms/revoke',
    'DB CPU ms/revoke',
    'setup TOKEN_CREATED/s',
  ];
  const rows = runs.map((r) => {
    if (!r.revoke) return [r.name, 'FAILED', '-', '-', '-', '-', r.error ?? '', '-', '-', '-', r.setup ? rate(r.setup.perSecond) : '-'];
    const v = r.revoke;
    const detail = [...Object.entries(v.notS), ...Object.entries(v.noAnswer)].map(([k, n]) => `${k}: ${n}`).join('; ');
    return [
      r.name + (v.poolExhausted ? ' (tokens ran out)' : ''),
      rate(v.sPerSecond),
      ms(v.latency.p50),
      ms(v.latency.p99),
      ms(v.latency.max),
      String(v.s),
      detail || '0',
      r.cpu ? r.cpu.gatewayMsPerRevoke.toFixed(2) : '-',
      r.cpu ? r.cpu.simulatorMsPerRevoke.toFixed(2) : '-',
      r.cpu?.databaseMsPerRevoke != null ? r.cpu.databaseMsPerRevoke.toFixed(2) : '-',
      r.setup ? rate(r.setup.perSecond) : '-',
    ];
  });
  const checkHeader = ['target', 'check', 'expected', 'found', 'result'];
  const checkRows: string[][] = [];
  for (const r of runs) {
    if (r.signatures)
      checkRows.push([
        r.name,
        'sampled answer signatures valid',
        String(r.signatures.checked),
        String(r.signatures.valid),
        r.signatures.valid === r.signatures.checked ? 'OK' : 'BAD',
      ]);
    for (const c of r.checks) checkRows.push([r.name, c.what, c.expected, String(c.actual), c.ok ? 'OK' : 'MISMATCH']);
    if (r.statementsPerS) {
      checkRows.push([
        r.name,
        'MariaDB statements per S revoke (server-wide)',
        '-',
        Object.entries(r.statementsPerS)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', '),
        'INFO',
      ]);
      checkRows.push([r.name, 'InnoDB deadlocks in the revoke phase', '0', String(r.deadlocks), r.deadlocks === 0 ? 'OK' : 'DEADLOCKS']);
    }
    if (r.logLines)
      checkRows.push([r.name, 'gateway log lines warn / error', '-', `${r.logLines.warn} / ${r.logLines.error}`, r.logLines.error === 0 ? 'OK' : 'SEE LOG']);
  }
  const setupLines = [
    `machine: ${describeMachine(machine)}`,
    `load average: start ${startLoad}, end ${endLoad}; before each target: ${runs.map((r) => `${r.name} ${r.loadAverageBefore}`).join('; ')}`,
    `load: ${o.concurrency} keep-alive connections for up to ${o.durationMs / 1000} s after ${o.warmup} warm-up revokes; one distinct ACTIVE token per revoke (${o.tokens} made by TOKEN_CREATED); ` +
      `simulator ${o.echo ? 'echoes TOKEN_CANCELED (ACQUIRER) after each cancel' : 'does not echo'}; ` +
      `gateway env extra: ${Object.keys(o.gatewayEnv).length ? JSON.stringify(o.gatewayEnv) : 'none (CANCEL_TOKEN_CONCURRENCY default 8)'}`,
    `merchant seeded via ${runs.find((r) => r.merchantSeededVia)?.merchantSeededVia ?? '-'}; client, gateway, simulator and MariaDB share the machine's ${machine.cores} cores`,
    `gateway: ${o.gatewayMain}; checkout ${revision}`,
    ...(mariadbSkipped ? [mariadbSkipped] : []),
    ...(mariadbUrl ? [describeMariadbServer(mariadbUrl, { overSocket: true })] : []),
  ];

  log('\n=== merchant revoke round trip (revoke -> cancelToken on the simulator -> S) ===');
  for (const line of setupLines) log(line);
  log(`\n${textTable(header, rows)}`);
  log(`\nchecks\n${textTable(checkHeader, checkRows)}`);
  for (const r of runs)
    if (r.profile) log(`\nCPU profile of ${r.name} during the revoke phase (${r.profile.file})\n${formatProfileSummary(r.profile.summary)}`);

  if (args.flag('write')) {
    const json = {
      benchmark: 'revoke',
      date: new Date().toISOString(),
      machine,
      loadAverage: { start: startLoad, end: endLoad },
      settings: { ...o, profileDir: o.profileDir !== null },
      revision,
      runs: runs.map((r) => ({ ...r, revoke: r.revoke && { ...r.revoke, outcomes: undefined, samples: undefined } })),
      mariadbSkipped,
    };
    const md = [
      `# Merchant revoke round-trip benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      ...setupLines.map((l) => `- ${l}`),
      '',
      markdownTable(header, rows),
      '',
      '## Checks',
      '',
      markdownTable(checkHeader, checkRows),
      '',
      'Run: `npm run build && node dist/bench/revoke.bench.js --write`',
    ].join('\n');
    for (const file of writeResults('revoke', json, md)) log(`wrote ${file}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('revoke bench failed:', err);
    process.exit(1);
  },
);
