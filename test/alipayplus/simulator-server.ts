import Fastify, { type FastifyInstance } from 'fastify';
import { AlipayPlusSimulator, type AlipayPlusSimulatorOptions } from '../../src/alipayplus/simulator';
import { loadPrivateKey, loadPublicKey } from '../../src/signing';
import { TEST_CLIENT_ID, TEST_KEYS } from '../support/fixtures';

export interface StartSimulatorOptions extends Partial<AlipayPlusSimulatorOptions> {
  /** Mount the plugin under this prefix (e.g. `/sandbox/alipayplus`); baseUrl includes it. Default none. */
  prefix?: string;
}

export interface RunningSimulator {
  simulator: AlipayPlusSimulator;
  /** `http://127.0.0.1:<port>[prefix]`: give it to AlipayPlusClient as its base URL. */
  baseUrl: string;
  server: FastifyInstance;
  /** TCP connections the server has accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A standalone Fastify with the simulator plugin on 127.0.0.1, an ephemeral
 * port, signing as Alipay+ with the test keys and expecting the ACQP test
 * key and TEST_CLIENT_ID unless told otherwise.
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const { prefix, ...overrides } = options;
  const simulator = new AlipayPlusSimulator({
    simulatorPrivateKey: loadPrivateKey(TEST_KEYS.alipayPlusPrivate),
    acqpPublicKeys: [loadPublicKey(TEST_KEYS.acqpPublic)],
    clientId: TEST_CLIENT_ID,
    ...overrides,
  });
  const server = Fastify({ logger: false });
  let connections = 0;
  server.server.on('connection', () => (connections += 1));
  await server.register(simulator.plugin(), prefix ? { prefix } : {});
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    simulator,
    baseUrl: `http://127.0.0.1:${port}${prefix ?? ''}`,
    server,
    connections: () => connections,
    close: async () => {
      simulator.stop();
      await server.close();
    },
  };
}
