/**
 * The ceiling for authNotify ingest: a bare Fastify route, in a process of its
 * own like the gateway, that does only what no gateway can skip: verify the
 * Alipay+ signature over the raw bytes (verifyInboundRequest) and sign a
 * constant answer (signedResponseHeaders). No Nest, no parsing, no database.
 * By default it signs every answer afresh with the bare key, as a plain route
 * would; with --memo it times answers to the whole second and reuses an
 * identical answer's signature within it, as the gateway does (SignatureMemo,
 * formatResponseTime): the fair ceiling for a gateway that does the same.
 *
 *   node dist/bench/support/ceiling.server.js <port> [--memo]
 *
 * Prints `READY <port>` once it listens; SIGTERM closes it.
 */
import Fastify from 'fastify';
import { formatResponseTime, SignatureMemo, signedResponseHeaders, verifyInboundRequest } from '../../src/signing';
import { AUTH_NOTIFY_PATH, BENCH_CLIENT_ID, BENCH_KEYS } from './bench-keys';

/** The gateway's S answer (APS_SUCCESS), byte for byte. */
const S_ANSWER = Buffer.from(JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } }), 'utf8');
const F_ANSWER = Buffer.from(JSON.stringify({ result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'signature' } }), 'utf8');
const SKEW_MS = 300_000;

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  // The gateway's Fastify options that matter for the wire: keep-alive and the body limit.
  const app = Fastify({ logger: false, keepAliveTimeout: 65_000, bodyLimit: 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const publicKeys = [BENCH_KEYS.alipayPlusPublic];
  const memo = process.argv.includes('--memo') ? new SignatureMemo(BENCH_KEYS.acqpPrivate) : null;
  app.post(AUTH_NOTIFY_PATH, (req, reply) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verified = verifyInboundRequest(
      { method: req.method, path: req.url, headers: req.headers, rawBody },
      { publicKeys, nowMs: Date.now(), skewMs: SKEW_MS },
    );
    const body = verified.ok ? S_ANSWER : F_ANSWER;
    const time = memo ? formatResponseTime(new Date()) : new Date().toISOString();
    const headers = signedResponseHeaders({ method: req.method, path: req.url, clientId: BENCH_CLIENT_ID, time, body }, memo ?? BENCH_KEYS.acqpPrivate);
    void reply.status(200).headers(headers).send(body);
  });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : port}\n`);
  const stop = () =>
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`ceiling server failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
