import { createPublicKey, verify } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';

export interface ReceivedCallback {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  readonly raw: string;
  readonly json: any;
}

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** How the receiver answers its n-th request (1-based): a reply, or 'hang' (never answers) or 'hold' (answers ACK once released). */
export type Behaviour = (n: number, request: ReceivedCallback) => Reply | 'hang' | 'hold';

export const ACK_BODY = JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });
export const ack = (): Reply => ({ status: 200, body: ACK_BODY, headers: { 'content-type': 'application/json' } });

export const behaviours = {
  ok: (): Behaviour => () => ack(),
  always:
    (reply: Reply): Behaviour =>
    () =>
      reply,
  failTimes:
    (times: number, reply: Reply = { status: 500, body: 'boom' }): Behaviour =>
    (n) =>
      n <= times ? reply : ack(),
  notS: (): Behaviour => () => ({ status: 200, body: JSON.stringify({ result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: 'no' } }) }),
  hang: (): Behaviour => () => 'hang',
  hold: (): Behaviour => () => 'hold',
};

export interface Receiver {
  readonly received: ReceivedCallback[];
  /** Most requests this receiver had open at once. */
  readonly maxConcurrent: number;
  /** Requests open now. */
  readonly open: number;
  url(path?: string): string;
  setBehaviour(b: Behaviour): void;
  /** Answers every held request with an ACK, and later ones at once. */
  release(): void;
  close(): Promise<void>;
}

/** A merchant's callback receiver on 127.0.0.1, an ephemeral port, recording every request. */
export async function startReceiver(initial: Behaviour = behaviours.ok()): Promise<Receiver> {
  let behaviour = initial;
  let released = false;
  const held: Array<() => void> = [];
  const received: ReceivedCallback[] = [];
  let open = 0;
  let maxConcurrent = 0;
  const server = http.createServer((req, res) => {
    open++;
    maxConcurrent = Math.max(maxConcurrent, open);
    res.on('close', () => open--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const request = { path: req.url ?? '', headers: req.headers, raw, json };
      received.push(request);
      const reply = behaviour(received.length, request);
      if (reply === 'hang') return;
      const send = (r: Reply) => res.writeHead(r.status, r.headers ?? {}).end(r.body ?? '');
      if (reply === 'hold' && !released) held.push(() => send(ack()));
      else send(reply === 'hold' ? ack() : reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    received,
    get maxConcurrent() {
      return maxConcurrent;
    },
    get open() {
      return open;
    },
    url: (path = '/hooks/antom') => `http://127.0.0.1:${port}${path}`,
    setBehaviour: (b) => (behaviour = b),
    release: () => {
      released = true;
      for (const answer of held.splice(0)) answer();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The Antom SDKs' `WebhookTool.checkSignature(requestUri, httpMethod, clientId,
 * requestTime, signature, notifyBody, publicKey)`, re-done from the Java code
 * in antom-revoke-authorization.md: the part after `signature=`, URL-decoded
 * (java.net.URLDecoder: `+` is a space), base64-decoded, verified with
 * SHA256withRSA over `<method> <requestUri>\n<clientId>.<requestTime>.<body>`.
 */
export function webhookToolCheckSignature(
  requestUri: string,
  httpMethod: string,
  clientId: string | undefined,
  requestTime: string | undefined,
  signature: string | undefined,
  notifyBody: string,
  publicKeyPem: string,
): boolean {
  if (!signature || !clientId || !requestTime) return false;
  const parts = signature.split('signature=');
  const realSignature = parts.length > 1 ? parts[1] : '';
  const urlDecoded = decodeURIComponent(realSignature.replace(/\+/g, ' '));
  const content = `${httpMethod} ${requestUri}\n${clientId}.${requestTime}.${notifyBody}`;
  return verify('sha256', Buffer.from(content, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(urlDecoded, 'base64'));
}

/** Polls a condition over real time, for I/O the test does not drive (background sends, held requests). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
