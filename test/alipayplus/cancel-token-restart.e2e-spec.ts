import { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { CancelTokenAttemptEntity, CancelTokenJobEntity } from '../../src/authorizations/cancel-token-job.entity';
import { CancelTokenWorker } from '../../src/authorizations/cancel-token.worker';
import { ManualClock } from '../../src/common/clock';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { seedMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/test-database';
import { startSimulator, type RunningSimulator } from './simulator-server';

/** The cancelToken retry state is durable: a new gateway process resumes what the last one left. */
describe(`cancelToken retries across a restart on ${testEngine()}`, () => {
  const clock = new ManualClock(new Date());
  let db: TestDatabase;
  let sim: RunningSimulator;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startSimulator({ now: () => clock.now().getTime(), echoAcquirerCancel: false });
  });
  afterAll(async () => {
    await sim.close();
    await db.drop();
  });

  const start = () => startTestApp({ db, clock, env: { ALIPAYPLUS_BASE_URL: sim.baseUrl, REVOKE_BUDGET_MS: '300', CANCEL_TOKEN_POLL_MS: '20' } });

  async function until(app: TestApp, done: () => Promise<boolean>) {
    const deadline = Date.now() + 15_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('did not settle in time');
      clock.advance(5_000);
      await app.app.get(CancelTokenWorker).runOnce();
    }
  }

  it('resumes U retries after a restart, always with the same accessToken, until Alipay+ answers S', async () => {
    const first = await start();
    const merchant = await seedMerchant(first.app);
    const n = notificationSet(merchant.referenceMerchantId);
    await postSigned(first.baseUrl, '/aps/api/v1/authorizations/authNotify', n.tokenCreated, { requestTime: clock.now().toISOString() });
    sim.simulator.setRule(n.accessToken, { kind: 'failTimesThenSucceed', times: 4, with: 'unknown' });

    const answer = await postSigned(first.baseUrl, '/ams/api/v1/authorizations/revoke', JSON.stringify({ accessToken: n.accessToken }, null, 3), {
      privateKey: merchant.privateKey,
      clientId: merchant.clientId,
      requestTime: clock.now().toISOString(),
    });
    expect(answer.json.result.resultStatus).toBe('U');
    await until(first, async () => sim.simulator.receivedFor(n.accessToken).length >= 2);
    await first.close();
    const beforeRestart = sim.simulator.receivedFor(n.accessToken).length;
    expect(beforeRestart).toBeGreaterThanOrEqual(2);
    expect(beforeRestart).toBeLessThan(5);

    const second = await start();
    try {
      const row = () =>
        second.app.get(DataSource).manager.findOneOrFail(AuthorizationEntity, {
          where: { accessTokenHash: second.app.get(TokenVault).lookupHash('access-token', n.accessToken) },
        });
      await until(second, async () => (await row()).status === 'CANCELED');
      const calls = sim.simulator.receivedFor(n.accessToken);
      expect(calls).toHaveLength(5);
      expect(calls.every((c) => c.signatureValid && JSON.parse(c.rawBody).accessToken === n.accessToken)).toBe(true);
      const job = await second.app.get(DataSource).manager.findOneOrFail(CancelTokenJobEntity, { where: { authorizationId: (await row()).id } });
      expect(job).toMatchObject({ status: 'SUCCEEDED', attemptCount: 5, lastResultStatus: 'S' });
      expect(await second.app.get(DataSource).manager.count(CancelTokenAttemptEntity, { where: { jobId: job.id } })).toBe(5);
    } finally {
      await second.close();
    }
  });

  it('frees the lease of an instance that died mid-attempt and retries the job', async () => {
    const app = await start();
    try {
      const merchant = await seedMerchant(app.app);
      const n = notificationSet(merchant.referenceMerchantId);
      await postSigned(app.baseUrl, '/aps/api/v1/authorizations/authNotify', n.tokenCreated, { requestTime: clock.now().toISOString() });
      const em = app.app.get(DataSource).manager;
      const row = await em.findOneOrFail(AuthorizationEntity, {
        where: { accessTokenHash: app.app.get(TokenVault).lookupHash('access-token', n.accessToken) },
      });
      // What a process killed between claim and completion leaves behind.
      const now = clock.now();
      await em.update(AuthorizationEntity, { id: row.id }, { status: 'CANCELING' });
      await em.insert(CancelTokenJobEntity, {
        id: '00000000-0000-4000-8000-000000000001',
        authorizationId: row.id,
        merchantId: merchant.id,
        merchantAccountId: null,
        status: 'LEASED',
        passThroughInfo: null,
        attemptCount: 0,
        nextAttemptAt: now,
        leaseOwner: 'dead-instance',
        leaseExpiresAt: new Date(now.getTime() + 30_000),
        leaseVersion: 1,
        lastResultStatus: null,
        lastResultCode: null,
        settledAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await app.app.get(CancelTokenWorker).runOnce();
      expect(sim.simulator.receivedFor(n.accessToken)).toHaveLength(0);
      expect((await em.findOneByOrFail(CancelTokenJobEntity, { authorizationId: row.id })).status).toBe('LEASED');
      await until(app, async () => (await em.findOneByOrFail(AuthorizationEntity, { id: row.id })).status === 'CANCELED');
      expect(sim.simulator.receivedFor(n.accessToken)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
