import { DataSource } from 'typeorm';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { TEST_CLIENT_ID } from '../support/fixtures';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { alipayPlusTestKey, postSigned, postSignedRaw } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

const AUTH_NOTIFY = '/aps/api/v1/authorizations/authNotify';
const QUERY = '/ams/api/v1/authorizations/query';

/**
 * Findings 5, 6 and 7: what a protocol route was handed but could not read
 * one way only. A malformed Content-Type got Fastify's bare 415; repeated
 * keys and invalid UTF-8 were read as one of several values; and any
 * `client-id` was logged whole and signed under, `.` included.
 */
describe(`security: protocol routes read exactly one thing, and always answer signed, on ${testEngine()}`, () => {
  let sut: TestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    sut = await startTestApp({ logLines });
  });
  afterAll(() => sut.close());

  const tokenStatus = async (token: string) =>
    (await sut.app.get(DataSource).manager.findOneByOrFail(AuthorizationEntity, { accessTokenHash: sut.app.get(TokenVault).lookupHash('access-token', token) }))
      .status;

  describe('finding 5: a malformed Content-Type gets a signed answer, not a bare 415', () => {
    let merchant: TestMerchant;
    beforeAll(async () => {
      merchant = await seedMerchant(sut.app);
    });

    it.each(['', ';', 'json', 'application/json,', 'text/plain'])('Content-Type %j', async (contentType) => {
      const body = Buffer.from(JSON.stringify(notificationSet().tokenCanceled('PSP')));
      const aps = await postSignedRaw(sut.baseUrl, AUTH_NOTIFY, body, { clientId: TEST_CLIENT_ID, privateKey: alipayPlusTestKey }, { contentType });
      expect(aps).toMatchObject({ status: 200, signatureValid: true, json: { result: { resultStatus: 'F', resultCode: 'MEDIA_TYPE_NOT_ACCEPTABLE' } } });
      const ams = await postSignedRaw(
        sut.baseUrl,
        QUERY,
        Buffer.from('{"accessToken":"X"}'),
        { clientId: merchant.clientId, privateKey: merchant.privateKey },
        { contentType },
      );
      expect(ams).toMatchObject({ status: 200, signatureValid: true, json: { result: { resultStatus: 'F', resultCode: 'MEDIA_TYPE_NOT_ACCEPTABLE' } } });
    });
  });

  describe('finding 6: a body that reads two ways is refused, and changes nothing', () => {
    it('refuses repeated keys: a TOKEN_CANCELED naming a real token, then a made-up one', async () => {
      const n = notificationSet();
      expect((await postSigned(sut.baseUrl, AUTH_NOTIFY, n.tokenCreated)).json.result.resultStatus).toBe('S');
      const twoTokens = JSON.stringify(n.tokenCanceled('PSP')).replace(/}$/, ',"accessToken":"28100103FFFFFFFFFFFFFFFFFFFFFFFFMADE"}');
      const answer = await postSigned(sut.baseUrl, AUTH_NOTIFY, twoTokens);
      expect(answer.signatureValid).toBe(true);
      expect(answer.json.result).toEqual({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'accessToken: the key "accessToken" appears twice' });
      expect(await tokenStatus(n.accessToken)).toBe('ACTIVE');
    });

    it('refuses bytes that are not UTF-8 instead of storing U+FFFD', async () => {
      const n = notificationSet();
      const [before, after] = JSON.stringify({ ...n.tokenCreated, userLoginId: 'USER__MARK' }).split('__') as [string, string];
      // 0xC3 0x28: a lead byte without its continuation, which a lenient decoder reads as U+FFFD then "(".
      const body = Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28]), Buffer.from(after)]);
      const answer = await postSigned(sut.baseUrl, AUTH_NOTIFY, body);
      expect(answer.signatureValid).toBe(true);
      expect(answer.json.result).toEqual({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'body: is not valid UTF-8' });
      expect(
        await sut.app
          .get(DataSource)
          .manager.countBy(AuthorizationEntity, { accessTokenHash: sut.app.get(TokenVault).lookupHash('access-token', n.accessToken) }),
      ).toBe(0);
    });
  });

  describe('finding 7: a client-id is bounded before it is logged or signed under', () => {
    it.each([
      ['10,000 characters', 'M'.repeat(10_000)],
      ['a dot', 'MERCHANT.0001'],
      ['a space', 'MERCHANT 0001'],
    ])('%s: refused, never echoed in the log, and the answer is signed under the gateway’s own id', async (_case, clientId) => {
      const merchant = await seedMerchant(sut.app);
      const before = logLines.length;
      const answer = await postSigned(sut.baseUrl, QUERY, { accessToken: 'X' }, { privateKey: merchant.privateKey, clientId });
      expect(answer.status).toBe(200);
      expect(answer.json.result).toEqual({
        resultCode: 'INVALID_SIGNATURE',
        resultStatus: 'F',
        resultMessage: 'client-id must be 1 to 64 characters of A-Z a-z 0-9 _ -',
      });
      expect(answer.headers.get('client-id')).toBe(sut.config.gateway.clientId);
      expect(answer.signatureValid).toBe(true);
      const refused = logLines.slice(before).filter((l) => l.includes('"merchant request refused"'));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toContain('"reason":"MALFORMED_CLIENT_ID"');
      expect(refused[0]).not.toContain(clientId.slice(0, 64));
    });

    it('an Alipay+ request with a malformed client-id is refused the same way', async () => {
      const answer = await postSigned(sut.baseUrl, AUTH_NOTIFY, notificationSet().tokenCreated, { clientId: 'A'.repeat(65) });
      expect(answer.json.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
      expect(answer.signatureValid).toBe(true);
    });
  });
});
