/**
 * The Alipay+ simulator standalone (its Fastify plugin on a bare Fastify, in a
 * process of its own), signing as Alipay+ with the test keys and expecting
 * the ACQP test key, as test/alipayplus/simulator-server.ts sets it up.
 *
 *   node dist/bench/support/simulator.server.js <port> <gatewayBaseUrl|-> [--no-echo]
 *
 * After each cancelToken S it sends TOKEN_CANCELED (ACQUIRER) to the gateway,
 * as Alipay+ does, unless --no-echo. Prints `READY <port>` once it listens.
 */
import Fastify from 'fastify';
import { AlipayPlusSimulator } from '../../src/alipayplus/simulator';
import { BENCH_CLIENT_ID, BENCH_KEYS } from './bench-keys';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  const gateway = process.argv[3] && process.argv[3] !== '-' ? process.argv[3] : undefined;
  const simulator = new AlipayPlusSimulator({
    simulatorPrivateKey: BENCH_KEYS.alipayPlusPrivate,
    acqpPublicKeys: [BENCH_KEYS.acqpPublic],
    clientId: BENCH_CLIENT_ID,
    gatewayBaseUrl: gateway,
    echoAcquirerCancel: !process.argv.includes('--no-echo'),
  });
  const app = Fastify({ logger: false, keepAliveTimeout: 65_000 });
  await app.register(simulator.plugin());
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : port}\n`);
  const stop = () => {
    simulator.stop();
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
