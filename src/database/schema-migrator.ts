import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';

/** A MySQL named lock: one migration run at a time, whether instances migrate at boot or an operator runs the CLI. */
const MIGRATION_LOCK = 'acqp_gateway_migrations';
const MIGRATION_LOCK_WAIT_SECONDS = 120;

/** Why the schema cannot be migrated, in one line that names the fix. */
export class SchemaError extends Error {}

/** The migrations this database still lacks, by name, oldest first. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    return (await new MigrationExecutor(dataSource, runner).getPendingMigrations()).map((m) => m.name);
  } finally {
    await runner.release();
  }
}

/**
 * Applies every pending migration and answers their names. On MySQL/MariaDB
 * it first refuses a database that is not utf8mb4, and holds a named lock
 * while it runs, so that instances started together do not interleave their
 * DDL. MySQL DDL is not transactional: each migration is written to be run
 * again after a run that stopped half-way (see migrations/), so the next run
 * finishes the job.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  if (!isMysql(dataSource)) return names(await dataSource.runMigrations({ transaction: 'each' }));
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await assertUtf8mb4(runner);
    const [lock] = (await runner.query('SELECT GET_LOCK(?, ?) AS taken', [MIGRATION_LOCK, MIGRATION_LOCK_WAIT_SECONDS])) as Array<{ taken: unknown }>;
    if (Number(lock?.taken) !== 1) {
      throw new SchemaError(`another migration run has held the lock ${MIGRATION_LOCK} for over ${MIGRATION_LOCK_WAIT_SECONDS}s; try again once it has finished`);
    }
    try {
      return names(await dataSource.runMigrations({ transaction: 'each' }));
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
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

function isMysql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}

function names(migrations: ReadonlyArray<{ name: string }>): string[] {
  return migrations.map((m) => m.name);
}
