import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuthCodeEntity } from '../../src/authorizations/auth-code.entity';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { EventEntity } from '../../src/callbacks/event.entity';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { NotificationEntity } from '../../src/notifications/notification.entity';
import { TEST_CLIENT_ID, TEST_KEYS } from '../support/fixtures';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

const PATH = '/aps/api/v1/authorizations/authNotify';

describe(`authNotify on ${testEngine()}`, () => {
  let sut: TestApp;
  let db: DataSource;
  let vault: TokenVault;

  beforeAll(async () => {
    sut = await startTestApp();
    db = sut.app.get(DataSource);
    vault = sut.app.get(TokenVault);
  });
  afterAll(() => sut.close());

  const notify = (body: object | string, call = {}) => postSigned(sut.baseUrl, PATH, body, call);
  const tokenRow = (token: string) => db.manager.findOne(AuthorizationEntity, { where: { accessTokenHash: vault.lookupHash('access-token', token) } });
  const eventsFor = (authorizationId: string) => db.manager.find(EventEntity, { where: { authorizationId } });
  const counts = async () => ({
    notifications: await db.manager.count(NotificationEntity),
    authorizations: await db.manager.count(AuthorizationEntity),
    codes: await db.manager.count(AuthCodeEntity),
    events: await db.manager.count(EventEntity),
  });

  it('stores AUTHCODE_CREATED against its authState, encrypted, and answers a signed S', async () => {
    const n = notificationSet();
    const answer = await notify(n.authCodeCreated);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });
    expect(answer.signatureValid).toBe(true);
    expect(answer.headers.get('client-id')).toBe(TEST_CLIENT_ID);

    const code = await db.manager.findOneOrFail(AuthCodeEntity, { where: { authCodeHash: vault.lookupHash('auth-code', n.authCode) } });
    expect(code.authState).toBe(n.authCodeCreated.authState);
    expect(code.referenceAgreementId).toBe(n.authCodeCreated.referenceAgreementId);
    expect(code.authCodeEnc).not.toContain(n.authCode);
    expect(vault.decrypt(code.authCodeEnc)).toBe(n.authCode);
  });

  it('creates the token record from TOKEN_CREATED with every field, linked to its auth code', async () => {
    const n = notificationSet();
    await notify(n.authCodeCreated);
    expect((await notify(n.tokenCreated)).json.result.resultStatus).toBe('S');

    const row = await tokenRow(n.accessToken);
    expect(row).toMatchObject({
      status: 'ACTIVE',
      cancelSource: null,
      customerId: '278980891234567891234567891',
      userLoginId: '62-34312736',
      pspId: '102208800000001230',
      acquirerId: '102218800000001234',
      authClientId: '2188238637260001',
      referenceMerchantId: n.referenceMerchantId,
      scopes: 'AGREEMENT_PAY USER_LOGIN_ID',
    });
    expect(row!.accessTokenExpiryTime!.toISOString()).toBe('2027-06-06T04:12:12.000Z');
    expect(row!.refreshTokenExpiryTime!.toISOString()).toBe('2027-06-08T04:12:12.000Z');
    expect(JSON.parse(row!.wallet!)).toEqual(n.tokenCreated.walletForAccountBinding);
    expect(row!.accessTokenEnc).not.toContain(n.accessToken);
    expect(vault.decrypt(row!.accessTokenEnc)).toBe(n.accessToken);
    expect(vault.decrypt(row!.refreshTokenEnc!)).toBe(n.tokenCreated.refreshToken);
    const code = await db.manager.findOneOrFail(AuthCodeEntity, { where: { authCodeHash: vault.lookupHash('auth-code', n.authCode) } });
    expect(row!.authCodeId).toBe(code.id);
  });

  it('cancels with its source and writes exactly one cancellation event; a duplicate changes nothing but still answers S', async () => {
    const n = notificationSet();
    await notify(n.tokenCreated);
    expect((await notify(n.tokenCanceled('PSP'))).json.result.resultStatus).toBe('S');
    const before = await counts();
    const duplicate = await notify(n.tokenCanceled('PSP'));
    expect(duplicate.json.result.resultStatus).toBe('S');
    expect(await counts()).toEqual(before);

    const row = await tokenRow(n.accessToken);
    expect(row).toMatchObject({ status: 'CANCELED', cancelSource: 'PSP' });
    expect(row!.canceledAt).toBeInstanceOf(Date);
    const events = await eventsFor(row!.id);
    expect(events.map((e) => e.eventType).sort()).toEqual(['TOKEN_CANCELED', 'TOKEN_CREATED']);
    const stored = await db.manager.findOneOrFail(NotificationEntity, {
      where: { subjectHash: vault.lookupHash('access-token', n.accessToken), notifyType: 'TOKEN_CANCELED' },
    });
    expect(stored.duplicateCount).toBe(1);
    expect(stored.redactedBody).not.toContain(n.accessToken);
  });

  it('keeps a tombstone when TOKEN_CANCELED arrives before TOKEN_CREATED: the late create does not revive the token', async () => {
    const n = notificationSet();
    expect((await notify(n.tokenCanceled('PSP'))).json.result.resultStatus).toBe('S');
    expect((await notify(n.tokenCreated)).json.result.resultStatus).toBe('S');
    const row = await tokenRow(n.accessToken);
    expect(row).toMatchObject({ status: 'CANCELED', cancelSource: 'PSP', customerId: '278980891234567891234567891' });
    expect(row!.tokenCreatedAt).not.toBeNull();
    const events = await eventsFor(row!.id);
    expect(events.map((e) => e.eventType)).toEqual(['TOKEN_CANCELED']);
  });

  it('turns 20 concurrent identical posts into one record and one cancellation event', async () => {
    const n = notificationSet();
    const answers = await Promise.all(Array.from({ length: 20 }, () => notify(n.tokenCanceled('PSP'))));
    expect(answers.map((a) => a.json.result.resultStatus)).toEqual(Array(20).fill('S'));
    const rows = await db.manager.find(AuthorizationEntity, { where: { accessTokenHash: vault.lookupHash('access-token', n.accessToken) } });
    expect(rows).toHaveLength(1);
    expect(await eventsFor(rows[0].id)).toHaveLength(1);
    const stored = await db.manager.findOneOrFail(NotificationEntity, { where: { subjectHash: vault.lookupHash('access-token', n.accessToken) } });
    expect(stored.duplicateCount).toBe(19);
  });

  it('accepts a pretty-printed notification signed by openssl, byte for byte', async () => {
    const n = notificationSet();
    const body = JSON.stringify(n.tokenCanceled('PSP'), null, 3);
    const time = new Date().toISOString();
    const dir = mkdtempSync(join(tmpdir(), 'acqp-openssl-'));
    try {
      writeFileSync(join(dir, 'key.pem'), TEST_KEYS.alipayPlusPrivate);
      writeFileSync(join(dir, 'data'), `POST ${PATH}\n${TEST_CLIENT_ID}.${time}.${body}`);
      const sig = execFileSync('openssl', ['dgst', '-sha256', '-sign', join(dir, 'key.pem'), join(dir, 'data')]).toString('base64');
      const answer = await notify(body, { requestTime: time, signatureHeader: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}` });
      expect(answer.json.result.resultStatus).toBe('S');
      expect((await tokenRow(n.accessToken))?.status).toBe('CANCELED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends the signature headers in lower case on the wire', async () => {
    const n = notificationSet();
    const body = JSON.stringify(n.tokenCanceled('PSP'));
    const { signMessage } = await import('../../src/signing');
    const time = new Date().toISOString();
    const sig = signMessage({ method: 'POST', path: PATH, clientId: TEST_CLIENT_ID, time, body }, (await import('../support/signed-client')).alipayPlusTestKey);
    const rawHeaders = await new Promise<string[]>((resolve, reject) => {
      const req = httpRequest(`${sut.baseUrl}${PATH}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Client-Id': TEST_CLIENT_ID,
          'Request-Time': time,
          Signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}`,
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.rawHeaders.filter((_, i) => i % 2 === 0));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(rawHeaders).toEqual(expect.arrayContaining(['client-id', 'response-time', 'signature']));
  });

  describe('bad input gets a signed non-S answer and changes nothing', () => {
    const cases: Array<[string, () => Promise<{ status: number; json: any; signatureValid: boolean }>, string]> = [
      [
        'a bad signature',
        () => notify(notificationSet().tokenCanceled(), { signatureHeader: 'algorithm=RSA256,keyVersion=1,signature=AAAA' }),
        'INVALID_SIGNATURE',
      ],
      [
        'a signature by the wrong key',
        async () => notify(notificationSet().tokenCanceled(), { privateKey: (await import('node:crypto')).createPrivateKey(TEST_KEYS.acqpPrivate) }),
        'INVALID_SIGNATURE',
      ],
      ['no signature', () => notify(notificationSet().tokenCanceled(), { signatureHeader: null }), 'INVALID_SIGNATURE'],
      [
        'a stale request time',
        () => notify(notificationSet().tokenCanceled(), { requestTime: new Date(Date.now() - 3_600_000).toISOString() }),
        'INVALID_SIGNATURE',
      ],
      ['another client id', () => notify(notificationSet().tokenCanceled(), { clientId: 'SANDBOX_SOMEONE_ELSE' }), 'INVALID_CLIENT'],
      ['an oversized field', () => notify({ ...notificationSet().tokenCanceled(), accessToken: 'A'.repeat(129) }), 'PARAM_ILLEGAL'],
      ['a missing required field', () => notify({ ...notificationSet().tokenCanceled(), tokenCancelSource: undefined }), 'PARAM_ILLEGAL'],
      ['an unknown notification type', () => notify({ ...notificationSet().tokenCanceled(), authorizationNotifyType: 'TOKEN_REFRESHED' }), 'PARAM_ILLEGAL'],
      ['"" for an optional field', () => notify({ ...notificationSet().tokenCanceled(), pspId: '' }), 'PARAM_ILLEGAL'],
      ['a number where a string belongs', () => notify({ ...notificationSet().tokenCanceled(), acquirerId: 1022 }), 'PARAM_ILLEGAL'],
      ['a time without an offset', () => notify({ ...notificationSet().tokenCreated, accessTokenExpiryTime: '2027-06-06 12:12:12' }), 'PARAM_ILLEGAL'],
      ['a wrong content type', () => notify(JSON.stringify(notificationSet().tokenCanceled()), { contentType: 'text/plain' }), 'MEDIA_TYPE_NOT_ACCEPTABLE'],
      ['invalid JSON', () => notify('{"authorizationNotifyType": "TOKEN_CANCELED",'), 'PARAM_ILLEGAL'],
      ['a JSON array', () => notify('[]'), 'PARAM_ILLEGAL'],
      ['a prototype-poisoning body', () => notify('{"__proto__":{"x":1},"authorizationNotifyType":"TOKEN_CANCELED"}'), 'PARAM_ILLEGAL'],
    ];
    it.each(cases)('%s', async (_name, send, code) => {
      const before = await counts();
      const answer = await send();
      expect(answer.status).toBe(200);
      expect(answer.signatureValid).toBe(true);
      expect(answer.json.result).toMatchObject({ resultStatus: 'F', resultCode: code });
      expect(await counts()).toEqual(before);
    });

    it('a 2 MB body is refused with 413', async () => {
      const before = await counts();
      const answer = await notify({ ...notificationSet().tokenCanceled(), padding: 'x'.repeat(2 * 1024 * 1024) });
      expect(answer.status).toBe(413);
      expect(await counts()).toEqual(before);
    });
  });

  it('answers U, stores nothing half-way, and accepts the retry when the database is back', async () => {
    const n = notificationSet();
    await db.destroy();
    try {
      const answer = await notify(n.tokenCanceled('PSP'));
      expect(answer.status).toBe(200);
      expect(answer.signatureValid).toBe(true);
      expect(answer.json.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    } finally {
      await db.initialize();
    }
    expect(await tokenRow(n.accessToken)).toBeNull();
    expect((await notify(n.tokenCanceled('PSP'))).json.result.resultStatus).toBe('S');
    expect((await tokenRow(n.accessToken))?.status).toBe('CANCELED');
  });

  it('counts notifications by type and result, and signature failures', async () => {
    const text = await (await fetch(`${sut.baseUrl}/metrics`)).text();
    expect(text).toMatch(/acqp_authnotify_total\{type="TOKEN_CANCELED",result="APPLIED"\} [1-9]/);
    expect(text).toMatch(/acqp_authnotify_total\{type="TOKEN_CANCELED",result="DUPLICATE"\} [1-9]/);
    expect(text).toMatch(/acqp_signature_failures_total\{route="authNotify",reason="INVALID_SIGNATURE"\} [1-9]/);
    expect(text).toMatch(/acqp_authnotify_ack_seconds_count\{type="AUTHCODE_CREATED",result="S"\} [1-9]/);
  });
});
