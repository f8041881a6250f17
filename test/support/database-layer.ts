import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { loadConfig } from '../../src/config/load-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { testEnvironment } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/** For specs of the database layer itself: a DataSource on a fresh test database, schema from the real migrations. */
export async function openMigratedDataSource(): Promise<{ db: TestDatabase; dataSource: DataSource; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const dataSource = new DataSource(dataSourceOptions(loadConfig(testEnvironment(db)).database));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    db,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** An authorization row with every column set (a fresh id and token hash), as a created token's would be. */
export function authorizationRow(overrides: Partial<AuthorizationEntity> = {}): AuthorizationEntity {
  return Object.assign(new AuthorizationEntity(), {
    id: randomUUID(),
    accessTokenHash: randomUUID().replace(/-/g, ''),
    accessTokenEnc: 'enc',
    refreshTokenEnc: null,
    refreshTokenHash: null,
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
    customerBelongsTo: null,
    userLoginId: null,
    scopes: 'AGREEMENT_PAY',
    wallet: null,
    accessTokenExpiryTime: new Date('2027-01-01T00:00:00.000Z'),
    refreshTokenExpiryTime: null,
    createdAt: new Date('2026-11-22T06:15:30.123Z'),
    updatedAt: new Date('2026-11-22T06:15:30.123Z'),
    ...overrides,
  });
}
