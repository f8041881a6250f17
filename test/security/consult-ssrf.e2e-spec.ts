import { DataSource } from 'typeorm';
import { MerchantEntity } from '../../src/merchants/merchant.entity';
import { GuardedHttpClient } from '../../src/outbound/guarded-http.client';
import { DnsResolver, type ResolvedAddress } from '../../src/outbound/ssrf-guard';
import { loadPublicKey, parseSignatureHeader, verifyMessage } from '../../src/signing';
import { behaviours, startReceiver, type Receiver } from '../callbacks/callback-receiver';
import { TEST_KEYS } from '../support/fixtures';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

const CONSULT = '/aps/api/v1/authorizations/consultUnbinding';
const DENY = { status: 200, body: JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, allowUnbinding: 'false' }) };

/** A name that resolved to a public address when the merchant registered it, and to loopback now (DNS rebinding). */
const DNS: Record<string, ResolvedAddress[]> = { 'rebound.test': [{ address: '127.0.0.1', family: 4 }] };

/**
 * Finding 2: the consult URL was checked only at registration and called
 * with plain fetch, so a name that later resolved to 127.0.0.1 received a
 * signed POST carrying the access token, and its "false" was obeyed. Now the
 * consult call goes through the guarded client: the SSRF rules are checked
 * on the address it connects to, every time.
 */
describe(`security: the consult URL is guarded at connect time, on ${testEngine()}`, () => {
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver(behaviours.always(DENY));
  });
  afterAll(() => receiver.close());

  async function gatewayAsking(env: Record<string, string> = {}): Promise<{ sut: TestApp; merchant: TestMerchant; connects: jest.SpyInstance }> {
    const sut = await startTestApp({ env });
    const resolver = sut.app.get(DnsResolver);
    const real = resolver.lookupAll.bind(resolver);
    jest.spyOn(resolver, 'lookupAll').mockImplementation(async (host) => DNS[host] ?? real(host));
    const merchant = await seedMerchant(sut.app);
    // Written as registration left it, before the name was rebound.
    const consultUrl = `http://rebound.test:${new URL(receiver.url()).port}/consult`;
    await sut.app.get(DataSource).manager.update(MerchantEntity, { id: merchant.id }, { consultPolicy: 'ASK', consultUrl });
    return { sut, merchant, connects: jest.spyOn(sut.app.get(GuardedHttpClient).agents.http, 'createConnection') };
  }

  const consult = (sut: TestApp, merchant: TestMerchant) =>
    postSigned(sut.baseUrl, CONSULT, {
      authClientId: '2188238637260001',
      referenceMerchantId: merchant.referenceMerchantId,
      accessToken: '28100103A5E1F6C2B1D0A9B8C7D6E5F40000',
      acquirerId: '102218800000001234',
      pspId: '102208800000001230',
    });

  it('refuses to connect to a consult URL that now resolves to loopback, and allows the unbinding', async () => {
    const { sut, merchant, connects } = await gatewayAsking();
    try {
      const answer = await consult(sut, merchant);
      expect(answer.signatureValid).toBe(true);
      expect(answer.json).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, allowUnbinding: 'true' });
      expect(connects).not.toHaveBeenCalled();
      expect(receiver.received).toEqual([]);
    } finally {
      await sut.close();
    }
  });

  it('control: where the network is allowed, the merchant is asked (signed under its own client id) and its "false" is obeyed', async () => {
    const { sut, merchant, connects } = await gatewayAsking({ CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' });
    try {
      const answer = await consult(sut, merchant);
      expect(answer.json.allowUnbinding).toBe('false');
      expect(connects).toHaveBeenCalledTimes(1);
      const asked = receiver.received.at(-1)!;
      expect(asked.headers['client-id']).toBe(merchant.clientId);
      const signature = parseSignatureHeader(String(asked.headers.signature))!;
      const verified = verifyMessage(
        { method: 'POST', path: asked.path, clientId: merchant.clientId, time: String(asked.headers['request-time']), body: asked.raw },
        signature.signature,
        [loadPublicKey(TEST_KEYS.acqpPublic)],
      );
      expect(verified).toBe(true);
    } finally {
      await sut.close();
    }
  });
});
