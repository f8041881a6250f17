import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { loadConfig } from '../../src/config/load-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { DeliveryAttemptEntity } from '../../src/callbacks/delivery.entity';
import { findRowBy, insertRow, insertRows, SqlExpression, updateRowById } from '../../src/database/raw-rows';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-app';

/** The hand-written row helpers must read and write exactly what TypeORM's own insert, update and findOne do. */
describe(`raw rows on ${testEngine()}`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(loadConfig(testEnvironment(db)).database));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const authorization = (overrides: Partial<AuthorizationEntity> = {}) =>
    Object.assign(new AuthorizationEntity(), {
      id: randomUUID(),
      accessTokenHash: randomUUID().replace(/-/g, ''),
      accessTokenEnc: 'enc',
      refreshTokenEnc: null,
      encKeyId: 'k1',
      status: 'ACTIVE',
      cancelSource: null,
      canceledAt: null,
      tokenCreatedAt: new Date('2026-11-22T06:15:30.123Z'),
      merchantId: null,
      authCodeId: null,
      referenceMerchantId: 'M1',
      referenceAgreementId: null,
      customerId: 'C1',
      authClientId: null,
      acquirerId: null,
      pspId: 'P1',
      userLoginId: null,
      scopes: 'AGREEMENT_PAY',
      wallet: null,
      accessTokenExpiryTime: new Date('2027-01-01T00:00:00.000Z'),
      refreshTokenExpiryTime: null,
      createdAt: new Date('2026-11-22T06:15:30.123Z'),
      updatedAt: new Date('2026-11-22T06:15:30.123Z'),
      ...overrides,
    });

  it('inserts a row that TypeORM reads back as it was written, version 1', async () => {
    const row = authorization();
    await dataSource.transaction((em) => insertRow(em, AuthorizationEntity, row));
    expect(await dataSource.manager.findOneBy(AuthorizationEntity, { id: row.id })).toEqual({ ...row, version: 1 });
  });

  it('reads a row written by TypeORM exactly as TypeORM reads it', async () => {
    const row = authorization({ status: 'CANCELED', cancelSource: 'PSP', canceledAt: new Date('2026-11-22T07:00:00.456Z') });
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
    const row = authorization();
    const twin = authorization();
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
    const inserted = authorization({ customerId: null });
    await dataSource.transaction((em) => insertRow(em, AuthorizationEntity, inserted, { customerId: firstCustomer }));
    expect(await dataSource.manager.findOneByOrFail(AuthorizationEntity, { id: inserted.id })).toMatchObject({ customerId: 'C1', version: 1 });

    // Another table: MySQL refuses a sub-query on the table being updated.
    const updated = authorization({ authCodeId: randomUUID() });
    await dataSource.manager.insert(AuthorizationEntity, updated);
    const none = new SqlExpression('(SELECT id FROM auth_codes WHERE reference_agreement_id = ?)', ['nobody']);
    await dataSource.transaction((em) => updateRowById(em, AuthorizationEntity, updated.id, { scopes: 'X' }, { authCodeId: none }));
    expect(await dataSource.manager.findOneByOrFail(AuthorizationEntity, { id: updated.id })).toMatchObject({ authCodeId: null, scopes: 'X', version: 2 });
  });
});
