/**
 * Merchant callback receivers for the fan-out bench, in a process of their
 * own: one HTTP server per port on 127.0.0.1, each answering any
 * `POST /r/<n>` (endpoint n). Every callback's signature is checked as the
 * Antom SDKs' `WebhookTool.checkSignature` does (or, for an endpoint given a
 * Standard Webhooks secret, by the standardwebhooks package), then it is acknowledged S
 * (200, `result.resultStatus` = S), and recorded: arrival time, endpoint,
 * notifyId, accessToken, signature valid.
 *
 *   node dist/bench/support/fanout-receiver.server.js <ports> <public-key-pem-file>
 *
 * Prints `READY <port>,<port>,...` once every server listens. Control routes
 * (any port): GET /_count, GET /_dump?from=<i>, POST /_reset, POST /_secret?n=<endpoint>&secret=<whsec_...>, POST /_secret?clear=1.
 * Arrival times are epoch ms with µs precision (performance.timeOrigin +
 * performance.now()), comparable with the bench process's.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

const ACK = Buffer.from(JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } }), 'utf8');
const NOT_VERIFIED = Buffer.from(JSON.stringify({ result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'signature' } }), 'utf8');
/** Most callbacks recorded between two resets (the bench expects 100,000 per phase). */
const MAX_RECORDS = 2_000_000;
/** Largest body read; a callback is under 1 KiB. */
const MAX_BODY = 64 * 1024;
/** Records per /_dump page. */
const DUMP_PAGE = 50_000;

const now = () => performance.timeOrigin + performance.now();

/**
 * `WebhookTool.checkSignature(requestUri, httpMethod, clientId, requestTime,
 * signature, notifyBody, publicKey)` from the Antom Java SDK: the part after
 * `signature=`, URL-decoded (java.net.URLDecoder: `+` is a space),
 * base64-decoded, SHA256withRSA over `<method> <requestUri>\n<clientId>.<requestTime>.<body>`.
 */
function checkSignature(
  requestUri: string,
  method: string,
  clientId: unknown,
  requestTime: unknown,
  signature: unknown,
  body: string,
  key: KeyObject,
): boolean {
  if (typeof signature !== 'string' || typeof clientId !== 'string' || typeof requestTime !== 'string') return false;
  const parts = signature.split('signature=');
  const real = parts.length > 1 ? parts[1] : '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(real.replace(/\+/g, ' '));
  } catch {
    return false;
  }
  const content = `${method} ${requestUri}\n${clientId}.${requestTime}.${body}`;
  return verify('sha256', Buffer.from(content, 'utf8'), key, Buffer.from(decoded, 'base64'));
}

function verifiesAsStandardWebhook(webhook: Webhook, raw: string, headers: http.IncomingHttpHeaders): boolean {
  try {
    webhook.verify(raw, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

/** One callback as recorded: arrival (epoch ms), endpoint, notifyId, accessToken, signature valid. */
type Received = [number, number, string, string, boolean];

async function main(): Promise<void> {
  const portCount = Number(process.argv[2] ?? 1);
  const key = createPublicKey(readFileSync(process.argv[3], 'utf8'));
  if (!Number.isInteger(portCount) || portCount < 1 || portCount > 64) throw new Error('ports must be 1..64');
  let records: Received[] = [];
  /** Endpoints that sign with Standard Webhooks: their secret's verifier (the standardwebhooks package's own). */
  const secrets = new Map<number, Webhook>();

  const control = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const from = Math.max(0, Number(url.searchParams.get('from') ?? 0));
    if (url.pathname === '/_count') json({ count: records.length });
    else if (url.pathname === '/_dump') json({ total: records.length, records: records.slice(from, from + DUMP_PAGE) });
    else if (url.pathname === '/_reset' && req.method === 'POST') json({ reset: (records = []).length });
    else if (url.pathname === '/_secret' && req.method === 'POST' && url.searchParams.has('clear')) json({ cleared: secrets.clear() === undefined });
    else if (url.pathname === '/_secret' && req.method === 'POST')
      json({ endpoints: secrets.set(Number(url.searchParams.get('n')), new Webhook(url.searchParams.get('secret') ?? '')).size });
    else res.writeHead(404).end();
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = req.url ?? '/';
    if (path.startsWith('/_')) {
      req.resume();
      req.on('end', () => control(req, res, new URL(path, 'http://x')));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const at = now();
      const m = /^\/r\/(\d+)$/.exec(path);
      if (req.method !== 'POST' || !m || size > MAX_BODY) {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const webhook = secrets.get(Number(m[1]));
      const ok = webhook
        ? verifiesAsStandardWebhook(webhook, raw, req.headers)
        : checkSignature(path, 'POST', req.headers['client-id'], req.headers['request-time'], req.headers.signature, raw, key);
      let notifyId = '';
      let token = '';
      try {
        const body = JSON.parse(raw) as { notifyId?: unknown; accessToken?: unknown };
        notifyId = typeof body.notifyId === 'string' ? body.notifyId : '';
        token = typeof body.accessToken === 'string' ? body.accessToken : '';
      } catch {
        // recorded with empty ids: counted as unexpected by the bench
      }
      if (records.length < MAX_RECORDS) records.push([at, Number(m[1]), notifyId, token, ok]);
      // A merchant acknowledges only what it verified; an F makes the sender retry.
      const answer = ok ? ACK : NOT_VERIFIED;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.length) }).end(answer);
    });
  };

  const servers = await Promise.all(
    Array.from(
      { length: portCount },
      () =>
        new Promise<http.Server>((resolve, reject) => {
          const server = http.createServer({ keepAliveTimeout: 65_000 }, handler);
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  process.stdout.write(`READY ${ports.join(',')}\n`);
  const stop = () => {
    for (const s of servers) s.closeAllConnections();
    void Promise.all(servers.map((s) => new Promise((r) => s.close(r)))).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fan-out receiver failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
