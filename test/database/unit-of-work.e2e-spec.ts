import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { MerchantRequestEntity } from '../../src/authorizations/merchant-request.entity';
import { openMigratedDataSource } from '../support/database-layer';
import { testEngine } from '../support/test-database';

/** afterCommit: the outbox's wake-up runs only once the rows it announces are visible, and never for a rolled-back attempt. */
describe(`UnitOfWork.afterCommit on ${testEngine()}`, () => {
  let database: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dataSource: DataSource;
  let uow: UnitOfWork;

  beforeAll(async () => {
    database = await openMigratedDataSource();
    dataSource = database.dataSource;
    uow = new UnitOfWork(dataSource);
  });
  afterAll(() => database.close());

  const request = () =>
    Object.assign(new MerchantRequestEntity(), {
      id: randomUUID(),
      merchantId: randomUUID(),
      authorizationId: null,
      api: 'revoke',
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      receivedAt: new Date(),
    });

  it('runs the callback after the commit, before run() resolves, when the pool already sees the row', async () => {
    const row = request();
    let seen: Promise<number> | undefined;
    let ranBeforeWorkReturned = true;
    await uow.run(async (em) => {
      await em.insert(MerchantRequestEntity, row);
      uow.afterCommit(em, () => {
        seen = dataSource.manager.countBy(MerchantRequestEntity, { id: row.id });
      });
      ranBeforeWorkReturned = seen !== undefined;
    });
    expect(ranBeforeWorkReturned).toBe(false);
    expect(seen).toBeDefined();
    expect(await seen).toBe(1);
  });

  it('never runs the callbacks of a transaction that rolled back', async () => {
    const ran: string[] = [];
    await expect(
      uow.run(async (em) => {
        await em.insert(MerchantRequestEntity, request());
        uow.afterCommit(em, () => ran.push('rolled back'));
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await uow.run(async (em) => uow.afterCommit(em, () => ran.push('committed')));
    expect(ran).toEqual(['committed']);
  });

  it('keeps the commit when a callback throws, and still runs the next one', async () => {
    const ran: string[] = [];
    const row = request();
    const result = await uow.run(async (em) => {
      await em.insert(MerchantRequestEntity, row);
      uow.afterCommit(em, () => {
        throw new Error('a broken listener');
      });
      uow.afterCommit(em, () => ran.push('second'));
      return 'done';
    });
    expect(result).toBe('done');
    expect(ran).toEqual(['second']);
    expect(await dataSource.manager.countBy(MerchantRequestEntity, { id: row.id })).toBe(1);
  });
});
