import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { createRootLogger } from '../../src/common/logging/logger';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { loadConfig } from '../../src/config/load-config';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { createApp } from '../../src/create-app';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';

/** Sandbox mode: nothing configured but the database; the built-in simulator is the upstream. */
describe(`sandbox mode on ${testEngine()}`, () => {
  let dataDir: string;
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let config: GatewayConfig;
  let base: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'acqp-sandbox-'));
    db = await createTestDatabase();
    config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: db.url, DATABASE_MIGRATE_ON_START: 'true', LOG_LEVEL: 'silent', PORT: '0' });
    app = await createApp(config, { logger: createRootLogger('silent') });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tokenRow = (token: string) =>
    app.get(DataSource).manager.findOne(AuthorizationEntity, { where: { accessTokenHash: app.get(TokenVault).lookupHash('access-token', token) } });

  it('points Alipay+ at the built-in simulator on its own port', () => {
    expect(config.mode).toBe('sandbox');
    expect(config.alipayPlus.baseUrl).toBe(`${base}/sandbox/alipayplus`);
  });

  it('receives the simulator’s signed notifications for a new authorization and a wallet-side cancel', async () => {
    const issued = (await (
      await fetch(`${base}/sandbox/alipayplus/_simulator/authorizations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ referenceMerchantId: '218800000000SANDBOX' }),
      })
    ).json()) as { accessToken: string };
    expect(issued.accessToken).toEqual(expect.any(String));
    expect(await tokenRow(issued.accessToken)).toMatchObject({ status: 'ACTIVE', referenceMerchantId: '218800000000SANDBOX' });

    const cancel = await fetch(`${base}/sandbox/alipayplus/_simulator/wallet-cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken: issued.accessToken }),
    });
    expect(cancel.status).toBe(200);
    expect(await tokenRow(issued.accessToken)).toMatchObject({ status: 'CANCELED', cancelSource: 'PSP' });
  });
});
