import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { MerchantRequestEntity } from '../../src/authorizations/merchant-request.entity';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { GroupSync, walFlush } from '../../src/database/group-sync';
import { NOT_TOLD, UnitOfWork } from '../../src/database/unit-of-work';

/**
 * The embedded database's acknowledgement is durable: a unit of work resolves
 * only after an fsync of the WAL that began once its commit was in the WAL,
 * and concurrent ones share that fsync. Always on an SQLite file of its own
 * (the MariaDB pass included: this is SQLite's durability, not the engine under test).
 */
describe('UnitOfWork on SQLite waits for a group fsync of the WAL', () => {
  let dir: string;
  let path: string;
  let dataSource: DataSource;
  let reader: Database.Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'acqp-group-sync-'));
    path = join(dir, 'gateway.sqlite');
    dataSource = new DataSource(dataSourceOptions({ kind: 'sqlite', path, cacheMb: 8, fsyncBeforeAck: true }));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    reader = new Database(path, { readonly: true });
  });
  afterAll(async () => {
    reader.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (uow: UnitOfWork, id: string, options?: typeof NOT_TOLD) =>
    uow.run(
      (em) =>
        em.insert(MerchantRequestEntity, {
          id,
          merchantId: randomUUID(),
          authorizationId: null,
          api: 'revoke',
          resultStatus: 'S',
          resultCode: 'SUCCESS',
          receivedAt: new Date(),
        }),
      options,
    );
  /** Rows another connection sees: what is in the WAL, committed. */
  const visible = (ids: string[]) => ids.filter((id) => reader.prepare('SELECT 1 FROM merchant_requests WHERE id = ?').get(id) !== undefined);

  it('resolves a run only after a flush that began with its commit already in the WAL', async () => {
    const events: string[] = [];
    let release!: () => void;
    const id = randomUUID();
    const uow = new UnitOfWork(
      dataSource,
      new GroupSync(async () => {
        events.push(`flush sees ${visible([id]).length}`);
        await new Promise<void>((resolve) => (release = resolve));
        events.push('flushed');
      }),
    );
    const run = insert(uow, id).then(() => events.push('resolved'));
    for (let i = 0; i < 50 && release === undefined; i++) await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['flush sees 1']);
    release();
    await run;
    expect(events).toEqual(['flush sees 1', 'flushed', 'resolved']);
  });

  it('shares one flush among concurrent runs, and never resolves a run on a flush that began before its commit', async () => {
    const flushes: Array<{ saw: Set<string>; done: boolean }> = [];
    const uow = new UnitOfWork(
      dataSource,
      new GroupSync(async () => {
        const flush = { saw: new Set<string>(), done: false };
        flushes.push(flush);
        for (const id of visible(ids)) flush.saw.add(id);
        await new Promise((r) => setTimeout(r, 5));
        flush.done = true;
      }),
    );
    const ids = Array.from({ length: 40 }, () => randomUUID());
    await Promise.all(
      ids.map((id) =>
        insert(uow, id).then(() => {
          // By now some finished flush began with this row committed.
          expect(flushes.some((f) => f.done && f.saw.has(id))).toBe(true);
        }),
      ),
    );
    expect(flushes.length).toBeGreaterThanOrEqual(1);
    expect(flushes.length).toBeLessThan(ids.length / 4);
  });

  it('resolves a NOT_TOLD run at its commit, and fails a durable run whose flush fails (it is never acknowledged)', async () => {
    let release!: () => void;
    const uow = new UnitOfWork(dataSource, new GroupSync(() => new Promise<void>((resolve) => (release = resolve))));
    const id = randomUUID();
    await insert(uow, id, NOT_TOLD);
    expect(visible([id])).toEqual([id]);
    expect(release).toBeUndefined();

    const failing = new UnitOfWork(dataSource, new GroupSync(() => Promise.reject(new Error('EIO: the disk said no'))));
    await expect(insert(failing, randomUUID())).rejects.toThrow('EIO');
  });

  it('fsyncs the real -wal file', async () => {
    const uow = new UnitOfWork(dataSource, new GroupSync(walFlush(path)));
    await expect(insert(uow, randomUUID())).resolves.toBeDefined();
    const missing = new UnitOfWork(dataSource, new GroupSync(walFlush(join(dir, 'no-such.sqlite'))));
    await expect(insert(missing, randomUUID())).rejects.toThrow('ENOENT');
  });
});
