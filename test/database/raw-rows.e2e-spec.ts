import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { DeliveryAttemptEntity } from '../../src/callbacks/delivery.entity';
import { findRowBy, insertRow, insertRows, SqlExpression, updateRowById } from '../../src/database/raw-rows';
import { authorizationRow, openMigratedDataSource } from '../support/database-layer';
import { testEngine } from '../support/test-database';

/** The hand-written row helpers must read and write exactly what TypeORM's own insert, update and findOne do. */
describe(`raw rows on ${testEngine()}`, () => {
  let database: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await openMigratedDataSource();
    dataSource = database.dataSource;
  });
  afterAll(() => database.close());

  it('inserts a row that TypeORM reads back as it was written, version 1', async () => {
    const row = authorizationRow();
    await dataSource.transaction((em) => insertRow(em, AuthorizationEntity, row));
    expect(await dataSource.manager.findOneBy(AuthorizationEntity, { id: row.id })).toEqual({ ...row, version: 1 });
  });

  it('reads a row written by TypeORM exactly as TypeORM reads it', async () => {
    const row = authorizationRow({ status: 'CANCELED', cancelSource: 'PSP', canceledAt: new Date('2026-11-22T07:00:00.456Z') });
    await dataSource.manager.insert(AuthorizationEntity, row);
    const sut = await dataSource.transaction((em) => findRowBy(em, AuthorizationEntity, 'access_token_hash', row.accessTokenHash, { forUpdate: true }));
    expect(sut).toBeInstanceOf(AuthorizationEntity);
    expect(sut).toEqual(await dataSource.manager.findOneBy(AuthorizationEntity, { id: row.id }));
    expect(await dataSource.transaction((em) => findRowBy(em, AuthorizationEntity, 'access_token_hash', 'absent'))).toBeNull();
  });

  it('inserts many rows of one shape, in as many statements as the parameter limits need, as TypeORM reads them', async () => {
    const deliveryId = randomUUID();
    // 4,000 rows x 8 columns: more bound parameters than one statement may carry.
    const rows = Array.from({ length: 4_000 }, (_, i): DeliveryAttemptEntity => ({
      id: randomUUID(),
      deliveryId,
      attemptNo: i + 1,
      startedAt: new Date(Date.UTC(2026, 10, 22, 6, 15, 30, i % 1000)),
      durationMs: i,
      httpStatus: i % 2 ? 200 : null,
      responseBody: i % 3 ? '{"result":{"resultStatus":"S"}}' : null,
      errorClass: i % 2 ? null : 'TIMEOUT',
      outcome: i % 2 ? 'SUCCEEDED' : 'RETRY',
    }));
    await dataSource.transaction((em) => insertRows(em, DeliveryAttemptEntity, rows));
    const read = await dataSource.manager.find(DeliveryAttemptEntity, { where: { deliveryId }, order: { attemptNo: 'ASC' } });
    expect(read.map((r) => ({ ...r }))).toEqual(rows);
  });

  it('updates only the given columns and bumps the version, as em.update does', async () => {
    const row = authorizationRow();
    const twin = authorizationRow();
    await dataSource.manager.insert(AuthorizationEntity, [row, twin]);
    const canceledAt = new Date('2026-11-22T08:00:00.789Z');
    await dataSource.transaction((em) => updateRowById(em, AuthorizationEntity, row.id, { status: 'CANCELED', canceledAt, scopes: null }));
    await dataSource.manager.update(AuthorizationEntity, { id: twin.id }, { status: 'CANCELED', canceledAt, scopes: null });
    const [mine, theirs] = await Promise.all([row.id, twin.id].map((id) => dataSource.manager.findOneByOrFail(AuthorizationEntity, { id })));
    expect({ ...mine, id: '', accessTokenHash: '' }).toEqual({ ...theirs, id: '', accessTokenHash: '' });
    expect(mine).toMatchObject({ status: 'CANCELED', canceledAt, scopes: null, customerId: 'C1', version: 2 });
  });

  it('sets a column from an expression in the same statement, on insert and on update', async () => {
    const firstCustomer = new SqlExpression('(SELECT MIN(customer_id) FROM authorizations WHERE psp_id = ?)', ['P1']);
    const inserted = authorizationRow({ customerId: null });
    await dataSource.transaction((em) => insertRow(em, AuthorizationEntity, inserted, { customerId: firstCustomer }));
    expect(await dataSource.manager.findOneByOrFail(AuthorizationEntity, { id: inserted.id })).toMatchObject({ customerId: 'C1', version: 1 });

    // Another table: MySQL refuses a sub-query on the table being updated.
    const updated = authorizationRow({ authCodeId: randomUUID() });
    await dataSource.manager.insert(AuthorizationEntity, updated);
    const none = new SqlExpression('(SELECT id FROM auth_codes WHERE reference_agreement_id = ?)', ['nobody']);
    await dataSource.transaction((em) => updateRowById(em, AuthorizationEntity, updated.id, { scopes: 'X' }, { authCodeId: none }));
    expect(await dataSource.manager.findOneByOrFail(AuthorizationEntity, { id: updated.id })).toMatchObject({ authCodeId: null, scopes: 'X', version: 2 });
  });
});
