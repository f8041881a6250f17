import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { AuthorizationRepository } from '../../src/authorizations/authorization.repository';
import { insertRow } from '../../src/database/raw-rows';
import { authorizationRow, openMigratedDataSource } from '../support/database-layer';
import { testEngine } from '../support/test-database';

/** findOwned: a merchant finds its own tokens, in SQL, and nobody else's, byte for byte on both engines. */
describe(`AuthorizationRepository.findOwned on ${testEngine()}`, () => {
  let database: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dataSource: DataSource;
  let repository: AuthorizationRepository;

  beforeAll(async () => {
    database = await openMigratedDataSource();
    dataSource = database.dataSource;
    repository = new AuthorizationRepository(dataSource);
  });
  afterAll(() => database.close());

  async function token(merchantId: string | null, referenceMerchantId: string): Promise<string> {
    const row = authorizationRow({ merchantId, referenceMerchantId });
    await dataSource.transaction((em) => insertRow(em, AuthorizationEntity, row));
    return row.accessTokenHash;
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
