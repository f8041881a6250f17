import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { MIGRATIONS as MIGRATION_CLASSES } from '../../migrations';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { managedMariadb } from '../support/managed-mariadb';
import { testEnvironment } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { GATEWAY_TABLES as TABLES } from './gateway-tables';

/** Built by `npm test` (tsc runs first). */
const MIGRATE_CLI = resolve(__dirname, '..', '..', 'dist', 'src', 'database', 'migrate.cli.js');
const MIGRATIONS = MIGRATION_CLASSES.map((m) => new m().name);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * MySQL/MariaDB as an operator meets it: a database made with a plain
 * `CREATE DATABASE` (whatever the server's default collation), `npm run
 * migration:run` run twice, a migration that fails half-way and is run
 * again, and a gateway started before anyone migrated. The real migration
 * CLI and the real gateway binary, as child processes.
 */
const onMysql = testEngine() === 'mysql' ? describe : describe.skip;
const why = testEngine() === 'mysql' ? '' : ' (skipped: MySQL/MariaDB only; set TEST_DATABASE_URL)';

onMysql(`a MySQL/MariaDB database made by an operator${why}`, () => {
  const serverUrl = process.env.TEST_DATABASE_URL?.replace(/^mariadb:/, 'mysql:') ?? '';
  let admin: Connection;
  let cwd: string;
  const databases: string[] = [];
  const users: string[] = [];
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    admin = await createConnection({ uri: serverUrl });
    cwd = mkdtempSync(join(tmpdir(), 'acqp-operator-db-'));
  });
  afterAll(async () => {
    for (const gw of gateways) gw.child.kill('SIGKILL');
    await Promise.all(gateways.map((gw) => gw.exited));
    for (const db of databases) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    for (const user of users) managedMariadb()?.asRoot(`DROP USER IF EXISTS '${user}'@'%';`);
    await admin?.end();
    rmSync(cwd, { recursive: true, force: true });
  });

  /** `CREATE DATABASE <name> <options>`, and a DATABASE_URL for it (as `user`, by default the test server's). */
  async function createDatabase(options = ''): Promise<{ name: string; url: (user?: { name: string; password: string }) => string }> {
    const name = `acqp_op_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE \`${name}\` ${options}`);
    databases.push(name);
    return {
      name,
      url: (user) => {
        const url = new URL(serverUrl);
        url.pathname = `/${name}`;
        if (user) {
          url.username = user.name;
          url.password = user.password;
        }
        return url.toString();
      },
    };
  }

  /** `npm run migration:run` (or `show`) as an operator runs it: its own process, only DATABASE_URL set. */
  const migrationCli = (command: 'run' | 'show', databaseUrl: string): Promise<CliRun> =>
    new Promise((done) => {
      const env = { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl };
      execFile(process.execPath, [MIGRATE_CLI, command], { cwd, env, timeout: 60_000 }, (err, stdout, stderr) =>
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  /** The compiled gateway in live mode on `databaseUrl`, not migrating at boot (the MySQL default). */
  async function startGateway(databaseUrl: string): Promise<{ gw: GatewayProcess; baseUrl: string }> {
    const env = testEnvironment(
      { engine: 'mysql', url: databaseUrl, drop: async () => undefined },
      {
        LOG_LEVEL: 'info',
        DATABASE_MIGRATE_ON_START: 'false',
        // Polls ten times a second: a loop that failed on the missing tables would say so many times over.
        CALLBACK_POLL_MS: '100',
        CANCEL_TOKEN_POLL_MS: '100',
      },
    );
    const gw = startGatewayProcess(Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)), cwd);
    gateways.push(gw);
    return { gw, baseUrl: `http://127.0.0.1:${await gw.listening()}` };
  }

  const readiness = async (baseUrl: string) => {
    const res = await fetch(`${baseUrl}/health/ready`);
    return { status: res.status, body: (await res.json()) as { checks: { migrations: string } } };
  };

  const tables = async (db: string) =>
    ((await admin.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?', [db]))[0] as Array<{ t: string }>)
      .map((r) => r.t)
      .sort();

  /** Lines of the gateway's JSON log at level error or fatal. */
  const errorLines = (gw: GatewayProcess) =>
    gw
      .stdout()
      .trim()
      .split('\n')
      .filter((line) => line !== '' && ['error', 'fatal'].includes((JSON.parse(line) as { level: string }).level));

  /**
   * Waits until the gateway has run its polling loops many times over on the
   * database as it is (real time: the loops are in another process), then
   * checks it said exactly once that the schema is not migrated, with the
   * command to run, and logged no other error.
   */
  async function expectSaidOnceNotMigrated(gw: GatewayProcess, baseUrl: string): Promise<void> {
    for (let i = 0; i < 15; i++) {
      expect(await readiness(baseUrl)).toEqual({ status: 503, body: expect.objectContaining({ checks: { database: 'ok', migrations: 'pending' } }) });
      await new Promise((r) => setTimeout(r, 100));
    }
    const errors = errorLines(gw);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('the database schema is not migrated');
    expect(errors[0]).toContain('npm run migration:run');
    expect(errors[0]).not.toContain('"err"');
    expect(gw.stderr()).toBe('');
  }

  it.each([
    ['the server default', ''],
    ['utf8mb4_unicode_ci', 'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'],
    ['utf8mb4_unicode_520_ci', 'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci'],
    ['utf8mb4_bin', 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'],
  ])('migrates a database of %s collation, does nothing the second time, and the gateway is ready on it', async (_name, options) => {
    const db = await createDatabase(options);

    const first = await migrationCli('run', db.url());
    expect(first).toEqual({ code: 0, stdout: `applied: ${MIGRATIONS.join(', ')}\n`, stderr: '' });
    const second = await migrationCli('run', db.url());
    expect(second).toEqual({ code: 0, stdout: 'schema is up to date\n', stderr: '' });

    // Every text column of ours is utf8mb4_bin, whatever the database's default.
    const [others] = await admin.query(
      `SELECT COUNT(*) AS n FROM information_schema.columns
        WHERE table_schema = ? AND table_name <> 'schema_migrations' AND collation_name IS NOT NULL AND collation_name <> 'utf8mb4_bin'`,
      [db.name],
    );
    expect(Number((others as Array<{ n: unknown }>)[0].n)).toBe(0);

    const { gw, baseUrl } = await startGateway(db.url());
    expect(await readiness(baseUrl)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', migrations: 'ok' } } });
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    expect(errorLines(gw)).toEqual([]);
  });

  it('refuses a database that is not utf8mb4 with one line naming the fix, and makes nothing', async () => {
    const db = await createDatabase('CHARACTER SET latin1');
    const refused = await migrationCli('run', db.url());
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toEqual([
      `migration failed: database ${db.name} has character set latin1, and the gateway needs utf8mb4 (any utf8mb4 collation): ` +
        `run ALTER DATABASE \`${db.name}\` CHARACTER SET utf8mb4, then migrate again`,
    ]);
    expect(await tables(db.name)).toEqual([]);

    // The fix it names works.
    await admin.query(`ALTER DATABASE \`${db.name}\` CHARACTER SET utf8mb4`);
    expect((await migrationCli('run', db.url())).stdout).toBe(`applied: ${MIGRATIONS.join(', ')}\n`);
  });

  // Making a user takes an administrator: the project's own MariaDB lends its root (scripts/mariadb.sh sql), as in CI.
  const withRoot = managedMariadb() ? it : it.skip;
  withRoot(
    `finishes a migration that failed half-way when run again, and a gateway on the half-built schema waits quietly${managedMariadb() ? '' : ' (skipped: needs the MariaDB of scripts/mariadb.sh)'}`,
    async () => {
      const root = managedMariadb()!;
      const db = await createDatabase();
      // A user who may make only the first two tables (and the migrations table): the run stops at the third.
      const user = { name: `acqp_mig_${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };
      root.asRoot(`CREATE USER '${user.name}'@'%' IDENTIFIED BY '${user.password}';`);
      users.push(user.name);
      const privileges = 'SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES';
      root.asRoot(
        ['schema_migrations', 'merchants', 'sub_merchants'].map((t) => `GRANT ${privileges} ON \`${db.name}\`.\`${t}\` TO '${user.name}'@'%';`).join('\n'),
      );

      const failed = await migrationCli('run', db.url(user));
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/^migration failed: CREATE command denied to user .* for table .*callback_endpoints/);
      expect(await tables(db.name)).toEqual(['merchants', 'schema_migrations', 'sub_merchants']);
      expect((await migrationCli('show', db.url(user))).stdout).toBe(`migrations pending: ${MIGRATIONS.join(', ')}\n`);

      // A gateway started on the half-built schema says so once and waits.
      const { gw, baseUrl } = await startGateway(db.url());
      await expectSaidOnceNotMigrated(gw, baseUrl);

      // The operator fixes the privileges and runs the same command again: it finishes.
      root.asRoot(`GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO '${user.name}'@'%';`);
      const rerun = await migrationCli('run', db.url(user));
      expect(rerun).toEqual({ code: 0, stdout: `applied: ${MIGRATIONS.join(', ')}\n`, stderr: '' });
      expect(await tables(db.name)).toEqual([...TABLES, 'schema_migrations'].sort());
      expect((await migrationCli('run', db.url(user))).stdout).toBe('schema is up to date\n');

      // The waiting gateway notices without a restart.
      expect((await readiness(baseUrl)).status).toBe(200);
      const deadline = Date.now() + 15_000;
      while (!gw.stdout().includes('the database schema is migrated: background work starts')) {
        if (Date.now() > deadline) throw new Error(`the gateway did not notice the migration:\n${gw.stdout()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(errorLines(gw)).toHaveLength(1);
    },
  );

  it('says once, with the command to run, that a gateway started on an empty database waits for its migrations', async () => {
    const db = await createDatabase();
    const { gw, baseUrl } = await startGateway(db.url());
    await expectSaidOnceNotMigrated(gw, baseUrl);
    expect(errorLines(gw)[0]).toContain(`"pending":${JSON.stringify(MIGRATIONS)}`);
  });
});
