import type { AlipayPlusClient } from '../../src/alipayplus/alipayplus.client';
import { CANCEL_TOKEN_RESULT_CODES } from '../../src/alipayplus/cancel-token.transformers';
import { loadPrivateKey, loadPublicKey } from '../../src/signing';
import { TEST_ACQUIRER_ID, TEST_CLIENT_ID, TEST_KEYS } from '../support/fixtures';
import { ALIPAYPLUS_PUBLIC, clientFor, closedPort, newToken, PSP_ID, requestFor } from './client-fixtures';
import { startSimulator, type RunningSimulator } from './simulator-server';

describe('AlipayPlusClient against the Alipay+ simulator', () => {
  let sim: RunningSimulator;
  let sut: AlipayPlusClient;

  beforeAll(async () => {
    sim = await startSimulator();
    sut = clientFor(sim.baseUrl);
  });
  afterAll(async () => {
    sut.close();
    await sim.close();
  });

  it('cancels: S is CANCELED, and the simulator saw exactly the four fields, signed', async () => {
    const token = newToken();
    const { outcome, durationMs } = await sut.cancelToken({ ...requestFor(token), passThroughInfo: '{"reason":"user"}' });

    expect(outcome).toEqual({ kind: 'CANCELED', resultCode: 'SUCCESS' });
    expect(durationMs).toBeGreaterThanOrEqual(0);
    const [received] = sim.simulator.receivedFor(token);
    expect(received.signatureValid).toBe(true);
    expect(received.path).toBe('/aps/api/v1/authorizations/cancelToken');
    expect(received.body).toEqual({ pspId: PSP_ID, acquirerId: TEST_ACQUIRER_ID, accessToken: token, passThroughInfo: '{"reason":"user"}' });
    expect(JSON.parse(received.rawBody)).toEqual(received.body);
    expect(received.headers['client-id']).toBe(TEST_CLIENT_ID);
    expect(received.answered).toEqual({ status: 200, resultStatus: 'S', resultCode: 'SUCCESS', signature: 'valid' });
    expect(sim.simulator.tokenState(token)).toBe('CANCELED_BY_ACQUIRER');
  });

  it('sends authClientId when given, and leaves out optional fields that are absent or empty', async () => {
    const withClient = newToken();
    const bare = newToken();
    await sut.cancelToken({ ...requestFor(withClient), authClientId: '218823863726123456789' });
    await sut.cancelToken({ ...requestFor(bare), passThroughInfo: '', authClientId: undefined });

    expect(sim.simulator.receivedFor(withClient)[0].body).toEqual({ ...requestFor(withClient), authClientId: '218823863726123456789' });
    const bareRaw = sim.simulator.receivedFor(bare)[0].rawBody;
    expect(Object.keys(JSON.parse(bareRaw)).sort()).toEqual(['accessToken', 'acquirerId', 'pspId']);
  });

  it('answers S again for a token already canceled (cancelToken is idempotent on accessToken)', async () => {
    const token = newToken();
    const first = await sut.cancelToken(requestFor(token));
    const again = await sut.cancelToken(requestFor(token));
    expect([first.outcome.kind, again.outcome.kind]).toEqual(['CANCELED', 'CANCELED']);
    expect(sim.simulator.receivedFor(token)).toHaveLength(2);
  });

  const F_CODES = Object.entries(CANCEL_TOKEN_RESULT_CODES)
    .filter(([, v]) => v.status === 'F')
    .map(([code, v]) => [code, v.message] as const);

  it.each(F_CODES)('F %s is FAILED with its message', async (code, message) => {
    const token = newToken();
    sim.simulator.setRule(token, { kind: 'fail', resultCode: code });
    const { outcome } = await sut.cancelToken(requestFor(token));
    expect(outcome).toEqual({ kind: 'FAILED', resultCode: code, resultMessage: message, alreadyGone: code === 'INVALID_TOKEN' });
    expect(sim.simulator.tokenState(token)).toBe('UNKNOWN');
  });

  it.each(['UNKNOWN_EXCEPTION', 'REQUEST_TRAFFIC_EXCEED_LIMIT'])('U %s is UNKNOWN RESULT_U', async (code) => {
    const token = newToken();
    sim.simulator.setRule(token, { kind: 'unknown', resultCode: code });
    const { outcome } = await sut.cancelToken(requestFor(token));
    expect(outcome).toEqual({ kind: 'UNKNOWN', resultCode: code, reason: 'RESULT_U', httpStatus: 200 });
  });

  it('a real PARAM_ILLEGAL: an access token over 128 characters', async () => {
    const { outcome } = await sut.cancelToken(requestFor('2'.repeat(129)));
    expect(outcome).toMatchObject({ kind: 'FAILED', resultCode: 'PARAM_ILLEGAL', alreadyGone: false });
  });

  it('no answer within the timeout is UNKNOWN TIMEOUT, and the retry sees the cancel that did happen', async () => {
    const token = newToken();
    const impatient = clientFor(sim.baseUrl, { timeoutMs: 300 });
    sim.simulator.setRule(token, { kind: 'timeout', ms: 1_000 });
    try {
      const { outcome, durationMs } = await impatient.cancelToken(requestFor(token));
      expect(outcome).toEqual({ kind: 'UNKNOWN', resultCode: 'TIMEOUT', reason: 'TIMEOUT' });
      expect(durationMs).toBeGreaterThanOrEqual(290);
      expect(durationMs).toBeLessThan(1_000);
      expect(sim.simulator.tokenState(token)).toBe('CANCELED_BY_ACQUIRER');
      expect((await impatient.cancelToken(requestFor(token))).outcome).toEqual({ kind: 'CANCELED', resultCode: 'SUCCESS' });
    } finally {
      impatient.close();
    }
  });

  it.each([500, 502, 503])('HTTP %i is UNKNOWN HTTP_5XX', async (status) => {
    const token = newToken();
    sim.simulator.setRule(token, { kind: 'http5xx', status });
    const { outcome } = await sut.cancelToken(requestFor(token));
    expect(outcome).toEqual({ kind: 'UNKNOWN', resultCode: 'HTTP_5XX', reason: 'HTTP_5XX', httpStatus: status });
  });

  it('an unsigned S is never CANCELED: UNKNOWN UNSIGNED', async () => {
    const token = newToken();
    sim.simulator.setRule(token, { kind: 'unsigned' });
    const { outcome } = await sut.cancelToken(requestFor(token));
    expect(outcome).toEqual({ kind: 'UNKNOWN', resultCode: 'UNSIGNED', reason: 'UNSIGNED', httpStatus: 200 });
  });

  it('a badly signed S is never CANCELED: UNKNOWN BAD_SIGNATURE', async () => {
    const token = newToken();
    sim.simulator.setRule(token, { kind: 'badSignature' });
    const { outcome } = await sut.cancelToken(requestFor(token));
    expect(outcome).toEqual({ kind: 'UNKNOWN', resultCode: 'BAD_SIGNATURE', reason: 'BAD_SIGNATURE', httpStatus: 200 });
  });

  it("an S signed with a key that is not Alipay+'s is UNKNOWN BAD_SIGNATURE", async () => {
    const misconfigured = clientFor(sim.baseUrl, { alipayPlusPublicKeys: () => [loadPublicKey(TEST_KEYS.acqpPublic)] });
    try {
      const { outcome } = await misconfigured.cancelToken(requestFor(newToken()));
      expect(outcome).toMatchObject({ kind: 'UNKNOWN', reason: 'BAD_SIGNATURE' });
    } finally {
      misconfigured.close();
    }
  });

  it('accepts an answer signed with the previous Alipay+ key during a rotation', async () => {
    const rotating = clientFor(sim.baseUrl, {
      alipayPlusPublicKeys: () => [loadPublicKey(TEST_KEYS.acqpPublic), ALIPAYPLUS_PUBLIC],
    });
    try {
      expect((await rotating.cancelToken(requestFor(newToken()))).outcome.kind).toBe('CANCELED');
    } finally {
      rotating.close();
    }
  });

  it('a dropped connection is UNKNOWN CONNECTION', async () => {
    const token = newToken();
    sim.simulator.setRule(token, { kind: 'down' });
    const { outcome } = await sut.cancelToken(requestFor(token));
    expect(outcome).toEqual({ kind: 'UNKNOWN', resultCode: 'CONNECTION', reason: 'CONNECTION' });
    expect(sim.simulator.receivedFor(token)[0].answered.status).toBe(0);
  });

  it('a refused connection is UNKNOWN CONNECTION', async () => {
    const nowhere = clientFor(`http://127.0.0.1:${await closedPort()}`);
    try {
      expect((await nowhere.cancelToken(requestFor(newToken()))).outcome).toEqual({
        kind: 'UNKNOWN',
        resultCode: 'CONNECTION',
        reason: 'CONNECTION',
      });
    } finally {
      nowhere.close();
    }
  });

  it('a request signed with the wrong key gets F INVALID_SIGNATURE', async () => {
    const token = newToken();
    const wrongKey = clientFor(sim.baseUrl, { privateKey: loadPrivateKey(TEST_KEYS.alipayPlusPrivate) });
    try {
      const { outcome } = await wrongKey.cancelToken(requestFor(token));
      expect(outcome).toMatchObject({ kind: 'FAILED', resultCode: 'INVALID_SIGNATURE', alreadyGone: false });
      expect(sim.simulator.receivedFor(token)[0].signatureValid).toBe(false);
      expect(sim.simulator.tokenState(token)).toBe('UNKNOWN');
    } finally {
      wrongKey.close();
    }
  });

  it('a client id Alipay+ does not know gets F INVALID_CLIENT', async () => {
    const stranger = clientFor(sim.baseUrl, { clientId: 'SANDBOX_SOMEONE_ELSE' });
    try {
      // The simulator answers under the caller's client id, so the answer still verifies.
      const { outcome } = await stranger.cancelToken(requestFor(newToken()));
      expect(outcome).toMatchObject({ kind: 'FAILED', resultCode: 'INVALID_CLIENT' });
    } finally {
      stranger.close();
    }
  });

  it('fails twice then succeeds (failTimesThenSucceed), and plays sequences step by step', async () => {
    const flaky = newToken();
    sim.simulator.setRule(flaky, { kind: 'failTimesThenSucceed', times: 2, with: 'unknown' });
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) kinds.push((await sut.cancelToken(requestFor(flaky))).outcome.kind);
    expect(kinds).toEqual(['UNKNOWN', 'UNKNOWN', 'CANCELED']);

    const scripted = newToken();
    sim.simulator.setRule(scripted, [{ kind: 'http5xx', status: 503 }, { kind: 'unknown' }, { kind: 'success' }]);
    const reasons: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { outcome } = await sut.cancelToken(requestFor(scripted));
      reasons.push(outcome.kind === 'UNKNOWN' ? outcome.reason : outcome.kind);
    }
    expect(reasons).toEqual(['HTTP_5XX', 'RESULT_U', 'CANCELED']);
  });

  it('a token canceled in the wallet first is F INVALID_TOKEN, already gone', async () => {
    const issued = await sim.simulator.issueAuthorization({ referenceMerchantId: '218823863726123456780', notify: false });
    await sim.simulator.cancelFromWallet(issued.accessToken);
    const { outcome } = await sut.cancelToken(requestFor(issued.accessToken));
    expect(outcome).toMatchObject({ kind: 'FAILED', resultCode: 'INVALID_TOKEN', alreadyGone: true });
  });

  it('with strict tokens, a token never issued is F INVALID_TOKEN and an issued one cancels', async () => {
    sim.simulator.setStrictTokens(true);
    try {
      const issued = await sim.simulator.issueAuthorization({ referenceMerchantId: '218823863726123456780', notify: false });
      expect((await sut.cancelToken(requestFor(newToken()))).outcome).toMatchObject({ resultCode: 'INVALID_TOKEN', alreadyGone: true });
      expect((await sut.cancelToken(requestFor(issued.accessToken))).outcome.kind).toBe('CANCELED');
    } finally {
      sim.simulator.setStrictTokens(false);
    }
  });
});
