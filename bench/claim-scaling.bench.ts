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
import { createMariadbDatabase, createSqliteDatabase, type Engine } from './support/bench-database';
import { gatewayEnvironment, repoRoot } from './support/bench-keys';
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
import { log, runScenario, type Context, type Goal, type TargetRun } from './support/scenario';

/** The dispatcher's CLAIM_BATCH (src/callbacks/callback.dispatcher.ts), not exported there. */
const CLAIM_BATCH = 32;
const GOAL_RATIO = 2;
/** Untimed runs before the timed ones, so every size is measured warm. */
const WARMUP_RUNS = 5;

interface Settings {
  sizes: number[];
  runs: number;
  batch: number;
}

type SizeResult = Awaited<ReturnType<typeof measureSize>> & { rows: number; insertSeconds: number; explain: string[]; explainNoneDue: string[] };

/** One engine; its name is the engine. */
interface Run extends TargetRun {
  server?: string;
  sql?: Captured;
  sizes: SizeResult[];
}

function timing(ms: number[]) {
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
      (err, _stdout, stderr) => {
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

/**
 * Median and spread of each statement at one size. claimSelectNoneDue: the
 * claim when nothing is due yet (every row's next_attempt_at is later), what
 * each idle poll costs; returned: rows the claim found (at most CLAIM_BATCH).
 */
async function measureSize(driver: Driver, sql: Captured, runs: number, noneDueAt: Date) {
  const timed = async (one: () => Promise<number>) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) ms.push(await one());
    return timing(ms);
  };
  for (let i = 0; i < WARMUP_RUNS; i++) await driver.timeSelect(sql.findDue);
  let returned = 0;
  const claimSelect = await timed(async () => {
    const r = await driver.timeSelect(sql.findDue);
    returned = r.rows.length;
    return r.ms;
  });
  const claimTransaction = await timed(() => driver.timeClaim(sql.findDue, sql.lease));
  const claimSelectBusy = await timed(async () => (await driver.timeSelect(sql.findDueBusy)).ms);
  const idle = withTime(sql.findDue, noneDueAt);
  const claimSelectNoneDue = await timed(async () => {
    const r = await driver.timeSelect(idle);
    if (r.rows.length !== 0) throw new Error(`the none-due claim found ${r.rows.length} rows`);
    return r.ms;
  });
  const reap = await timed(() => driver.timeStatement(sql.reap));
  return { claimSelect, claimTransaction, claimSelectBusy, claimSelectNoneDue, reap, returned };
}

async function measureEngine(ctx: Context<Settings>, run: Run, engine: Engine): Promise<void> {
  const s = ctx.settings;
  const db = engine === 'sqlite' ? await createSqliteDatabase() : await createMariadbDatabase(ctx.mariadbUrl!);
  let driver: Driver | undefined;
  try {
    run.database = db.label;
    await migrate(db.url);
    log(`  migrated ${db.label} with node dist/src/database/migrate.cli.js run`);
    driver = engine === 'mariadb' ? await mariadbDriver(db.url) : sqliteDriver(db.label);
    run.server = driver.version;
    const config: DatabaseConfig =
      engine === 'mariadb'
        ? { kind: 'mysql', url: db.url, poolSize: 2 }
        : { kind: 'sqlite', path: db.label, cacheMb: DEFAULT_SQLITE_CACHE_MB, fsyncBeforeAck: false };
    let have = 0;
    let events = 0;
    const now = Date.now();
    for (const size of s.sizes) {
      const t0 = performance.now();
      for (let guard = 0; have < size && guard < 100_000; guard++) {
        const n = Math.min(s.batch, size - have);
        await driver.insert(deliveryRows(n, events, now));
        have += n;
        events += Math.ceil(n / ENDPOINTS);
      }
      await driver.analyze();
      const insertSeconds = (performance.now() - t0) / 1000;
      log(`  ${have.toLocaleString('en')} PENDING deliveries (${insertSeconds.toFixed(1)} s to insert and ANALYZE)`);
      // Captured once per size with a current `now`, so the due rows are the same kind at each size.
      run.sql = await captureSql(config, new Date());
      // Every row's next_attempt_at is after now - 1 h: two hours back, nothing is due.
      const noneDueAt = new Date(now - 2 * 3_600_000);
      const m = await measureSize(driver, run.sql, s.runs, noneDueAt);
      const explain = await driver.explain(run.sql.findDue);
      const explainNoneDue = await driver.explain(withTime(run.sql.findDue, noneDueAt));
      run.sizes.push({ rows: have, insertSeconds, explain, explainNoneDue, ...m });
      log(
        `  claim SELECT median ${m.claimSelect.median.toFixed(3)} ms (p90 ${m.claimSelect.p90.toFixed(3)}), returned ${m.returned}; ` +
          `claim transaction ${m.claimTransaction.median.toFixed(3)} ms; with busy endpoints ${m.claimSelectBusy.median.toFixed(3)} ms; ` +
          `nothing due ${m.claimSelectNoneDue.median.toFixed(3)} ms; reap ${m.reap.median.toFixed(3)} ms`,
      );
      for (const line of explain) log(`    ${line}`);
      for (const line of explainNoneDue) log(`    nothing due: ${line}`);
    }
  } finally {
    await driver?.close().catch(() => undefined);
    if (!ctx.args.flag('keep')) await db.drop().catch(() => undefined);
  }
}

