import { randomUUID } from 'node:crypto';
import { mask } from '../../src/common/crypto/fingerprint';
import { startSimulator, type RunningSimulator } from '../alipayplus/simulator-server';
import { adminClient, type AdminClient } from '../admin/admin-client';
import { startReceiver, waitFor, type ReceivedCallback, type Receiver } from '../callbacks/callback-receiver';
import { TEST_CLIENT_ID } from '../support/fixtures';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { describeWithSdk, runSdk, type SdkCall, type SdkCallResult, type SdkName, type SdkNotification } from './antom-sdk';

const AUTH_NOTIFY = '/aps/api/v1/authorizations/authNotify';
const SUCCESS = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };

/**
 * The gateway driven by the official Antom server SDKs, unchanged but for the
 * Python SDK's transport (plain HTTP to a local port): revoke answering S, F
 * and U and token query, on the live and the sandbox path; another merchant's
 * token; callbacks checked by each SDK's own verification code under the
 * merchant's client id and read with the Python SDK's AlipayAuthNotify model
 * (the PHP SDK has no notification parser: a PHP merchant json_decodes). Nobody here
 * wrote these clients, so they do not share our reading of the protocol.
 */
describe.each<SdkName>(['python', 'php'])('the official Antom %s SDK', (sdk) => {
  describeWithSdk(sdk, `the official Antom ${sdk} SDK against the gateway on ${testEngine()}`, () => {
    let sim: RunningSimulator;
    let sut: TestApp;
    let admin: AdminClient;
    let receiver: Receiver;
    let gatewayPublicKey: string;
    const transcript: string[] = [];

    beforeAll(async () => {
      sim = await startSimulator();
      sut = await startTestApp({
        env: {
          ALIPAYPLUS_BASE_URL: sim.baseUrl,
          REVOKE_BUDGET_MS: '1000',
          CANCEL_TOKEN_POLL_MS: '50',
          CALLBACK_POLL_MS: '50',
          CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
        },
      });
      sim.simulator.setGatewayBaseUrl(sut.baseUrl);
      admin = adminClient(sut.baseUrl);
      receiver = await startReceiver();
      // The key a merchant is handed, from the operator API, as the SDKs take it.
      gatewayPublicKey = (await admin.get('/admin/v1/gateway/public-key')).json.base64;
    });
    afterAll(async () => {
      // What the SDK answered, verbatim but for masked tokens: the interop tier's record in the CI log.
      if (transcript.length > 0) process.stdout.write(`${transcript.join('\n')}\n`);
      await sut?.close();
      await sim?.close();
      await receiver?.close();
    });

    /** A merchant onboarded with an Antom-signed callback endpoint of its own. */
    async function merchant(clientIdPrefix: string): Promise<TestMerchant> {
      const m = await seedMerchant(sut.app, { clientIdPrefix, freshKey: true });
      const endpoint = await admin.post(`/admin/v1/merchants/${m.id}/endpoints`, { url: receiver.url(`/antom/notify/${m.clientId}`) });
      expect(endpoint.status).toBe(201);
      return m;
    }

    async function activeToken(m: TestMerchant) {
      const n = notificationSet(m.referenceMerchantId);
      expect((await postSigned(sut.baseUrl, AUTH_NOTIFY, n.tokenCreated)).json.result.resultStatus).toBe('S');
      return n;
    }

    const job = (m: TestMerchant) => ({
      gatewayUrl: sut.baseUrl,
      clientId: m.clientId,
      // Bare base64, as Antom dashboards hand keys out and as the SDKs take them.
      merchantPrivateKey: m.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
      gatewayPublicKey,
    });

    /** Runs calls through the SDK as merchant `m`, and records what the SDK made of each answer. */
    async function calls(m: TestMerchant, label: string, list: Array<SdkCall & { what: string }>) {
      const answer = await runSdk(sdk, { ...job(m), calls: list.map(({ what: _what, ...call }) => call) });
      answer.calls.forEach((result, i) => transcript.push(`[interop] ${sdk} ${label} ${list[i].what}: ${summarize(result, list)}`));
      return answer.calls;
    }

    const resultOf = (r: SdkCallResult | undefined) => {
      if (!r?.ok) throw new Error(`the SDK refused the gateway's answer: ${r?.ok === false ? r.error : 'no answer'}`);
      return r.response;
    };

    describe.each([
      ['live', 'MERCHANT_', '/ams/api/v1/authorizations'],
      ['sandbox', 'SANDBOX_', '/ams/sandbox/api/v1/authorizations'],
    ])('%s client id', (label, prefix, apiPath) => {
      it('revokes: S, then F for an unknown token, U while Alipay+ has not settled, F when Alipay+ refuses; query before and after', async () => {
        const m = await merchant(prefix);
        const settles = await activeToken(m);
        const pending = await activeToken(m);
        const refused = await activeToken(m);
        sim.simulator.setRule(pending.accessToken, { kind: 'unknown' });
        sim.simulator.setRule(refused.accessToken, { kind: 'fail', resultCode: 'USER_NOT_EXIST' });

        const [before, revoked, after, unknown, u, canceling, f] = await calls(m, label, [
          { api: 'query', accessToken: settles.accessToken, what: 'query before revoke' },
          { api: 'revoke', accessToken: settles.accessToken, what: 'revoke S' },
          { api: 'query', accessToken: settles.accessToken, what: 'query after revoke' },
          { api: 'revoke', accessToken: `${settles.accessToken.slice(0, -6)}000000`, what: 'revoke F (unknown token)' },
          { api: 'revoke', accessToken: pending.accessToken, what: 'revoke U (Alipay+ answers U)' },
          { api: 'query', accessToken: pending.accessToken, what: 'query while canceling' },
          { api: 'revoke', accessToken: refused.accessToken, what: 'revoke F (Alipay+ refuses)' },
        ]);
        // Every answer passed the SDK's own signature check (it raises otherwise), on the path it signed.
        expect(revoked).toMatchObject({ ok: true, path: `${apiPath}/revoke` });

        expect(resultOf(before)).toMatchObject({ result: SUCCESS, accessToken: settles.accessToken, tokenStatusType: 'ACTIVE' });
        expect(resultOf(before).accessTokenExpiryTime).toBe(new Date(settles.tokenCreated.accessTokenExpiryTime).toISOString());
        expect(resultOf(before).refreshToken ?? null).toBeNull();
        expect(resultOf(revoked)).toEqual({ result: SUCCESS });
        expect(resultOf(after)).toMatchObject({ result: SUCCESS, tokenStatusType: 'CANCELED' });
        expect(resultOf(unknown).result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
        expect(resultOf(u).result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
        expect(resultOf(canceling)).toMatchObject({ result: SUCCESS, tokenStatusType: 'CANCELING' });
        expect(resultOf(f).result).toMatchObject({ resultCode: 'PROCESS_FAIL', resultStatus: 'F' });
        expect(resultOf(f).result.resultMessage).toContain('USER_NOT_EXIST');
      });

      it('binds: consult S, F and U; applyToken by code U, then S, the same code again the same token; query ACTIVE; refresh S; F for an expired code and a spent refresh token', async () => {
        const m = await merchant(prefix);
        const consult = (authState: string, what: string): SdkCall & { what: string } => ({
          api: 'consult',
          customerBelongsTo: 'ALIPAY_CN',
          authRedirectUrl: 'https://merchant.example/bound',
          scopes: ['AGREEMENT_PAY'],
          authState,
          terminalType: 'WEB',
          what,
        });
        const byCode = (authCode: string, what: string): SdkCall & { what: string } => ({
          api: 'applyToken',
          grantType: 'AUTHORIZATION_CODE',
          customerBelongsTo: 'ALIPAY_CN',
          authCode,
          what,
        });
        const byRefresh = (refreshToken: string, what: string): SdkCall & { what: string } => ({
          api: 'applyToken',
          grantType: 'REFRESH_TOKEN',
          customerBelongsTo: 'ALIPAY_CN',
          refreshToken,
          what,
        });
        const [state, refusedState, pendingState, expiringState] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
        sim.simulator.setPrepareRule(refusedState, { kind: 'fail', resultCode: 'PARAM_ILLEGAL' });
        sim.simulator.setPrepareRule(pendingState, { kind: 'unknown' });

        const [consulted, refused, pending, expiringConsult] = await calls(m, label, [
          consult(state, 'consult S'),
          consult(refusedState, 'consult F (Alipay+ refuses)'),
          consult(pendingState, 'consult U (Alipay+ answers U)'),
          consult(expiringState, 'consult S (for a code left to expire)'),
        ]);
        expect(consulted).toMatchObject({ ok: true, path: `${apiPath}/consult` });
        expect(resultOf(consulted).result).toEqual(SUCCESS);
        expect(String(resultOf(consulted).authUrl)).toContain('/_simulator/wallet/authorize');
        expect(resultOf(refused).result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
        expect(resultOf(pending).result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
        expect(resultOf(expiringConsult).result).toEqual(SUCCESS);

        // The user agrees in the wallet: AUTHCODE_CREATED reaches the gateway, the code the merchant's redirect.
        const consent = await sim.simulator.authorizeConsent({ authState: state });
        const expiring = await sim.simulator.authorizeConsent({ authState: expiringState });
        sim.simulator.expireAuthCode(expiring.authCode);
        sim.simulator.setApplyTokenRule(consent.authCode, [{ kind: 'unknown' }, { kind: 'success' }]);

        const [u, s, again, expired] = await calls(m, label, [
          byCode(consent.authCode, 'applyToken U (Alipay+ answers U)'),
          byCode(consent.authCode, 'applyToken S (the same code again)'),
          byCode(consent.authCode, 'applyToken S (a third time: the same token)'),
          byCode(expiring.authCode, 'applyToken F (expired code)'),
        ]);
        expect(resultOf(u).result).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' });
        expect(resultOf(u).result.resultMessage).toContain('same authCode');
        expect(s).toMatchObject({ ok: true, path: `${apiPath}/applyToken` });
        const token = resultOf(s);
        expect(token.result).toEqual(SUCCESS);
        expect(token.accessToken).toEqual(expect.any(String));
        expect(token.refreshToken).toEqual(expect.any(String));
        expect(resultOf(again)).toEqual(token);
        expect(resultOf(expired).result).toMatchObject({ resultCode: 'EXPIRED_CODE', resultStatus: 'F' });

        const [active, refreshed] = await calls(m, label, [
          { api: 'query', accessToken: String(token.accessToken), what: 'query the new token' },
          byRefresh(String(token.refreshToken), 'applyToken S (refresh)'),
        ]);
        expect(resultOf(active)).toMatchObject({ result: SUCCESS, accessToken: token.accessToken, tokenStatusType: 'ACTIVE' });
        expect(resultOf(refreshed).result).toEqual(SUCCESS);
        expect(resultOf(refreshed).accessToken).not.toBe(token.accessToken);

        const [renewed, old, spent] = await calls(m, label, [
          { api: 'query', accessToken: String(resultOf(refreshed).accessToken), what: 'query the refreshed token' },
          { api: 'query', accessToken: String(token.accessToken), what: 'query the token it replaced' },
          byRefresh(String(token.refreshToken), 'applyToken F (the refresh token it replaced)'),
        ]);
        expect(resultOf(renewed)).toMatchObject({ result: SUCCESS, tokenStatusType: 'ACTIVE' });
        expect(resultOf(old).result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
        expect(resultOf(spent).result).toMatchObject({ resultCode: 'INVALID_REFRESH_TOKEN', resultStatus: 'F' });
      });
    });

    it("answers another merchant's token exactly like an unknown one", async () => {
      const owner = await merchant('MERCHANT_');
      const other = await merchant('MERCHANT_');
      const n = await activeToken(owner);
      const unknownToken = `${n.accessToken.slice(0, -6)}000000`;
      const [foreignQuery, unknownQuery, foreignRevoke, unknownRevoke] = await calls(other, 'tenancy', [
        { api: 'query', accessToken: n.accessToken, what: "query another merchant's token" },
        { api: 'query', accessToken: unknownToken, what: 'query an unknown token' },
        { api: 'revoke', accessToken: n.accessToken, what: "revoke another merchant's token" },
        { api: 'revoke', accessToken: unknownToken, what: 'revoke an unknown token' },
      ]);
      expect(resultOf(foreignQuery)).toEqual(resultOf(unknownQuery));
      expect(resultOf(foreignRevoke)).toEqual(resultOf(unknownRevoke));
      expect(resultOf(foreignQuery).result).toMatchObject({ resultCode: 'INVALID_ACCESS_TOKEN', resultStatus: 'F' });
      // Still the owner's, still active.
      const [mine] = await calls(owner, 'tenancy', [{ api: 'query', accessToken: n.accessToken, what: 'owner queries its token' }]);
      expect(resultOf(mine).tokenStatusType).toBe('ACTIVE');
    });

    it("passes each callback through the SDK's own signature check under the merchant's client id, and its AlipayAuthNotify model", async () => {
      const m = await merchant('MERCHANT_');
      const n = await activeToken(m);
      const [revoked] = await calls(m, 'callback', [{ api: 'revoke', accessToken: n.accessToken, what: 'revoke S (for the callback)' }]);
      expect(resultOf(revoked).result).toEqual(SUCCESS);
      const path = `/antom/notify/${m.clientId}`;
      await waitFor(() => receiver.received.some((c) => c.path === path), 'the TOKEN_CANCELED callback');
      const callback = receiver.received.find((c) => c.path === path)!;

      const asReceived = notification(callback, m.clientId);
      const answer = await runSdk(sdk, {
        ...job(m),
        notifications: [
          asReceived,
          // Checks that can fail: the gateway's own client id, and one changed byte of the body.
          { ...asReceived, clientId: TEST_CLIENT_ID },
          { ...asReceived, body: asReceived.body.replace('TOKEN_CANCELED', 'TOKEN_CREATED') },
        ],
      });
      const [checked, underGatewayId, tampered] = answer.notifications;
      expect(checked).toMatchObject({ valid: true });
      expect(underGatewayId.valid).toBe(false);
      expect(tampered.valid).toBe(false);
      expect(callback.headers['client-id']).toBe(m.clientId);
      expect(checked.notify).toMatchObject({
        notifyType: 'TOKEN_CANCELED',
        authorizationNotifyType: 'TOKEN_CANCELED',
        accessToken: n.accessToken,
        authClientId: n.tokenCreated.authClientId,
      });
      transcript.push(
        `[interop] ${sdk} callback checked under ${m.clientId}: valid=${checked.valid}; under the gateway's client id: valid=${underGatewayId.valid}; tampered: valid=${tampered.valid}`,
      );
    });
  });
});

function notification(c: ReceivedCallback, clientId: string): SdkNotification {
  return {
    requestUri: c.path,
    clientId,
    requestTime: String(c.headers['request-time']),
    signature: String(c.headers.signature),
    body: c.raw,
  };
}

const SECRET_FIELDS = ['accessToken', 'refreshToken', 'authCode'] as const;

/** One SDK result as text for the CI log, every token and code masked (those sent and those answered). */
function summarize(result: SdkCallResult, sent: readonly SdkCall[]): string {
  let text = result.ok ? JSON.stringify(result.response) : `SDK raised ${result.error}`;
  const answered = result.ok ? [result.response as Record<string, unknown>] : [];
  for (const holder of [...sent, ...answered] as Array<Record<string, unknown>>) {
    for (const field of SECRET_FIELDS) {
      const secret = holder[field];
      if (typeof secret === 'string' && secret !== '') text = text.split(secret).join(mask(secret));
    }
  }
  return text;
}
