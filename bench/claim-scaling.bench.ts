/**
 * Does the dispatcher's claim stay flat as the outbox grows? The exact SQL
 * the dispatcher runs (captured from DeliveryRepository through TypeORM, not
 * retyped), timed straight through the driver (mysql2 / better-sqlite3) in a
 * transaction that is rolled back, with 10,000 and with 1,000,000 PENDING
 * deliveries, plus the query plan at each size. A report, not a test.
 *
 *   npm run build && node dist/bench/claim-scaling.bench.js [--write] [--help]
 *
 * Per engine: a fresh database (MariaDB acqp_bench_*, or an SQLite file)
 * migrated by the gateway's own migration CLI; rows bulk-inserted with
 * multi-row INSERTs (100 endpoints, 100 deliveries per event, 90% due in the
 * last hour, 10% retries due within 6 h), ANALYZE, then per size:
 *   - claim SELECT (findDue, LIMIT 32 = CLAIM_BATCH), median of --runs;
 *   - the whole claim transaction (findDue + lease UPDATE of the rows found);
 *   - findDue with 8 endpoints at their cap (the NOT IN variant);
 *   - findDue when nothing is due yet (its `now` before every row's
 *     next_attempt_at): what every idle poll and every kick costs;
 *   - the reaper's UPDATE (reapExpired), which the dispatcher runs once a second;
 *   - EXPLAIN (MariaDB also ANALYZE: rows actually read) / EXPLAIN QUERY PLAN.
 * Goal: flat, the 1M median within 2x of the 10k median.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { DeliveryRepository } from '../src/callbacks/delivery.repository';
import type { DeliveryEntity } from '../src/callbacks/delivery.entity';
import type { DatabaseConfig } from '../src/config/gateway-config';
import { DEFAULT_SQLITE_CACHE_MB } from '../src/config/load-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { BenchArgs } from './support/bench-args';
import { createMariadbDatabase, createSqliteDatabase, mariadbServer, type BenchDatabase, type Engine } from './support/bench-database';
import {
  deliveryRows,
  endpointId,
  ENDPOINTS,
  mariadbDriver,
  sqliteDriver,
  withTime,
  type Captured,
  type CapturedQuery,
  type Driver,
} from './support/claim-drivers';
import { gatewayEnvironment, repoRoot } from './support/bench-keys';
import { describeMachine, loadAverage, machineInfo, markdownTable, passMiss, textTable, writeResults } from './support/report';
import { sourceRevision } from './support/source-revision';

const OPTIONS = {
  sizes: 'PENDING deliveries to measure at, ascending, comma list (default 10000,1000000)',
  runs: 'timed runs per query and size; the median is reported (default 50)',
  engines: 'comma list of mariadb,sqlite (default both)',
  mariadb: 'fail instead of skipping MariaDB when it is not running',
  'start-mariadb': 'start MariaDB first (scripts/mariadb.sh start)',
  batch: 'rows per multi-row INSERT (default 2000)',
  write: 'write bench/results/claim-scaling-<date>.{json,md}',
  keep: 'keep the bench databases',
};

/** The dispatcher's CLAIM_BATCH (src/callbacks/callback.dispatcher.ts), not exported there. */
const CLAIM_BATCH = 32;
const GOAL_RATIO = 2;
/** Untimed runs before the timed ones, so every size is measured warm. */
const WARMUP_RUNS = 5;

interface Timing {
  median: number;
  p90: number;
  min: number;
  max: number;
}

interface SizeResult {
  rows: number;
  insertSeconds: number;
  claimSelect: Timing;
  claimTransaction: Timing;
  claimSelectBusy: Timing;
  /** The claim when nothing is due yet (every row's next_attempt_at is later): what each idle poll costs. */
  claimSelectNoneDue: Timing;
  reap: Timing;
  /** Rows the claim returned (at most CLAIM_BATCH). */
  returned: number;
  explain: string[];
  explainNoneDue: string[];
}