const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(3));
const count = (n: number | undefined) => n?.toLocaleString('en') ?? '-';

/** The goal that `pick`'s median at the largest size is within GOAL_RATIO of the smallest's. */
function flat(r: Run, goal: string, pick: (s: SizeResult) => { median: number }): Goal {
  const [base, last] = [r.sizes[0], r.sizes.at(-1)];
  const ratio = base && last && last !== base ? pick(last).median / pick(base).median : NaN;
  return {
    goal,
    target: r.name,
    value: Number.isFinite(ratio) ? `${f(pick(base).median)} -> ${f(pick(last!).median)} ms = ${ratio.toFixed(2)}x` : (r.error ?? 'one size only'),
    pass: Number.isFinite(ratio) ? ratio <= GOAL_RATIO : r.error ? false : null,
  };
}

runScenario<Settings>({
  name: 'claim-scaling',
  title: 'dispatcher claim vs outbox size',
  targets: ['mariadb', 'sqlite'],
  gateway: false,
  options: {
    sizes: 'PENDING deliveries to measure at, ascending, comma list (default 10000,1000000)',
    runs: 'timed runs per query and size; the median is reported (default 50)',
    batch: 'rows per multi-row INSERT (default 2000)',
  },
  settings: (args) => {
    const sizes = args
      .string('sizes', '10000,1000000')
      .split(',')
      .map((x) => Number(x.trim()));
    if (sizes.some((n, i) => !Number.isInteger(n) || n < CLAIM_BATCH || n > 5_000_000 || (i > 0 && n <= sizes[i - 1])))
      throw new Error(`--sizes must be ascending integers from ${CLAIM_BATCH} to 5,000,000`);
    return { sizes, runs: args.number('runs', 50, 5, 1000), batch: args.number('batch', 2000, 100, 20_000) };
  },
  run: async (ctx) => {
    const s = ctx.settings;
    const runs: Run[] = [];
    for (const engine of ctx.targets as Engine[]) runs.push(await ctx.target<Run>(engine, { sizes: [] }, (run) => measureEngine(ctx, run, engine)));
    return {
      setup: [
        `rows: PENDING only, ${ENDPOINTS} endpoints, ${ENDPOINTS} deliveries per event, 90% due within the last hour, 10% due within 6 h; multi-row INSERTs of ${s.batch}; ANALYZE after each size`,
        `timing: the driver (mysql2 / better-sqlite3) straight, each run in its own transaction (MariaDB: READ COMMITTED, as the dispatcher's unit of work), rolled back; ${WARMUP_RUNS} warm-up runs, then ${s.runs} timed per query`,
        `SQL: captured from DeliveryRepository.findDue / lease / reapExpired through TypeORM with a recording logger (LIMIT ${CLAIM_BATCH} = CLAIM_BATCH)`,
        ...runs.map((r) => `${r.name}: ${r.server ?? '-'} (${r.database ?? '-'})`),
      ],
      tables: [
        {
          title: 'Results',
          header: [
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
          ],
          rows: runs.flatMap((r) =>
            r.sizes.map((z) => [
              r.name,
              count(z.rows),
              f(z.claimSelect.median),
              f(z.claimSelect.p90),
              `${f(z.claimSelect.min)} / ${f(z.claimSelect.max)}`,
              String(z.returned),
              ...[z.claimTransaction, z.claimSelectBusy, z.claimSelectNoneDue, z.reap].map((t) => f(t.median)),
              `${(z.claimSelect.median / r.sizes[0].claimSelect.median).toFixed(2)}x / ${(z.claimSelectNoneDue.median / r.sizes[0].claimSelectNoneDue.median).toFixed(2)}x`,
            ]),
          ),
        },
      ],
      goals: runs.flatMap((r) => {
        const [base, last] = [count(r.sizes[0]?.rows), count(r.sizes.at(-1)?.rows)];
        return [
          flat(r, `claim time flat: ${last} within ${GOAL_RATIO}x of ${base} PENDING (median of ${s.runs})`, (z) => z.claimSelect),
          flat(r, `idle poll (claim with nothing due) flat: ${last} within ${GOAL_RATIO}x of ${base}`, (z) => z.claimSelectNoneDue),
        ];
      }),
      figures: runs.flatMap((r) =>
        r.sizes.map((z) => ({
          what: `claim SELECT median (${count(z.rows)} PENDING)`,
          target: r.name,
          measured: `${f(z.claimSelect.median)} ms; claim txn ${f(z.claimTransaction.median)} ms; reap ${f(z.reap.median)} ms`,
        })),
      ),
      blocks: [
        {
          title: 'SQL',
          text: runs
            .flatMap((r) =>
              r.sql ? [`${r.name} claim:  ${r.sql.findDue.sql}`, `${r.name} lease:  ${r.sql.lease.sql}`, `${r.name} reap:   ${r.sql.reap.sql}`] : [],
            )
            .join('\n'),
        },
        {
          title: 'Plans',
          text: runs
            .flatMap((r) =>
              r.sizes.flatMap((z) => [
                ...z.explain.map((e) => `${r.name} ${count(z.rows)}: ${e}`),
                ...z.explainNoneDue.map((e) => `${r.name} ${count(z.rows)}, nothing due: ${e}`),
              ]),
            )
            .join('\n'),
        },
      ],
    };
  },
});
