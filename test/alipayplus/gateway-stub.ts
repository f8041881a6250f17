import { EventEmitter } from 'node:events';
import type { KeyObject } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { AUTH_NOTIFY_PATH } from '../../src/alipayplus/cancel-token.transformers';
import { loadPrivateKey, signedResponseHeaders } from '../../src/signing';
import { TEST_KEYS } from '../support/fixtures';

/** How the stub answers authNotify. */
export type StubMode = 'signed-S' | 'unsigned-S' | 'signed-F' | 'http500' | 'wrong-key-S';

export interface StubNotification {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: Record<string, unknown>;
}

export interface GatewayStub {
  /** `http://127.0.0.1:<port>`: the simulator's gatewayBaseUrl. */
  baseUrl: string;
  received: StubNotification[];
  setMode(mode: StubMode): void;
  /** Resolves with the first notification (already received or still to come) that matches. */
  waitFor(match: (n: StubNotification) => boolean): Promise<StubNotification>;
  close(): Promise<void>;
}

const ACK = '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';
const NACK = '{"result":{"resultCode":"PROCESS_FAIL","resultStatus":"F","resultMessage":"not stored"}}';

/**
 * A tiny stand-in for the gateway's authNotify route: keeps every raw body
 * and answers as told, signing with the ACQP test key like the real one.
 */
export async function startGatewayStub(mode: StubMode = 'signed-S'): Promise<GatewayStub> {
  const acqpPrivate = loadPrivateKey(TEST_KEYS.acqpPrivate);
  const wrongKey: KeyObject = loadPrivateKey(TEST_KEYS.alipayPlusPrivate);
  const app: FastifyInstance = Fastify({ logger: false });
  const events = new EventEmitter();
  const received: StubNotification[] = [];
  let current = mode;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post(AUTH_NOTIFY_PATH, async (request, reply) => {
    const raw = (request.body as Buffer).toString('utf8');
    const notification = { path: request.url, headers: { ...request.headers }, rawBody: raw, body: JSON.parse(raw) };
    received.push(notification);
    events.emit('notification', notification);
    if (current === 'http500') return reply.code(500).send('oops');
    const body = current === 'signed-F' ? NACK : ACK;
    if (current === 'unsigned-S') return reply.code(200).header('content-type', 'application/json').send(body);
    const clientId = String(request.headers['client-id']);
    const message = { method: 'POST', path: request.url, clientId, time: new Date().toISOString(), body };
    return reply
      .code(200)
      .headers(signedResponseHeaders(message, current === 'wrong-key-S' ? wrongKey : acqpPrivate))
      .send(body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    setMode: (next) => (current = next),
    waitFor: (match) => {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => {
        const listener = (n: StubNotification) => {
          if (!match(n)) return;
          events.off('notification', listener);
          resolve(n);
        };
        events.on('notification', listener);
      });
    },
    close: () => app.close(),
  };
}
