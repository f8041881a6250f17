/**
 * `npm run demo`: the whole story on a fresh clone with nothing configured.
 *
 * Starts the gateway in sandbox mode (its own temporary data folder and port,
 * the built-in Alipay+ simulator upstream), onboards a merchant with three
 * sub-merchants through the admin API, gives each sub-merchant a local
 * receiver that verifies every callback's signature, and plays: a user binds
 * a wallet (AUTHCODE_CREATED, TOKEN_CREATED), the merchant revokes through the
 * signed Antom-style API (Alipay+ cancelToken, then its ACQUIRER echo), a
 * second user unbinds in the wallet (TOKEN_CANCELED, PSP), and one receiver
 * fails twice before it recovers. Prints a timeline and a summary, and exits
 * non-zero if anything in the story is wrong.
 *
 * A development tool: it reads nothing but its own flags and keeps the
 * callback retry schedule short (2 s steps) so the recovery is seen in
 * seconds rather than Alipay+'s minutes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPublicKey, parseSignatureHeader, signMessage, verifyMessage } from '../src/signing';

const MAIN = resolve(__dirname, '..', 'src', 'main.js');
const REFERENCE_MERCHANT_ID = '2188000000DEMO01';
const started = Date.now();
const timeline: string[] = [];
const failures: string[] = [];

function note(actor: string, what: string): void {
  const line = `${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s  ${actor.padEnd(14)} ${what}`;
  timeline.push(line);
  process.stdout.write(`${process.stdout.isTTY ? '\r\x1b[K' : ''}${line}\n`);
}

function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
  note(ok ? 'check ✔' : 'check ✘', what);
}

/** A spinner for anything that may take more than a second. */
async function progress<T>(label: string, work: Promise<T>): Promise<T> {
  const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
  let i = 0;
  const tty = process.stdout.isTTY;
  const timer = setInterval(() => tty && process.stdout.write(`\r\x1b[K${frames[i++ % frames.length]} ${label}`), 100);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    if (tty) process.stdout.write('\r\x1b[K');
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Received {
  notifyId: string;
  type: string;
  source?: string;
  signatureValid: boolean;
  accessToken: string;
}

/** The demo merchant's client id: it signs its API calls under it, and checks its callbacks under it. */
const MERCHANT_CLIENT_ID = 'MERCHANT_DEMO_0001';

/**
 * A sub-merchant's callback receiver: verifies the signature as the Antom SDKs'
 * WebhookTool.checkSignature does, under the merchant's own client id.
 */
function startReceiver(name: string, gatewayKey: KeyObject, failFirst: number): Promise<{ url: string; server: Server; got: Received[] }> {
  const got: Received[] = [];
  let seen = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen++;
      if (seen <= failFirst) {
        note(name, `answers 500 to attempt ${seen} (scripted outage)`);
        res.writeHead(500).end('down for maintenance');
        return;
      }
      const sig = parseSignatureHeader(String(req.headers.signature ?? ''));
      const valid =
        sig !== null &&
        verifyMessage({ method: 'POST', path: req.url ?? '/', clientId: MERCHANT_CLIENT_ID, time: String(req.headers['request-time']), body }, sig.signature, [
          gatewayKey,
        ]);
      const payload = JSON.parse(body) as { notifyId: string; authorizationNotifyType: string; tokenCancelSource?: string; accessToken: string };
      got.push({
        notifyId: payload.notifyId,
        type: payload.authorizationNotifyType,
        source: payload.tokenCancelSource,
        signatureValid: valid,
        accessToken: payload.accessToken,
      });
      note(
        name,
        `got ${payload.authorizationNotifyType}${payload.tokenCancelSource ? ` (${payload.tokenCancelSource})` : ''}, signature ${valid ? 'valid' : 'INVALID'}`,
      );
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } }));
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      ok({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/callbacks/${name}`, server, got });
    }),
  );
}

function startGateway(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CALLBACK_RETRY_SCHEDULE: '0s,2s,2s,5s,10s',
      CALLBACK_POLL_MS: '250',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return until('the gateway to listen', async () => {
    if (child.exitCode !== null) throw new Error(`gateway exited:\n${out}`);
    const m = /"port":(\d+)[^\n]*"msg":"gateway listening"/.exec(out);
    return m ? { child, base: `http://127.0.0.1:${m[1]}` } : undefined;
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-demo-'));
  const receivers: Array<Awaited<ReturnType<typeof startReceiver>>> = [];
  let gateway: ChildProcess | undefined;
  try {
    const gw = await progress('starting the gateway in sandbox mode', startGateway(dataDir));
    gateway = gw.child;
    note('gateway', `sandbox mode on ${gw.base} (data in ${dataDir})`);
    const sandbox = join(dataDir, 'sandbox');
    const adminToken = readFileSync(join(sandbox, 'admin-api-token'), 'utf8').trim();
    const gatewayKey = loadPublicKey(readFileSync(join(sandbox, 'gateway-public.pem'), 'utf8'));

    const admin = async (method: string, path: string, body?: object) => {
      const res = await fetch(`${gw.base}/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = (await res.json()) as any;
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    };
    const simulator = async (path: string, body: object) =>
      (await (
        await fetch(`${gw.base}/sandbox/alipayplus/_simulator/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as any;

    // Onboarding, as an operator does it.
    const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const merchant = await admin('POST', '/merchants', {
      referenceMerchantId: REFERENCE_MERCHANT_ID,
      name: 'Demo Shop',
      clientId: MERCHANT_CLIENT_ID,
      publicKey: merchantKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    note('operator', `onboarded merchant ${merchant.name} (${merchant.clientId})`);
    for (const [i, name] of ['shop-north', 'shop-south', 'shop-east'].entries()) {
      const receiver = await startReceiver(name, gatewayKey, i === 2 ? 2 : 0);
      receivers.push(receiver);
      const sub = await admin('POST', `/merchants/${merchant.id}/sub-merchants`, { merchantAccountId: name.toUpperCase(), name });
      await admin('POST', `/merchants/${merchant.id}/endpoints`, { subMerchantId: sub.id, url: receiver.url, eventTypes: ['TOKEN_CANCELED'] });
      note('operator', `sub-merchant ${name} with callback ${receiver.url}`);
    }

    // Two users bind their wallets: Alipay+ tells us AUTHCODE_CREATED, then TOKEN_CREATED.
    const first = await simulator('authorizations', { referenceMerchantId: REFERENCE_MERCHANT_ID });
    note('Alipay+', `AUTHCODE_CREATED and TOKEN_CREATED for user 1 (token ${first.accessToken.slice(0, 6)}…)`);
    const second = await simulator('authorizations', { referenceMerchantId: REFERENCE_MERCHANT_ID });
    note('Alipay+', `AUTHCODE_CREATED and TOKEN_CREATED for user 2 (token ${second.accessToken.slice(0, 6)}…)`);
    for (const [n, t] of [first, second].entries()) {
      const found = await admin('POST', '/tokens/lookup', { accessToken: t.accessToken });
      check(found.token.status === 'ACTIVE', `user ${n + 1}'s token is stored ACTIVE, shown masked as ${found.token.accessToken}`);
    }

    // User 1 unbinds in the merchant's app: the merchant calls revoke, signed as the Antom SDKs sign.
    const revokePath = '/ams/api/v1/authorizations/revoke';
    const body = JSON.stringify({ accessToken: first.accessToken, passThroughInfo: JSON.stringify({ reason: 'user unbound in app' }) }, null, 3);
    const time = new Date().toISOString();
    const signature = signMessage({ method: 'POST', path: revokePath, clientId: MERCHANT_CLIENT_ID, time, body }, merchantKeys.privateKey);
    const revoke = await fetch(`${gw.base}${revokePath}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=UTF-8',
        'client-id': MERCHANT_CLIENT_ID,
        'Request-Time': time,
        Signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
      },
      body,
    });
    const revokeRaw = await revoke.text();
    const answerSig = parseSignatureHeader(revoke.headers.get('signature') ?? undefined);
    const answerValid =
      answerSig !== null &&
      verifyMessage(
        { method: 'POST', path: revokePath, clientId: revoke.headers.get('client-id') ?? '', time: revoke.headers.get('response-time') ?? '', body: revokeRaw },
        answerSig.signature,
        [gatewayKey],
      );
    const revokeResult = (JSON.parse(revokeRaw) as { result: { resultStatus: string } }).result;
    note('merchant', `revoke for user 1 answered ${revokeResult.resultStatus}, signature ${answerValid ? 'valid' : 'INVALID'}`);
    check(revokeResult.resultStatus === 'S' && answerValid, 'the merchant revoke is answered a signed S');

    const calls = (await (await fetch(`${gw.base}/sandbox/alipayplus/_simulator/received`)).json()) as {
      received: Array<{ body: any; signatureValid: boolean }>;
    };
    const cancel = calls.received.filter((r) => r.body?.accessToken === first.accessToken);
    note('Alipay+', `received cancelToken: ${JSON.stringify({ ...cancel[0]?.body, accessToken: `${first.accessToken.slice(0, 6)}…` })}`);
    check(cancel.length === 1 && cancel[0].signatureValid, 'Alipay+ got exactly one signed cancelToken for user 1');
    check(
      cancel[0]?.body?.pspId === first.pspId && cancel[0]?.body?.passThroughInfo?.includes('user unbound'),
      'cancelToken carried the wallet’s pspId and the merchant’s passThroughInfo',
    );

    // User 2 unbinds in the wallet: Alipay+ sends TOKEN_CANCELED (PSP).
    await simulator('wallet-cancel', { accessToken: second.accessToken });
    note('Alipay+', 'TOKEN_CANCELED (PSP) for user 2: unbound in the wallet');

    // Every sub-merchant must hear of both cancellations exactly once; shop-east recovers after two failures.
    await progress(
      'waiting for every callback (shop-east retries on a 2 s schedule)',
      until('all callbacks', async () => receivers.every((r) => r.got.length >= 2) || undefined, 60_000),
    );
    // Give the ACQUIRER echo and any retry a moment to show a duplicate if there were one.
    await progress('watching for duplicates', new Promise((r) => setTimeout(r, 1_500)));

    const one = await admin('POST', '/tokens/lookup', { accessToken: first.accessToken });
    const two = await admin('POST', '/tokens/lookup', { accessToken: second.accessToken });
    check(one.token.status === 'CANCELED' && one.token.cancelSource === 'ACQUIRER', 'user 1’s token is CANCELED by the ACQUIRER (the merchant)');
    check(two.token.status === 'CANCELED' && two.token.cancelSource === 'PSP', 'user 2’s token is CANCELED by the PSP (the wallet)');
    const echo = one.timeline.notifications.find((n: any) => n.type === 'TOKEN_CANCELED');
    check(echo !== undefined, 'Alipay+’s ACQUIRER echo for user 1 was received and stored');
    check(one.timeline.events.filter((e: any) => e.type === 'TOKEN_CANCELED').length === 1, 'the revoke and its echo are one cancellation');

    for (const r of receivers) {
      const byToken = (t: string) => r.got.filter((g) => g.accessToken === t);
      const name = r.url.split('/').pop();
      check(byToken(first.accessToken).length === 1 && byToken(second.accessToken).length === 1, `${name} got each cancellation exactly once`);
      check(
        r.got.every((g) => g.signatureValid),
        `${name} verified every callback signature`,
      );
    }
    const all = [one, two].flatMap((t) => t.timeline.events.flatMap((e: any) => e.deliveries));
    const failed = all.flatMap((d: any) => d.attempts).filter((a: any) => a.httpStatus === 500);
    check(failed.length === 2, 'shop-east’s two failures are recorded as attempts with HTTP 500');
    check(all.length === 6 && all.every((d: any) => d.status === 'DELIVERED'), 'all six deliveries ended DELIVERED, shop-east’s on a retry');

    // Summary table.
    const rows = [
      ['user', 'token', 'canceled by', 'Alipay+ calls', 'callbacks delivered', 'attempts'],
      ...[one, two].map((t, i) => {
        const deliveries = t.timeline.events.flatMap((e: any) => e.deliveries);
        return [
          `user ${i + 1}`,
          t.token.accessToken,
          t.token.cancelSource,
          String(t.timeline.cancelTokenJob?.attemptCount ?? 0),
          `${deliveries.filter((d: any) => d.status === 'DELIVERED').length}/${deliveries.length}`,
          deliveries.map((d: any) => d.attemptCount).join(' + '),
        ];
      }),
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    process.stdout.write('\n');
    for (const [i, r] of rows.entries()) {
      process.stdout.write(`  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}\n`);
      if (i === 0) process.stdout.write(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
    }
  } catch (err) {
    failures.push((err as Error).message);
  } finally {
    gateway?.kill('SIGTERM');
    for (const r of receivers) r.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    process.stdout.write(`\ndemo FAILED in ${seconds}s:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`\ndemo passed in ${seconds}s: every step of the story checked out.\n`);
}

void main();
