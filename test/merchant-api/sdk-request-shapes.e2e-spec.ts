import { request } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { ManualClock } from '../../src/common/clock';
import { parseSignatureHeader, signMessage, verifyMessage } from '../../src/signing';
import { startSimulator, type RunningSimulator } from '../alipayplus/simulator-server';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { acqpTestPublicKey, postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

/**
 * Each official Antom server SDK builds its requests its own way (read from
 * their sources: alipay/global-open-sdk-{java,python,go,php,dotnet}; the README
 * sums them up). The Python and PHP SDKs themselves run in test/interop; the
 * others cannot run here, so this spec sends their exact shapes over raw HTTP:
 * request target, header names and duplicates, time format, body bytes and
 * signature escaping. Every one must be accepted, and every answer must pass
 * the checks the SDKs make of it.
 */
interface SdkShape {
  /** The request target on the wire, given the gateway's origin and the signed path. */
  target(origin: string, path: string): string;
  /** Header lines in wire order, names as the SDK writes them. */
  headers(clientId: string, time: string, signature: string): Array<[string, string]>;
  time(now: Date): string;
  body(fields: Record<string, string | null>): string;
  escape(base64: string): string;
}

const upper = (b64: string) => encodeURIComponent(b64);
const withoutNulls = (fields: Record<string, string | null>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
const sortedKeys = (fields: Record<string, string | null>) => Object.fromEntries(Object.entries(withoutNulls(fields)).sort(([a], [b]) => a.localeCompare(b)));

const SHAPES: Record<string, SdkShape> = {
  // http.client with the whole URL as the target; datetime.isoformat(); json.dumps(indent=3); quote_plus.
  python: {
    target: (origin, path) => `${origin}${path}`,
    headers: (clientId, time, signature) => [
      ['Content-type', 'application/json; charset=UTF-8'],
      ['Accept', 'text/plain,text/xml,text/javascript,text/html'],
      ['Cache-Control', 'no-cache'],
      ['User-Agent', 'global-open-sdk-python'],
      ['Request-Time', time],
      ['client-id', clientId],
      ['Signature', `algorithm=RSA256,keyVersion=1,signature=${signature}`],
    ],
    time: (now) => `${now.toISOString().slice(0, 19)}+00:00`,
    body: (fields) => JSON.stringify(withoutNulls(fields), null, 3),
    escape: upper,
  },
  // curl with the path; date(DATE_ISO8601) has no colon in the offset; json_encode; urlencode.
  php: {
    target: (_origin, path) => path,
    headers: (clientId, time, signature) => [
      ['Content-Type', 'application/json; charset=UTF-8'],
      ['User-Agent', 'global-open-sdk-php'],
      ['Request-Time', time],
      ['client-id', clientId],
      ['Signature', `algorithm=RSA256,keyVersion=1,signature=${signature}`],
    ],
    time: (now) => `${now.toISOString().slice(0, 19)}+0000`,
    body: (fields) => JSON.stringify(withoutNulls(fields)),
    escape: upper,
  },
  // Epoch milliseconds; fastjson with sorted keys; URLEncoder.
  java: {
    target: (_origin, path) => path,
    headers: (clientId, time, signature) => [
      ['Content-Type', 'application/json; charset=UTF-8'],
      ['Request-Time', time],
      ['client-id', clientId],
      ['Signature', `algorithm=RSA256,keyVersion=1,signature=${signature}`],
    ],
    time: (now) => String(now.getTime()),
    body: (fields) => JSON.stringify(sortedKeys(fields)),
    escape: upper,
  },
  // net/http: Content-type set, then Content-Type added (two values), an empty agent-token, epoch ms.
  go: {
    target: (_origin, path) => path,
    headers: (clientId, time, signature) => [
      ['Content-Type', 'application/json'],
      ['Content-Type', 'application/json; charset=UTF-8'],
      ['Request-Time', time],
      ['Client-Id', clientId],
      ['Key-Version', '1'],
      ['Signature', `algorithm=RSA256,keyVersion=1,signature=${signature}`],
      ['Sdk-Version', 'global-open-sdk-go'],
      ['Agent-Token', ''],
    ],
    time: (now) => String(now.getTime()),
    body: (fields) => JSON.stringify(withoutNulls(fields)),
    escape: upper,
  },
  // DateTime "o" (seven-digit fraction, Z); Newtonsoft writes absent optionals as null; HttpUtility.UrlEncode is lower case.
  dotnet: {
    target: (_origin, path) => path,
    headers: (clientId, time, signature) => [
      ['Signature', `algorithm=RSA256,keyVersion=1,signature=${signature}`],
      ['client-id', clientId],
      ['Request-Time', time],
      ['Content-Type', 'application/json; charset=UTF-8'],
    ],
    time: (now) => `${now.toISOString().slice(0, 23)}4567Z`,
    body: (fields) => JSON.stringify(fields),
    escape: (b64) => encodeURIComponent(b64).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  },
  // Header names in any case are the same header (RFC 9110 §5.1). Node's parser lower-cases them
  // before the gateway sees them, so this guards against a future reader of raw header names.
  'odd header case': {
    target: (_origin, path) => path,
    headers: (clientId, time, signature) => [
      ['CONTENT-TYPE', 'application/json; charset=UTF-8'],
      ['request-TIME', time],
      ['Client-ID', clientId],
      ['sIgNaTuRe', `algorithm=RSA256,keyVersion=1,signature=${signature}`],
    ],
    time: (now) => now.toISOString(),
    body: (fields) => JSON.stringify(withoutNulls(fields)),
    escape: upper,
  },
};

interface RawAnswer {
  status: number;
  /** Header names exactly as sent on the wire. */
  rawHeaderNames: string[];
  headers: Record<string, string>;
  body: string;
}

function send(port: number, target: string, headers: Array<[string, string]>, body: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: target });
    // A name given twice (Go's two Content-Type lines) goes out as two header lines.
    const byName = new Map<string, string[]>();
    for (const [name, value] of headers) byName.set(name, [...(byName.get(name) ?? []), value]);
    for (const [name, values] of byName) req.setHeader(name, values.length === 1 ? values[0] : values);
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          rawHeaderNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
          headers: res.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(body);
  });
}

