/**
 * Standalone Alipay+ simulator: `node dist/scripts/alipayplus-simulator.js`.
 *
 *   SIMULATOR_PORT              default 8181
 *   SIMULATOR_HOST              default 127.0.0.1
 *   SIMULATOR_PRIVATE_KEY_FILE  default data/sandbox/alipayplus-simulator-private.pem (signs as Alipay+)
 *   ACQP_PUBLIC_KEY_FILE        default data/sandbox/acqp-public.pem (verifies the gateway)
 *   ALIPAYPLUS_CLIENT_ID        default SANDBOX_ACQP_GATEWAY (the gateway's sandbox client id)
 *   GATEWAY_BASE_URL            default http://127.0.0.1:8080 (where authNotify goes)
 *   LOG_LEVEL                   default info
 *
 * A development tool, so it reads its environment here rather than through
 * src/config. Drive it with the JSON routes under /_simulator/.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify from 'fastify';
import { AlipayPlusSimulator } from '../src/alipayplus/simulator';
import { originForm } from '../src/http/request-target';
import { loadPrivateKey, loadPublicKey } from '../src/signing';

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.SIMULATOR_PORT ?? 8181);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('SIMULATOR_PORT must be a port number');
  const sandboxDir = resolve('data', 'sandbox');
  const privateKeyFile = env.SIMULATOR_PRIVATE_KEY_FILE ?? resolve(sandboxDir, 'alipayplus-simulator-private.pem');
  const acqpKeyFile = env.ACQP_PUBLIC_KEY_FILE ?? resolve(sandboxDir, 'acqp-public.pem');

  const simulator = new AlipayPlusSimulator({
    simulatorPrivateKey: loadPrivateKey(readKey(privateKeyFile, 'SIMULATOR_PRIVATE_KEY_FILE')),
    acqpPublicKeys: [loadPublicKey(readKey(acqpKeyFile, 'ACQP_PUBLIC_KEY_FILE'))],
    clientId: env.ALIPAYPLUS_CLIENT_ID ?? 'SANDBOX_ACQP_GATEWAY',
    gatewayBaseUrl: env.GATEWAY_BASE_URL ?? 'http://127.0.0.1:8080',
  });
  const app = Fastify({ logger: { level: env.LOG_LEVEL ?? 'info' }, rewriteUrl: (req) => originForm(req.url ?? '/') });
  await app.register(simulator.plugin());
  await app.listen({ port, host: env.SIMULATOR_HOST ?? '127.0.0.1' });

  const shutdown = async () => {
    simulator.stop();
    await app.close();
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

function readKey(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    // Sandbox material appears on the gateway's first sandbox start.
    throw new Error(
      `${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); start the gateway in sandbox mode once, or set the variable`,
      { cause: err },
    );
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'simulator failed to start', err: { message: err.message } })}\n`);
  process.exit(1);
});