interface EngineResult {
  engine: Engine;
  database?: string;
  server?: string;
  sql?: Captured;
  sizes: SizeResult[];
  error?: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function timing(ms: number[]): Timing {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], p90: s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)], min: s[0], max: s[s.length - 1] };
}

/** `node dist/src/database/migrate.cli.js run` against the bench database, as an operator would. */
function migrate(databaseUrl: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-bench-migrate-'));
  const env = { PATH: process.env.PATH ?? '', ...gatewayEnvironment({ port: 1, databaseUrl, dataDir, logLevel: 'warn' }) };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(repoRoot(), 'dist', 'src', 'database', 'migrate.cli.js'), 'run'],
      { env, cwd: dataDir, timeout: 300_000 },
      (err, stdout, stderr) => {
        rmSync(dataDir, { recursive: true, force: true });
        if (err) reject(new Error(`migrate.cli.js run failed: ${String(stderr).trim() || err.message}`));
        else resolve();
      },
    );
  });
}

/**
 * Runs the repository's own methods once through TypeORM with a logger that
 * records each statement and its parameters, inside a rolled-back transaction.
 */
async function captureSql(db: DatabaseConfig, now: Date): Promise<Captured> {
  const seen: CapturedQuery[] = [];
  const logger: TypeOrmLogger = {
    logQuery: (query, parameters) => void seen.push({ sql: query, params: Array.isArray(parameters) ? [...parameters] : [] }),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const ds = new DataSource({ ...dataSourceOptions(db), logging: ['query'], logger });
  await ds.initialize();
  const repo = new DeliveryRepository(ds);
  const qr = ds.createQueryRunner();
  try {
    await qr.startTransaction(db.kind === 'mysql' ? 'READ COMMITTED' : undefined);
    const pick = async (work: () => Promise<unknown>): Promise<CapturedQuery> => {
      const from = seen.length;
      await work();
      const q = seen.slice(from).find((x) => /^\s*(SELECT|UPDATE)/i.test(x.sql));
      if (!q) throw new Error(`no statement captured: ${JSON.stringify(seen.slice(from))}`);
      return q;
    };
    let due: DeliveryEntity[] = [];
    const findDue = await pick(async () => (due = await repo.findDue(qr.manager, now, CLAIM_BATCH, [])));
    if (due.length === 0) throw new Error('findDue found nothing to lease: seed rows first');
    const busy = Array.from({ length: 8 }, (_, i) => endpointId(i));
    const findDueBusy = await pick(() => repo.findDue(qr.manager, now, CLAIM_BATCH, busy));
    const lease = await pick(() => repo.lease(qr.manager, due, 'bench-owner', now, 50_000));
    const reap = await pick(() => repo.reapExpired(qr.manager, now, []));
    return { findDue, findDueBusy, lease, reap };
  } finally {
    await qr.rollbackTransaction().catch(() => undefined);
    await qr.release();
    await ds.destroy();
  }
}

async function measureSize(
  driver: Driver,
  sql: Captured,
  runs: number,
  noneDueAt: Date,
): Promise<Omit<SizeResult, 'rows' | 'insertSeconds' | 'explain' | 'explainNoneDue'>> {
  for (let i = 0; i < WARMUP_RUNS; i++) await driver.timeSelect(sql.findDue);
  const select: number[] = [];
  let returned = 0;
  for (let i = 0; i < runs; i++) {
    const r = await driver.timeSelect(sql.findDue);
    select.push(r.ms);
    returned = r.rows.length;
  }
  const claim: number[] = [];
  for (let i = 0; i < runs; i++) claim.push(await driver.timeClaim(sql.findDue, sql.lease));
  const busy: number[] = [];
  for (let i = 0; i < runs; i++) busy.push((await driver.timeSelect(sql.findDueBusy)).ms);
  const noneDue: number[] = [];
  const idle = withTime(sql.findDue, noneDueAt);
  for (let i = 0; i < runs; i++) {
    const r = await driver.timeSelect(idle);
    if (r.rows.length !== 0) throw new Error(`the none-due claim found ${r.rows.length} rows`);
    noneDue.push(r.ms);
  }
  const reap: number[] = [];
  for (let i = 0; i < runs; i++) reap.push(await driver.timeStatement(sql.reap));
  return {
    claimSelect: timing(select),
    claimTransaction: timing(claim),
    claimSelectBusy: timing(busy),
    claimSelectNoneDue: timing(noneDue),
    reap: timing(reap),
    returned,
  };
}

async function runEngine(engine: Engine, mariadbUrl: string | null, o: { sizes: number[]; runs: number; batch: number; keep: boolean }): Promise<EngineResult> {
  const result: EngineResult = { engine, sizes: [] };
  log(`\n${engine === 'mariadb' ? 'MariaDB' : 'SQLite'} (load average ${loadAverage()})`);
  let db: BenchDatabase | undefined;
  let driver: Driver | undefined;
  try {
    db = engine === 'sqlite' ? await createSqliteDatabase() : await createMariadbDatabase(mariadbUrl!);
    result.database = db.label;
    await migrate(db.url);
    log(`  migrated ${db.label} with node dist/src/database/migrate.cli.js run`);
    driver = engine === 'mariadb' ? await mariadbDriver(db.url) : sqliteDriver(db.label);
    result.server = driver.version;
    const config: DatabaseConfig =
      engine === 'mariadb' ? { kind: 'mysql', url: db.url, poolSize: 2 } : { kind: 'sqlite', path: db.label, cacheMb: DEFAULT_SQLITE_CACHE_MB };
    let have = 0;
    let events = 0;
    const now = Date.now();
    for (const size of o.sizes) {
      const t0 = performance.now();
      for (let guard = 0; have < size && guard < 100_000; guard++) {
        const n = Math.min(o.batch, size - have);
        await driver.insert(deliveryRows(n, events, now));
        have += n;
        events += Math.ceil(n / ENDPOINTS);
      }
      await driver.analyze();
      const insertSeconds = (performance.now() - t0) / 1000;
      log(`  ${have.toLocaleString('en')} PENDING deliveries (${insertSeconds.toFixed(1)} s to insert and ANALYZE)`);
      // Captured once per size with a current `now`, so the due rows are the same kind at each size.
      result.sql = await captureSql(config, new Date());
      // Every row's next_attempt_at is after now - 1 h: two hours back, nothing is due.
      const noneDueAt = new Date(now - 2 * 3_600_000);
      const measured = await measureSize(driver, result.sql, o.runs, noneDueAt);
      const explain = await driver.explain(result.sql.findDue);
      const explainNoneDue = await driver.explain(withTime(result.sql.findDue, noneDueAt));
      result.sizes.push({ rows: have, insertSeconds, explain, explainNoneDue, ...measured });
      log(
        `  claim SELECT median ${measured.claimSelect.median.toFixed(3)} ms (p90 ${measured.claimSelect.p90.toFixed(3)}), returned ${measured.returned}; ` +
          `claim transaction ${measured.claimTransaction.median.toFixed(3)} ms; with busy endpoints ${measured.claimSelectBusy.median.toFixed(3)} ms; ` +
          `nothing due ${measured.claimSelectNoneDue.median.toFixed(3)} ms; reap ${measured.reap.median.toFixed(3)} ms`,
      );
      for (const line of explain) log(`    ${line}`);
      for (const line of explainNoneDue) log(`    nothing due: ${line}`);
    }
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0];
    log(`  FAILED: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await driver?.close().catch(() => undefined);
    if (!o.keep) await db?.drop().catch(() => undefined);
  }
  return result;
}

async function main(): Promise<void> {
  const args = new BenchArgs(process.argv.slice(2), OPTIONS);
  if (args.help) {
    log(`node dist/bench/claim-scaling.bench.js [options]\n${args.usage()}`);
    return;
  }
  const sizes = args
    .string('sizes', '10000,1000000')
    .split(',')
    .map((x) => Number(x.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < CLAIM_BATCH || n > 5_000_000) || sizes.some((n, i) => i > 0 && n <= sizes[i - 1])) {
    throw new Error(`--sizes must be ascending integers from ${CLAIM_BATCH} to 5,000,000`);
  }
  const o = { sizes, runs: args.number('runs', 50, 5, 1000), batch: args.number('batch', 2000, 100, 20_000), keep: args.flag('keep') };
  const engines = new Set(
    args
      .string('engines', 'mariadb,sqlite')
      .split(',')
      .map((e) => e.trim()),
  );
  for (const e of engines) if (e !== 'mariadb' && e !== 'sqlite') throw new Error(`unknown engine ${e}`);
  const machine = machineInfo();
  const startLoad = loadAverage();
  const revision = sourceRevision();
  log(`claim scaling bench: ${describeMachine(machine)}`);
  log(`load average at start: ${startLoad} (others may be using this machine)`);

  let mariadbUrl: string | null = null;
  let skipped: string | null = null;
  if (engines.has('mariadb')) {
    const server = await mariadbServer(args.flag('start-mariadb'));
    if (server.url === null) {
      if (args.flag('mariadb')) throw new Error(`MariaDB forced (--mariadb) but ${server.why}`);
      skipped = `MariaDB skipped: ${server.why}`;
      log(skipped);
    } else mariadbUrl = server.url;
  }
  const results: EngineResult[] = [];
  if (mariadbUrl) results.push(await runEngine('mariadb', mariadbUrl, o));
  if (engines.has('sqlite')) results.push(await runEngine('sqlite', null, o));
  const endLoad = loadAverage();

  const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(3));
  const header = [
    'engine',
    'PENDING rows',
    'claim SELECT median ms',
    'p90 ms',
    'min / max ms',
    'rows returned',
    'claim txn (SELECT + lease UPDATE) median ms',
    'with 8 busy endpoints median ms',
    'nothing due (idle poll) median ms',
    'reap UPDATE median ms',
    'vs smallest size (claim / idle poll)',
  ];
  const rows: string[][] = [];
  const goals: Array<{ goal: string; target: string; value: string; pass: boolean | null }> = [];
  for (const r of results) {
    const base = r.sizes[0];
    for (const s of r.sizes) {
      rows.push([
        r.engine,
        s.rows.toLocaleString('en'),
        f(s.claimSelect.median),
        f(s.claimSelect.p90),
        `${f(s.claimSelect.min)} / ${f(s.claimSelect.max)}`,
        String(s.returned),
        f(s.claimTransaction.median),
        f(s.claimSelectBusy.median),
        f(s.claimSelectNoneDue.median),
        f(s.reap.median),
        base
          ? `${(s.claimSelect.median / base.claimSelect.median).toFixed(2)}x / ${(s.claimSelectNoneDue.median / base.claimSelectNoneDue.median).toFixed(2)}x`
          : '-',
      ]);
    }
    if (r.error) rows.push([r.engine, 'FAILED', r.error, '', '', '', '', '', '', '', '']);
    const last = r.sizes[r.sizes.length - 1];
    const ratio = base && last && last !== base ? last.claimSelect.median / base.claimSelect.median : NaN;
    goals.push({
      goal: `claim time flat: ${last?.rows.toLocaleString('en') ?? '-'} within ${GOAL_RATIO}x of ${base?.rows.toLocaleString('en') ?? '-'} PENDING (median of ${o.runs})`,
      target: r.engine,
      value: Number.isFinite(ratio) ? `${f(base.claimSelect.median)} -> ${f(last.claimSelect.median)} ms = ${ratio.toFixed(2)}x` : (r.error ?? 'one size only'),
      pass: Number.isFinite(ratio) ? ratio <= GOAL_RATIO : r.error ? false : null,
    });
    const idleRatio = base && last && last !== base ? last.claimSelectNoneDue.median / base.claimSelectNoneDue.median : NaN;
    goals.push({
      goal: `idle poll (claim with nothing due) flat: ${last?.rows.toLocaleString('en') ?? '-'} within ${GOAL_RATIO}x of ${base?.rows.toLocaleString('en') ?? '-'}`,
      target: r.engine,
      value: Number.isFinite(idleRatio)
        ? `${f(base.claimSelectNoneDue.median)} -> ${f(last.claimSelectNoneDue.median)} ms = ${idleRatio.toFixed(2)}x`
        : (r.error ?? 'one size only'),
      pass: Number.isFinite(idleRatio) ? idleRatio <= GOAL_RATIO : r.error ? false : null,
    });
  }
  const goalHeader = ['goal', 'target', 'measured', 'result'];
  const goalRows = goals.map((g) => [g.goal, g.target, g.value, passMiss(g.pass)]);
  const setup = [
    `machine: ${describeMachine(machine)}`,
    `load average: start ${startLoad}, end ${endLoad} (others share this machine)`,
    `rows: PENDING only, ${ENDPOINTS} endpoints, ${ENDPOINTS} deliveries per event, 90% due within the last hour, 10% due within 6 h; multi-row INSERTs of ${o.batch}; ANALYZE after each size`,
    `timing: the driver (mysql2 / better-sqlite3) straight, each run in its own transaction (MariaDB: READ COMMITTED, as the dispatcher's unit of work), rolled back; ${WARMUP_RUNS} warm-up runs, then ${o.runs} timed per query`,
    `SQL: captured from DeliveryRepository.findDue / lease / reapExpired through TypeORM with a recording logger (LIMIT ${CLAIM_BATCH} = CLAIM_BATCH)`,
    `checkout ${revision}`,
    ...(skipped ? [skipped] : []),
    ...results.map((r) => `${r.engine}: ${r.server ?? '-'} (${r.database ?? '-'})`),
  ];
  const sqlLines = results.flatMap((r) =>
    r.sql ? [`${r.engine} claim:  ${r.sql.findDue.sql}`, `${r.engine} lease:  ${r.sql.lease.sql}`, `${r.engine} reap:   ${r.sql.reap.sql}`] : [],
  );
  const explainLines = results.flatMap((r) =>
    r.sizes.flatMap((s) => [
      ...s.explain.map((e) => `${r.engine} ${s.rows.toLocaleString('en')}: ${e}`),
      ...s.explainNoneDue.map((e) => `${r.engine} ${s.rows.toLocaleString('en')}, nothing due: ${e}`),
    ]),
  );

  log('\n=== dispatcher claim vs outbox size ===');
  for (const line of setup) log(line);
  log(`\n${textTable(header, rows)}`);
  log(`\ngoals\n${textTable(goalHeader, goalRows)}`);
  log(`\nSQL\n${sqlLines.join('\n')}`);
  log(`\nplans\n${explainLines.join('\n')}`);
  if (args.flag('write')) {
    const json = {
      benchmark: 'claim-scaling',
      date: new Date().toISOString(),
      machine,
      loadAverage: { start: startLoad, end: endLoad },
      settings: o,
      revision,
      results,
      goals,
      skipped,
    };
    const md = [
      `# Dispatcher claim vs outbox size, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      ...setup.map((l) => `- ${l}`),
      '',
      markdownTable(header, rows),
      '',
      '## Goals',
      '',
      markdownTable(goalHeader, goalRows),
      '',
      '## SQL',
      '',
      '```sql',
      ...sqlLines,
      '```',
      '',
      '## Plans',
      '',
      '```text',
      ...explainLines,
      '```',
      '',
      'Run: `npm run build && node dist/bench/claim-scaling.bench.js --write`',
    ].join('\n');
    for (const file of writeResults('claim-scaling', json, md)) log(`wrote ${file}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('claim scaling bench failed:', err);
    process.exit(1);
  },
);
