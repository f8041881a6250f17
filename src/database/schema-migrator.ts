import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';
import { isMysql } from './sql-dialect';

/** How long a run waits for another run on the same database to finish. */
const MIGRATION_LOCK_WAIT_SECONDS = 120;

/** Why the schema cannot be migrated, in one line that names the fix. */
export class SchemaError extends Error {}

/** One round trip to the database: readiness's liveness probe. */
export async function ping(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}

/**
 * The migrations this database still lacks, by name, oldest first. Only
 * reads: it never creates the migrations table (TypeORM's own check does), so
 * a gateway told not to migrate makes no DDL, and a database that is not
 * utf8mb4 gets nothing before the migration run refuses it.
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const runner = dataSource.createQueryRunner();
  try {
    const applied = (await runner.hasTable(table))
      ? new Set(((await runner.query(`SELECT name FROM ${dataSource.driver.escape(table)}`)) as Array<{ name: string }>).map((r) => r.name))
      : new Set<string>();
    return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  } finally {
    await runner.release();
  }
}

/**
 * Applies every pending migration and answers their names. On MySQL/MariaDB
 * it first refuses a database that is not utf8mb4, and holds a named lock
 * for this database while it runs, so that instances started together do
 * not interleave their DDL; the lock and the migrations share one connection,
 * so a pool of one is enough. MySQL DDL is not transactional: each migration
 * is written to be run again after a run that stopped half-way (see
 * migrations/), so the next run finishes the job.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    if (isMysql(dataSource)) {
      await assertUtf8mb4(runner);
      await lock(runner);
    }
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return (await executor.executePendingMigrations()).map((m) => m.name);
    } finally {
      if (isMysql(dataSource)) await runner.query(`SELECT RELEASE_LOCK(${LOCK_NAME})`);
    }
  } finally {
    await runner.release();
  }
}

/** One lock per database (not per server): gateways on other databases of the server never wait on it. At most 64 characters. */
const LOCK_NAME = "CONCAT('acqp_migrations_', LEFT(SHA2(DATABASE(), 256), 40))";

async function lock(runner: QueryRunner): Promise<void> {
  const [row] = (await runner.query(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS taken`, [MIGRATION_LOCK_WAIT_SECONDS])) as Array<{ taken: unknown }>;
  if (Number(row?.taken) !== 1) {
    throw new SchemaError(`another migration run on this database has held its lock for over ${MIGRATION_LOCK_WAIT_SECONDS}s; run again once it has finished`);
  }
}

/**
 * The gateway stores text in utf8mb4 (wallet names, passThroughInfo); its
 * tables set their own utf8mb4 collation, so any utf8mb4 default works, but
 * a database in another character set is refused before anything is made.
 */
async function assertUtf8mb4(runner: QueryRunner): Promise<void> {
  const [row] = (await runner.query('SELECT DATABASE() AS name, @@character_set_database AS charset')) as Array<{ name: string; charset: string }>;
  if (row?.charset === 'utf8mb4') return;
  const db = row?.name ?? 'the database';
  throw new SchemaError(
    `database ${db} has character set ${row?.charset ?? 'unknown'}, and the gateway needs utf8mb4 (any utf8mb4 collation): ` +
      `run ALTER DATABASE \`${db}\` CHARACTER SET utf8mb4, then migrate again`,
  );
}
