import { CircuitBreaker } from '../../src/alipayplus/circuit-breaker';
import { clientFor, newToken, requestFor } from './client-fixtures';
import { startSimulator } from './simulator-server';

describe('AlipayPlusClient connection handling', () => {
  it.each([
    ['not a URL', 'not a url'],
    ['another scheme', 'ftp://127.0.0.1:21'],
  ])('settles a base URL that is %s as UNKNOWN CONNECTION instead of throwing', async (_case, baseUrl) => {
    const sut = clientFor(baseUrl);
    try {
      await expect(sut.cancelToken(requestFor(newToken()))).resolves.toMatchObject({ outcome: { kind: 'UNKNOWN', reason: 'CONNECTION' } });
    } finally {
      sut.close();
    }
  });

  it('reuses one kept-alive socket for sequential calls', async () => {
    const sim = await startSimulator();
    const sut = clientFor(sim.baseUrl);
    try {
      const first = await sut.cancelToken(requestFor(newToken()));
      const second = await sut.cancelToken(requestFor(newToken()));
      expect([first.outcome.kind, second.outcome.kind]).toEqual(['CANCELED', 'CANCELED']);
      expect(sim.connections()).toBe(1);
    } finally {
      sut.close();
      await sim.close();
    }
  });

  it('signs the path with the base URL prefix and reads the base URL on every call', async () => {
    const sim = await startSimulator({ prefix: '/sandbox/alipayplus' });
    let baseUrl = 'http://127.0.0.1:9/not-yet';
    const sut = clientFor('unused', { baseUrl: () => baseUrl });
    try {
      baseUrl = `${sim.baseUrl}/`;
      const token = newToken();
      expect((await sut.cancelToken(requestFor(token))).outcome.kind).toBe('CANCELED');
      expect(sim.simulator.receivedFor(token)[0].path).toBe('/sandbox/alipayplus/aps/api/v1/authorizations/cancelToken');
    } finally {
      sut.close();
      await sim.close();
    }
  });

  it('opens the circuit after consecutive connection failures and stops sending until the cool-down', async () => {
    const sim = await startSimulator();
    // The breaker's own clock, moved by hand; requests keep real time for the simulator's skew check.
    let now = Date.now();
    const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 30_000, now: () => now });
    const sut = clientFor(sim.baseUrl, { breaker });
    sim.simulator.setRule('*', { kind: 'down' });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await sut.cancelToken(requestFor(newToken()))).outcome).toMatchObject({ reason: 'CONNECTION' });
      }
      expect(breaker.state()).toBe('open');
      expect(sim.simulator.received()).toHaveLength(3);

      const refused = await sut.cancelToken(requestFor(newToken()));
      expect(refused).toEqual({ outcome: { kind: 'UNKNOWN', resultCode: 'CIRCUIT_OPEN', reason: 'CIRCUIT_OPEN' }, durationMs: 0 });
      expect(sim.simulator.received()).toHaveLength(3);

      now += 30_000;
      expect(breaker.state()).toBe('half-open');
      sim.simulator.setRule('*', null);
      expect((await sut.cancelToken(requestFor(newToken()))).outcome.kind).toBe('CANCELED');
      expect(breaker.state()).toBe('closed');
      expect(sim.simulator.received()).toHaveLength(4);
    } finally {
      sut.close();
      await sim.close();
    }
  });
});
