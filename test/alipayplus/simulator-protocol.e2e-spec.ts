import type { KeyObject } from 'node:crypto';
import { CANCEL_TOKEN_PATH } from '../../src/alipayplus/cancel-token.transformers';
import { loadPrivateKey, loadPublicKey, signedRequestHeaders, verifyMessage, parseSignatureHeader } from '../../src/signing';
import { TEST_ACQUIRER_ID, TEST_CLIENT_ID, TEST_KEYS } from '../support/fixtures';
import { startSimulator, type RunningSimulator } from './simulator-server';

const ACQP_PRIVATE = loadPrivateKey(TEST_KEYS.acqpPrivate);
const ALIPAYPLUS_PUBLIC = loadPublicKey(TEST_KEYS.alipayPlusPublic);
const PREFIX = '/sandbox/alipayplus';
const PATH = `${PREFIX}${CANCEL_TOKEN_PATH}`;

interface RawCall {
  body: string;
  key?: KeyObject;
  clientId?: string;
  time?: string;
  contentType?: string;
}

describe('the Alipay+ simulator, spoken to directly', () => {
  let sim: RunningSimulator;
  let seq = 0;
  const token = () => `281010033AB2F588D14B43238637264F${String(++seq).padStart(8, '0')}`;
  const validBody = (accessToken = token()) => ({ pspId: '102208800000001230', acquirerId: TEST_ACQUIRER_ID, accessToken });

  beforeAll(async () => {
    sim = await startSimulator({ prefix: PREFIX });
  });
  afterAll(() => sim.close());

  /** A signed POST as the gateway would send it, with any part overridable. */
  async function call({ body, key = ACQP_PRIVATE, clientId = TEST_CLIENT_ID, time, contentType }: RawCall) {
    const message = { method: 'POST', path: PATH, clientId, time: time ?? new Date().toISOString(), body };
    const headers = signedRequestHeaders(message, key);
    if (contentType) headers['Content-Type'] = contentType;
    const res = await fetch(`${sim.baseUrl}${CANCEL_TOKEN_PATH}`, { method: 'POST', headers, body });
    const raw = await res.text();
    return { status: res.status, headers: res.headers, raw, result: JSON.parse(raw).result };
  }

  it('answers with lower-case signature headers that verify with the Alipay+ key over the same path and raw body', async () => {
    const res = await call({ body: JSON.stringify(validBody()) });
    expect(res.status).toBe(200);
    expect(res.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'Success' });
    const clientId = res.headers.get('client-id')!;
    const time = res.headers.get('response-time')!;
    expect(clientId).toBe(TEST_CLIENT_ID);
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const signature = parseSignatureHeader(res.headers.get('signature')!)!.signature;
    expect(verifyMessage({ method: 'POST', path: PATH, clientId, time, body: res.raw }, signature, [ALIPAYPLUS_PUBLIC])).toBe(true);
  });

  it('verifies the request over the raw bytes: pretty-printed, non-ASCII JSON with epoch-millisecond time', async () => {
    const body = JSON.stringify({ ...validBody(), passThroughInfo: '{"note":"解绑 ✓"}' }, null, 3);
    const res = await call({ body, time: String(Date.now()) });
    expect(res.result.resultStatus).toBe('S');
  });

  it.each([
    ['a wrong key', { key: loadPrivateKey(TEST_KEYS.alipayPlusPrivate) }],
    ['a stale request time', { time: new Date(Date.now() - 6 * 60_000).toISOString() }],
    ['a request time from the future', { time: new Date(Date.now() + 6 * 60_000).toISOString() }],
  ])('F INVALID_SIGNATURE for %s, signed, and the token is untouched', async (_case, overrides) => {
    const body = validBody();
    const res = await call({ body: JSON.stringify(body), ...overrides });
    expect(res.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect(res.headers.get('signature')).toContain('algorithm=RSA256');
    expect(sim.simulator.tokenState(body.accessToken)).toBe('UNKNOWN');
    expect(sim.simulator.receivedFor(body.accessToken)[0].signatureValid).toBe(false);
  });

  it('F INVALID_CLIENT for a client id it does not know', async () => {
    const res = await call({ body: JSON.stringify(validBody()), clientId: 'SANDBOX_UNKNOWN' });
    expect(res.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CLIENT' });
  });

  it('F MEDIA_TYPE_NOT_ACCEPTABLE for a body that is not JSON by its content type', async () => {
    const res = await call({ body: JSON.stringify(validBody()), contentType: 'text/plain' });
    expect(res.result).toMatchObject({ resultStatus: 'F', resultCode: 'MEDIA_TYPE_NOT_ACCEPTABLE' });
  });

  const long = (n: number) => 'x'.repeat(n);
  it.each([
    ['invalid JSON', '{"pspId": '],
    ['a JSON array', '[]'],
    ['pspId missing', { acquirerId: TEST_ACQUIRER_ID, accessToken: 'T1' }],
    ['acquirerId missing', { pspId: 'P', accessToken: 'T1' }],
    ['accessToken missing', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID }],
    ['accessToken a number', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID, accessToken: 123 }],
    ['pspId ""', { pspId: '', acquirerId: TEST_ACQUIRER_ID, accessToken: 'T1' }],
    ['acquirerId ""', { pspId: 'P', acquirerId: '', accessToken: 'T1' }],
    ['accessToken ""', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID, accessToken: '' }],
    ['passThroughInfo ""', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID, accessToken: 'T1', passThroughInfo: '' }],
    ['authClientId ""', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID, accessToken: 'T1', authClientId: '' }],
    ['pspId of 65', { pspId: long(65), acquirerId: TEST_ACQUIRER_ID, accessToken: 'T1' }],
    ['acquirerId of 65', { pspId: 'P', acquirerId: long(65), accessToken: 'T1' }],
    ['accessToken of 129', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID, accessToken: long(129) }],
    ['passThroughInfo of 20001', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID, accessToken: 'T1', passThroughInfo: long(20_001) }],
    ['authClientId of 65', { pspId: 'P', acquirerId: TEST_ACQUIRER_ID, accessToken: 'T1', authClientId: long(65) }],
  ])('F PARAM_ILLEGAL for %s', async (_case, body) => {
    const res = await call({ body: typeof body === 'string' ? body : JSON.stringify(body) });
    expect(res.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
  });

  it('accepts every field at its maximum length, and null for the optional ones', async () => {
    const body = { pspId: long(64), acquirerId: long(64), accessToken: long(128), passThroughInfo: long(20_000), authClientId: long(64) };
    expect((await call({ body: JSON.stringify(body) })).result.resultStatus).toBe('S');
    const nulls = { ...validBody(), passThroughInfo: null, authClientId: null };
    expect((await call({ body: JSON.stringify(nulls) })).result.resultStatus).toBe('S');
  });

  describe('control routes', () => {
    const control = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await fetch(`${sim.baseUrl}/_simulator${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // Ad-hoc JSON from a test tool: typed loosely on purpose.
      return { status: res.status, json: (await res.json()) as any };
    };

    it('resets, sets a rule, lists what was received, issues and cancels from the wallet', async () => {
      await control('POST', '/reset', {});
      const accessToken = token();
      expect((await control('POST', '/rules', { accessToken, rule: { kind: 'fail', resultCode: 'PROCESS_FAIL' } })).status).toBe(200);
      expect((await call({ body: JSON.stringify(validBody(accessToken)) })).result.resultCode).toBe('PROCESS_FAIL');

      const received = await control('GET', `/received?accessToken=${accessToken}`);
      expect(received.json.received).toHaveLength(1);
      expect(received.json.received[0].answered).toMatchObject({ status: 200, resultStatus: 'F', resultCode: 'PROCESS_FAIL' });

      const issued = await control('POST', '/authorizations', { referenceMerchantId: '218823863726123456780' });
      expect(issued.status).toBe(200);
      expect(issued.json.accessToken).toMatch(/^28101003[0-9A-F]{32}$/);
      // No gateway URL configured: the notifications are still pending.
      expect(issued.json.notifications).toEqual({ authCodeCreated: 'PENDING', tokenCreated: 'PENDING' });
      const canceled = await control('POST', '/wallet-cancel', { accessToken: issued.json.accessToken });
      expect(canceled.json.state).toBe('PENDING');
      expect(sim.simulator.tokenState(issued.json.accessToken)).toBe('CANCELED_BY_PSP');

      const notifications = await control('GET', '/notifications');
      expect(notifications.json.attempts.map((a: { verdict: string }) => a.verdict)).toEqual(['NO_GATEWAY_URL', 'NO_GATEWAY_URL', 'NO_GATEWAY_URL']);

      expect((await control('POST', '/reset', {})).json).toEqual({ ok: true });
      expect(sim.simulator.received()).toHaveLength(0);
      expect(sim.simulator.pendingNotifications()).toHaveLength(0);
      expect(sim.simulator.tokenState(issued.json.accessToken)).toBe('UNKNOWN');
    });

    it.each([
      ['no accessToken', { rule: { kind: 'success' } }],
      ['an unknown kind', { accessToken: '*', rule: { kind: 'explode' } }],
      ['fail without a code', { accessToken: '*', rule: { kind: 'fail' } }],
      ['an empty sequence', { accessToken: '*', rule: [] }],
    ])('refuses a rule with %s', async (_case, body) => {
      expect((await control('POST', '/rules', body)).status).toBe(400);
    });
  });
});
