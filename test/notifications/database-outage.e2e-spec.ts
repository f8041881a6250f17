import { DataSource } from 'typeorm';
import { AuthCodeEntity } from '../../src/authorizations/auth-code.entity';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { EventEntity } from '../../src/callbacks/event.entity';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { startSimulator, type RunningSimulator } from '../alipayplus/simulator-server';
import { databaseOutage } from '../support/database-outage';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

/** Alipay+ retries what we did not acknowledge; with the database away we must not acknowledge anything. */
describe(`authNotify while the database is away on ${testEngine()}`, () => {
  let sim: RunningSimulator;
  let sut: TestApp;

  beforeAll(async () => {
    sim = await startSimulator({ retrySchedule: [0, 60_000, 60_000, 60_000, 60_000, 60_000] });
    sut = await startTestApp({ env: { ALIPAYPLUS_BASE_URL: sim.baseUrl } });
    sim.simulator.setGatewayBaseUrl(sut.baseUrl);
  });
  afterAll(async () => {
    await sut.close();
    await sim.close();
  });

  it('answers non-S while it is down, and after it is back the simulator’s retries land and nothing is missing', async () => {
    const dataSource = sut.app.get(DataSource);
    const outage = databaseOutage(dataSource);
    const issued = [];
    await outage.stop();
    try {
      for (let i = 0; i < 5; i++) issued.push(await sim.simulator.issueAuthorization({ referenceMerchantId: '2188OUTAGE00001' }));
      await sim.simulator.cancelFromWallet(issued[0].accessToken);
      const attempts = sim.simulator.notificationAttempts();
      expect(attempts.length).toBe(11);
      expect(attempts.every((a) => !a.acknowledged)).toBe(true);
      expect(sim.simulator.pendingNotifications().length).toBe(11);
    } finally {
      await outage.start();
    }

    // Alipay+ comes back with its retries; everything lands exactly once.
    for (let round = 0; round < 10 && sim.simulator.pendingNotifications().length > 0; round++) await sim.simulator.flushRetries();
    expect(sim.simulator.pendingNotifications()).toEqual([]);

    const em = sut.app.get(DataSource).manager;
    const vault = sut.app.get(TokenVault);
    for (const [i, auth] of issued.entries()) {
      const row = await em.findOneOrFail(AuthorizationEntity, { where: { accessTokenHash: vault.lookupHash('access-token', auth.accessToken) } });
      expect(row.status).toBe(i === 0 ? 'CANCELED' : 'ACTIVE');
      expect(await em.count(AuthCodeEntity, { where: { authCodeHash: vault.lookupHash('auth-code', auth.authCode) } })).toBe(1);
    }
    const first = await em.findOneOrFail(AuthorizationEntity, { where: { accessTokenHash: vault.lookupHash('access-token', issued[0].accessToken) } });
    expect(await em.count(EventEntity, { where: { authorizationId: first.id, eventType: 'TOKEN_CANCELED' } })).toBe(1);
  });
});
