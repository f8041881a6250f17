import Fastify, { type FastifyInstance } from 'fastify';
import { AlipayPlusSimulator, type AlipayPlusSimulatorOptions } from '../../../src/alipayplus/simulator';
import { loadPrivateKey, loadPublicKey } from '../../../src/signing';
import { TEST_CLIENT_ID, TEST_KEYS } from '../../support/fixtures';

/**
 * The Alipay+ simulator on its own port in the test process, whose HTTP
 * server can go away and come back on the same port while the simulator
 * object (token registry, rules, pending notifications) lives on: Alipay+
 * unreachable for a while, not Alipay+ forgetting.
 */
export interface FaultSimulator {
  readonly simulator: AlipayPlusSimulator;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the gateway's ALIPAYPLUS_BASE_URL. */
  readonly baseUrl: string;
  /** Closes the listening socket and drops every open connection (the simulator's state is kept). */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  /** Stops retries and closes the server for good. */
  close(): Promise<void>;
}

export async function startFaultSimulator(options: Partial<AlipayPlusSimulatorOptions> = {}): Promise<FaultSimulator> {
  const simulator = new AlipayPlusSimulator({
    simulatorPrivateKey: loadPrivateKey(TEST_KEYS.alipayPlusPrivate),
    acqpPublicKeys: [loadPublicKey(TEST_KEYS.acqpPublic)],
    clientId: TEST_CLIENT_ID,
    ...options,
  });
  const listen = async (port: number) => {
    const server = Fastify({ logger: false, forceCloseConnections: true });
    await server.register(simulator.plugin());
    await server.listen({ port, host: '127.0.0.1' });
    return server;
  };
  let server: FastifyInstance | null = await listen(0);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const down = async () => {
    const s = server;
    server = null;
    if (s) await s.close();
  };
  return {
    simulator,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    goDown: down,
    comeBack: async () => {
      if (!server) server = await listen(port);
    },
    close: async () => {
      simulator.stop();
      await down();
    },
  };
}

/** Flushes the simulator's notification retries until none is pending (each round is one attempt of each). */
export async function drainNotifications(simulator: AlipayPlusSimulator, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (simulator.pendingNotifications().length > 0) {
    if (Date.now() > deadline) throw new Error(`${simulator.pendingNotifications().length} notifications still not acknowledged after ${ms} ms`);
    await simulator.flushRetries();
    if (simulator.pendingNotifications().length > 0) await new Promise((r) => setTimeout(r, 100));
  }
}
