import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { loadConfig } from '../../src/config/load-config';
import { testEnvironment } from '../support/test-app';

import { GATEWAY_TABLES as TABLES } from './gateway-tables';

describe(`migrations on ${testEngine()}`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig(testEnvironment(db));
    dataSource = new DataSource(dataSourceOptions(config.database));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const existing = async () => {
    const runner = dataSource.createQueryRunner();
    try {
      const present: string[] = [];
      for (const t of TABLES) if (await runner.hasTable(t)) present.push(t);
      return present;
    } finally {
      await runner.release();
    }
  };

  it('round-trips up, down and up again', async () => {
    expect(await existing()).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);

    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.length).toBe(dataSource.migrations.length);
    expect(await existing()).toEqual(TABLES);
    expect(await dataSource.showMigrations()).toBe(false);

    for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await existing()).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await existing()).toEqual(TABLES);
  });

  it('enforces the unique keys the gateway relies on for idempotency', async () => {
    const now = '2026-11-22 10:15:30.000';
    const insert = (id: string) =>
      dataSource.query(
        `INSERT INTO deliveries (id, event_id, endpoint_id, merchant_id, status, attempt_count, next_attempt_at, lease_version, created_at, updated_at)
         VALUES (?, 'e1', 'ep1', 'm1', 'PENDING', 0, ?, 0, ?, ?)`,
        [id, now, now, now],
      );
    await insert('d1');
    await expect(insert('d2')).rejects.toThrow();
  });

  it('indexes what the console reads by time: notifications received, attempts started', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      const columnsOf = async (table: string) => (await runner.getTable(table))!.indices.map((i) => i.columnNames.join(','));
      expect(await columnsOf('notifications')).toContain('received_at');
      expect(await columnsOf('delivery_attempts')).toContain('started_at');
    } finally {
      await runner.release();
    }
  });
});