describe(`requests shaped like each official Antom SDK's, on ${testEngine()}`, () => {
  let sim: RunningSimulator;
  let sut: TestApp;
  let port: number;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock.now().getTime() });
    sut = await startTestApp({ clock, env: { ALIPAYPLUS_BASE_URL: sim.baseUrl, REVOKE_BUDGET_MS: '1500' } });
    sim.simulator.setGatewayBaseUrl(sut.baseUrl);
    port = Number(new URL(sut.baseUrl).port);
  });
  afterAll(async () => {
    await sut.close();
    await sim.close();
  });

  async function activeToken(merchant: TestMerchant): Promise<string> {
    const n = notificationSet(merchant.referenceMerchantId);
    const created = await postSigned(sut.baseUrl, '/aps/api/v1/authorizations/authNotify', n.tokenCreated, { requestTime: clock.now().toISOString() });
    expect(created.json.result.resultStatus).toBe('S');
    return n.accessToken;
  }

  /** Signs and sends `fields` as `shape` would, and checks the answer the way the SDKs check it. */
  async function call(shape: SdkShape, merchant: TestMerchant, path: string, fields: Record<string, string | null>, key: KeyObject = merchant.privateKey) {
    const time = shape.time(clock.now());
    const body = shape.body(fields);
    const signature = shape.escape(signMessage({ method: 'POST', path, clientId: merchant.clientId, time, body }, key));
    const answer = await send(port, shape.target(sut.baseUrl, path), shape.headers(merchant.clientId, time, signature), body);
    expect(answer.status).toBe(200);
    // The Python and PHP SDKs find these three by their lower-case names only.
    expect(answer.rawHeaderNames).toEqual(expect.arrayContaining(['client-id', 'response-time', 'signature']));
    expect(answer.headers['client-id']).toBe(merchant.clientId);
    const parsed = parseSignatureHeader(answer.headers.signature);
    const verified = verifyMessage(
      { method: 'POST', path, clientId: merchant.clientId, time: answer.headers['response-time'], body: answer.body },
      parsed!.signature,
      [acqpTestPublicKey],
    );
    expect(verified).toBe(true);
    return JSON.parse(answer.body);
  }

  describe.each(Object.entries(SHAPES))('%s', (_name, shape) => {
    it('queries and revokes a token, on the live and the sandbox path', async () => {
      const merchant = await seedMerchant(sut.app);
      const token = await activeToken(merchant);
      const fields = { accessToken: token, extendInfo: null, merchantAccountId: null };

      const before = await call(shape, merchant, '/ams/api/v1/authorizations/query', { accessToken: token });
      expect(before).toMatchObject({ result: { resultStatus: 'S' }, accessToken: token, tokenStatusType: 'ACTIVE' });
      expect(await call(shape, merchant, '/ams/api/v1/authorizations/revoke', fields)).toEqual({
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      });
      const after = await call(shape, merchant, '/ams/sandbox/api/v1/authorizations/query', { accessToken: token });
      expect(after).toMatchObject({ result: { resultStatus: 'S' }, tokenStatusType: 'CANCELED' });
    });

    it('is refused with a signed INVALID_SIGNATURE when signed by another key', async () => {
      const merchant = await seedMerchant(sut.app);
      const stranger = await seedMerchant(sut.app, { freshKey: true });
      const answer = await call(shape, merchant, '/ams/api/v1/authorizations/query', { accessToken: 'ANY_TOKEN_0001' }, stranger.privateKey);
      expect(answer.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    });
  });
});
