/**
 * `npm run demo`: the whole story on a fresh clone with nothing configured.
 *
 * Starts the gateway in sandbox mode (its own temporary data folder and port,
 * the built-in Alipay+ simulator upstream), onboards a merchant with three
 * sub-merchants through the admin API, gives each sub-merchant a local
 * receiver that verifies every callback's signature, and plays: user 1 binds
 * through the merchant's Antom calls (consult → consent in the simulated
 * wallet → AUTHCODE_CREATED → applyToken → query → a refresh), user 2 binds
 * in the wallet (AUTHCODE_CREATED, TOKEN_CREATED), the merchant revokes user
 * 1 (Alipay+ cancelToken, then its ACQUIRER echo), user 2 unbinds in the
 * wallet (TOKEN_CANCELED, PSP), and one receiver fails twice before it
 * recovers. Prints user 1's whole timeline and a summary, and exits non-zero
 * if anything in the story is wrong.
 *
 * The merchant's calls go through the official Antom Python SDK when
 * ANTOM_SDK_PYTHON_DIR points at a checkout of alipay/global-open-sdk-python
 * (as the interop tests run it); without it, through the demo's own signer,
 * which signs as that SDK does, and the demo says so.
 *
 * A development tool: it reads nothing but its own flags and keeps the
 * callback retry schedule short (2 s steps) so the recovery is seen in
 * seconds rather than Alipay+'s minutes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPublicKey, parseSignatureHeader, signMessage, verifyMessage } from '../src/signing';

const MAIN = resolve(__dirname, '..', 'src', 'main.js');
/** The interop tier's driver of the official Python SDK (test/interop), run from the compiled demo. */
const SDK_DRIVER = resolve(__dirname, '..', '..', 'test', 'interop', 'python', 'antom_sdk_driver.py');
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

    /**
     * One merchant API call and the answer as the merchant's client read it:
     * through the official Python SDK when it is at hand (it verifies the
     * answer's signature itself, or raises), else signed and verified here.
     */
    const merchantCall = async (call: Record<string, unknown>): Promise<any> => {
      const sdkDir = process.env.ANTOM_SDK_PYTHON_DIR;
      if (sdkDir) {
        const job = {
          gatewayUrl: gw.base,
          clientId: MERCHANT_CLIENT_ID,
          merchantPrivateKey: merchantKeys.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
          gatewayPublicKey: gatewayKey.export({ type: 'spki', format: 'der' }).toString('base64'),
          calls: [call],
        };
        const out = await new Promise<string>((ok, fail) => {
          const child = execFile(
            '/usr/bin/python3',
            [SDK_DRIVER],
            { env: { PATH: process.env.PATH ?? '', ANTOM_SDK_PYTHON_DIR: sdkDir, PYTHONDONTWRITEBYTECODE: '1' } },
            (err, stdout, stderr) => (err ? fail(new Error(`the Python SDK failed: ${stderr}`)) : ok(stdout)),
          );
          child.stdin?.end(JSON.stringify(job));
        });
        const [answer] = (JSON.parse(out) as { calls: Array<{ ok: boolean; response?: any; error?: string }> }).calls;
        if (!answer.ok) throw new Error(`the Python SDK refused the gateway's answer: ${answer.error}`);
        return answer.response;
      }
      const { api, ...fields } = call;
      return signedCall(`/ams/api/v1/authorizations/${String(api)}`, fields);
    };
    const signedCall = async (path: string, fields: object): Promise<any> => {
      const body = JSON.stringify(fields, null, 3);
      const time = new Date().toISOString();
      const signature = signMessage({ method: 'POST', path, clientId: MERCHANT_CLIENT_ID, time, body }, merchantKeys.privateKey);
      const res = await fetch(`${gw.base}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'client-id': MERCHANT_CLIENT_ID,
          'Request-Time': time,
          Signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
        },
        body,
      });
      const raw = await res.text();
      const sig = parseSignatureHeader(res.headers.get('signature') ?? undefined);
      const valid =
        sig !== null &&
        verifyMessage(
          { method: 'POST', path, clientId: res.headers.get('client-id') ?? '', time: res.headers.get('response-time') ?? '', body: raw },
          sig.signature,
          [gatewayKey],
        );
      if (!valid) throw new Error(`the answer to ${path} is not signed by the gateway`);
      return JSON.parse(raw);
    };

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

    // User 1 binds through the merchant: consult, consent in the wallet, applyToken, query, refresh.
    const client = process.env.ANTOM_SDK_PYTHON_DIR
      ? 'the official Antom Python SDK'
      : "the demo's own signer (set ANTOM_SDK_PYTHON_DIR for the official Python SDK)";
    note('merchant', `calls the gateway through ${client}`);
    const authState = `DEMO-${Date.now()}`;
    const consulted = await merchantCall({
      api: 'consult',
      customerBelongsTo: 'ALIPAY_CN',
      authRedirectUrl: 'https://shop.example/bound',
      scopes: ['AGREEMENT_PAY'],
      authState,
      terminalType: 'WEB',
    });
    note('merchant', `consult answered ${consulted.result.resultStatus}: authUrl ${consulted.authUrl}`);
    check(consulted.result.resultStatus === 'S' && typeof consulted.authUrl === 'string', 'consult (Alipay+ prepare) gave the wallet’s authorization URL');
    const consent = await simulator('wallet/authorize', { authState });
    note('wallet', `user 1 agrees; redirected to ${consent.redirectUrl.replace(consent.authCode, `${consent.authCode.slice(0, 6)}…`)}`);
    const sent = (await (await fetch(`${gw.base}/sandbox/alipayplus/_simulator/notifications`)).json()) as {
      attempts: Array<{ rawBody: string; acknowledged: boolean }>;
    };
    check(
      sent.attempts.some((a) => a.acknowledged && a.rawBody.includes('AUTHCODE_CREATED') && a.rawBody.includes(authState)),
      'Alipay+ sent AUTHCODE_CREATED with the consult’s authState, and the gateway acknowledged it',
    );
    const applied = await merchantCall({ api: 'applyToken', grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'ALIPAY_CN', authCode: consent.authCode });
    note('merchant', `applyToken answered ${applied.result.resultStatus} (token ${String(applied.accessToken).slice(0, 6)}…)`);
    check(
      applied.result.resultStatus === 'S' && typeof applied.refreshToken === 'string',
      'applyToken exchanged the auth code for a token and a refresh token',
    );
    const again = await merchantCall({ api: 'applyToken', grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'ALIPAY_CN', authCode: consent.authCode });
    check(again.accessToken === applied.accessToken, 'the same auth code again gives the same token');
    const queried = await merchantCall({ api: 'query', accessToken: applied.accessToken });
    check(queried.tokenStatusType === 'ACTIVE', 'query says the token is ACTIVE');
    const refreshed = await merchantCall({ api: 'applyToken', grantType: 'REFRESH_TOKEN', customerBelongsTo: 'ALIPAY_CN', refreshToken: applied.refreshToken });
    note('merchant', `refresh answered ${refreshed.result.resultStatus} (new token ${String(refreshed.accessToken).slice(0, 6)}…)`);
    check(refreshed.result.resultStatus === 'S' && refreshed.accessToken !== applied.accessToken, 'a refresh gave a new token');
    const oldQuery = await merchantCall({ api: 'query', accessToken: applied.accessToken });
    check(oldQuery.result.resultCode === 'INVALID_ACCESS_TOKEN', 'the token the refresh replaced is no longer known');
    const first = { accessToken: refreshed.accessToken as string };

    // User 2 binds in the wallet: Alipay+ tells us AUTHCODE_CREATED, then TOKEN_CREATED.
    const second = await simulator('authorizations', { referenceMerchantId: REFERENCE_MERCHANT_ID });
    note('Alipay+', `AUTHCODE_CREATED and TOKEN_CREATED for user 2 (token ${second.accessToken.slice(0, 6)}…)`);
    for (const [n, t] of [first, second].entries()) {
      const found = await admin('POST', '/tokens/lookup', { accessToken: t.accessToken });
      check(found.token.status === 'ACTIVE', `user ${n + 1}'s token is stored ACTIVE, shown masked as ${found.token.accessToken}`);
    }

    // User 1 unbinds in the merchant's app: the merchant calls revoke (the Python SDK sends no passThroughInfo; the signer does).
    const revoked = process.env.ANTOM_SDK_PYTHON_DIR
      ? await merchantCall({ api: 'revoke', accessToken: first.accessToken })
      : await signedCall('/ams/api/v1/authorizations/revoke', {
          accessToken: first.accessToken,
          passThroughInfo: JSON.stringify({ reason: 'user unbound in app' }),
        });
    note('merchant', `revoke for user 1 answered ${revoked.result.resultStatus}, signature valid`);
    check(revoked.result.resultStatus === 'S', 'the merchant revoke is answered a signed S');

    const calls = (await (await fetch(`${gw.base}/sandbox/alipayplus/_simulator/received`)).json()) as {
      received: Array<{ body: any; signatureValid: boolean }>;
    };
    const cancel = calls.received.filter((r) => r.body?.accessToken === first.accessToken);
    note('Alipay+', `received cancelToken: ${JSON.stringify({ ...cancel[0]?.body, accessToken: `${first.accessToken.slice(0, 6)}…` })}`);
    check(cancel.length === 1 && cancel[0].signatureValid, 'Alipay+ got exactly one signed cancelToken for user 1');
    const stored = await admin('POST', '/tokens/lookup', { accessToken: first.accessToken });
    check(
      typeof cancel[0]?.body?.pspId === 'string' && cancel[0].body.pspId === stored.token.pspId && cancel[0].body.acquirerId !== undefined,
      'cancelToken carried the acquirerId and the wallet’s pspId',
    );
    if (!process.env.ANTOM_SDK_PYTHON_DIR)
      check(cancel[0]?.body?.passThroughInfo?.includes('user unbound') === true, 'cancelToken carried the merchant’s passThroughInfo');

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
    check(one.timeline.consultations[0]?.authState === authState, 'user 1’s timeline starts at the consult, matched by its authState');
    check(
      ['applyToken', 'applyToken', 'refresh', 'revoke'].every((api, i) => one.timeline.merchantRequests[i]?.api === api),
      'user 1’s timeline holds applyToken (twice), the refresh and the revoke',
    );
    printTimeline(one.timeline);

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

/** User 1's story as the admin API tells it, from consult to callbacks, in time order. */
function printTimeline(t: any): void {
  const entries: Array<[string, string]> = [
    ...t.consultations.map((c: any) => [c.createdAt, `consult ${c.resultStatus} (authState ${c.authState})`]),
    ...(t.authCode ? [[t.authCode.createdAt, `auth code, exchange ${t.authCode.exchangeStatus} after ${t.authCode.exchangeAttempts} attempt(s)`]] : []),
    ...t.notifications.map((n: any) => [n.receivedAt, `Alipay+ ${n.type} (${n.outcome}${n.duplicateCount ? `, ${n.duplicateCount} duplicate(s)` : ''})`]),
    ...t.merchantRequests.map((r: any) => [r.receivedAt, `merchant ${r.api} → ${r.resultStatus} ${r.resultCode}`]),
    ...(t.cancelTokenJob ? [[t.cancelTokenJob.createdAt, `cancelToken ${t.cancelTokenJob.status} after ${t.cancelTokenJob.attemptCount} attempt(s)`]] : []),
    ...t.events.map((e: any) => [
      e.occurredAt,
      `event ${e.type}: ${e.deliveries.filter((d: any) => d.status === 'DELIVERED').length}/${e.deliveries.length} callbacks delivered`,
    ]),
  ];
  entries.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]));
  process.stdout.write('\n  user 1, from consult to cancel:\n');
  for (const [at, what] of entries) process.stdout.write(`    ${at}  ${what}\n`);
}

void main();
