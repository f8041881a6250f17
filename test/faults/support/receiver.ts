import http, { type IncomingHttpHeaders } from 'node:http';
import { TEST_KEYS } from '../../support/fixtures';
import { ACK_BODY, webhookToolCheckSignature } from '../../callbacks/callback-receiver';

/** The gateway keys a fault receiver recognises, by name: instances told apart by the key they sign with. */
export const GATEWAY_TEST_KEYS = { acqp: TEST_KEYS.acqpPublic, alipayplus: TEST_KEYS.alipayPlusPublic } as const;
export type GatewayKeyName = keyof typeof GATEWAY_TEST_KEYS;

/** One callback as it arrived: which endpoint (path), which event (notifyId), who signed it, and whether it verified. */
export interface Arrival {
  readonly path: string;
  readonly notifyId: string;
  /** `client-id` header: the client id of the merchant the callback is for. */
  readonly clientId: string;
  /** Verified as the Antom SDKs' WebhookTool.checkSignature does, with the test gateway key (`acqp`). */
  readonly signatureValid: boolean;
  /** Which of GATEWAY_TEST_KEYS the signature verifies with, if any. */
  readonly signedBy: GatewayKeyName | null;
  /** 1-based: how many times this (notifyId, path) pair has arrived, this one included. */
  readonly n: number;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  readonly raw: string;
}

/** How to answer: an HTTP reply, `hang` (never answer; the gateway times out) or `reset` (drop the socket). */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'reset';

export type Responder = (arrival: Arrival) => Answer | Promise<Answer>;

export const acknowledge = (): Answer => ({ status: 200, body: ACK_BODY, headers: { 'content-type': 'application/json' } });
export const acknowledgeAfter =
  (ms: number): Responder =>
  () =>
    new Promise((r) => setTimeout(() => r(acknowledge()), ms));

export interface FaultReceiver {
  readonly arrivals: readonly Arrival[];
  url(path: string): string;
  respondWith(responder: Responder): void;
  /** Arrivals per `${notifyId} ${path}`. */
  counts(): Map<string, number>;
  /** Distinct (notifyId, path) pairs seen. */
  distinct(): number;
  close(): Promise<void>;
}

/**
 * A merchant's callback receiver on 127.0.0.1 serving every endpoint path of a
 * test: counts arrivals by (notifyId, endpoint) and checks each signature as
 * the Antom SDKs' WebhookTool.checkSignature does, with the gateway's public key.
 */
export async function startFaultReceiver(initial: Responder = acknowledge): Promise<FaultReceiver> {
  let responder = initial;
  const arrivals: Arrival[] = [];
  const perPair = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let notifyId: string;
      try {
        notifyId = String(JSON.parse(raw).notifyId ?? '');
      } catch {
        notifyId = '';
      }
      const path = req.url ?? '';
      const key = `${notifyId} ${path}`;
      const n = (perPair.get(key) ?? 0) + 1;
      perPair.set(key, n);
      const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
      const verifiesWith = (key: string) => webhookToolCheckSignature(path, 'POST', header('client-id'), header('request-time'), header('signature'), raw, key);
      const signedBy = (Object.keys(GATEWAY_TEST_KEYS) as GatewayKeyName[]).find((name) => verifiesWith(GATEWAY_TEST_KEYS[name])) ?? null;
      const arrival: Arrival = {
        path,
        notifyId,
        clientId: header('client-id') ?? '',
        signatureValid: signedBy === 'acqp',
        signedBy,
        n,
        headers: req.headers,
        raw,
      };
      arrivals.push(arrival);
      void Promise.resolve(responder(arrival)).then((answer) => {
        if (answer === 'hang') return;
        if (answer === 'reset') return void req.socket.destroy();
        if (!res.destroyed) res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
      });
    });
  });
  // Longer than any test: the gateway's kept-alive sockets are never closed under a request it is about to send.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    arrivals,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    respondWith: (r) => (responder = r),
    counts: () => new Map(perPair),
    distinct: () => perPair.size,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
