import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { AuthorizationRepository } from '../../src/authorizations/authorization.repository';
import { loadConfig } from '../../src/config/load-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { insertRow } from '../../src/database/raw-rows';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-app';

/** findOwned: a merchant finds its own tokens, in SQL, and nobody else's, byte for byte on both engines. */
describe(`AuthorizationRepository.findOwned on ${testEngine()}`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: AuthorizationRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(loadConfig(testEnvironment(db)).database));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    repository = new AuthorizationRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  async function token(merchantId: string | null, referenceMerchantId: string): Promise<string> {
    const hash = randomUUID().replace(/-/g, '');
    const now = new Date('2026-12-03T10:00:00.000Z');
    const row = Object.assign(new AuthorizationEntity(), {
      id: randomUUID(),
      accessTokenHash: hash,
      accessTokenEnc: 'enc',
      refreshTokenEnc: null,
      encKeyId: 'k1',
      status: 'ACTIVE',
      cancelSource: null,
      canceledAt: null,
      tokenCreatedAt: now,
      merchantId,
      authCodeId: null,
      referenceMerchantId,
      referenceAgreementId: null,
      customerId: null,
      authClientId: null,
      acquirerId: null,
      pspId: null,
      userLoginId: null,
      scopes: null,
      wallet: null,
      accessTokenExpiryTime: null,
      refreshTokenExpiryTime: null,
      createdAt: now,
      updatedAt: now,
    });
    await dataSource.transaction((em) => insertRow(em, AuthorizationEntity, row));
    return hash;
  }

  it('finds a token by the merchant it was linked to, and by its referenceMerchantId before it was linked', async () => {
    const merchant = { id: randomUUID(), referenceMerchantId: `REF_${randomUUID().slice(0, 8)}` };
    const linked = await token(merchant.id, 'SOMETHING_ELSE');
    const unlinked = await token(null, merchant.referenceMerchantId);
    expect((await repository.findOwned(merchant, linked))?.accessTokenHash).toBe(linked);
    expect((await repository.findOwned(merchant, unlinked))?.accessTokenHash).toBe(unlinked);
  });

  it("never finds another merchant's token, linked or not", async () => {
    const mine = { id: randomUUID(), referenceMerchantId: `REF_${randomUUID().slice(0, 8)}` };
    const theirs = { id: randomUUID(), referenceMerchantId: `REF_${randomUUID().slice(0, 8)}` };
    const linked = await token(theirs.id, mine.referenceMerchantId);
    const unlinked = await token(null, theirs.referenceMerchantId);
    expect(await repository.findOwned(mine, linked)).toBeNull();
    expect(await repository.findOwned(mine, unlinked)).toBeNull();
  });

  it('compares referenceMerchantId byte for byte, trailing spaces included (MySQL collations pad them away)', async () => {
    const merchant = { id: randomUUID(), referenceMerchantId: `REF_${randomUUID().slice(0, 8)}` };
    const padded = await token(null, `${merchant.referenceMerchantId} `);
    expect(await repository.findOwned(merchant, padded)).toBeNull();
    expect((await repository.findOwned({ ...merchant, referenceMerchantId: `${merchant.referenceMerchantId} ` }, padded))?.accessTokenHash).toBe(padded);
  });

  it('finds it inside a transaction too, FOR UPDATE where the engine has row locks', async () => {
    const merchant = { id: randomUUID(), referenceMerchantId: `REF_${randomUUID().slice(0, 8)}` };
    const hash = await token(merchant.id, merchant.referenceMerchantId);
    const found = await dataSource.transaction((em) => repository.findOwned(merchant, hash, { em, forUpdate: true }));
    expect(found?.merchantId).toBe(merchant.id);
  });
});
