import { DataSource } from 'typeorm';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { CallbackEndpointEntity } from '../../src/merchants/callback-endpoint.entity';
import { SubMerchantEntity } from '../../src/merchants/sub-merchant.entity';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { adminClient, newMerchantBody, unique, type AdminClient } from './admin-client';

describe(`admin sub-merchants and callback endpoints on ${testEngine()}`, () => {
  let sut: TestApp;
  let admin: AdminClient;
  let db: DataSource;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = adminClient(sut.baseUrl);
    db = sut.app.get(DataSource);
  });
  afterAll(() => sut.close());

  const newMerchant = async () => (await admin.post('/admin/v1/merchants', newMerchantBody())).json;

  it('takes a merchant through sub-merchants, endpoints, a key rotation and disabling', async () => {
    const m = await newMerchant();
    const base = `/admin/v1/merchants/${m.id}`;

    const sub = await admin.post(`${base}/sub-merchants`, { merchantAccountId: 'STORE-001', name: 'Store one' });
    expect(sub.status).toBe(201);
    expect(sub.json).toMatchObject({ merchantId: m.id, merchantAccountId: 'STORE-001', name: 'Store one', status: 'ACTIVE' });
    await admin.post(`${base}/sub-merchants`, { merchantAccountId: 'STORE-002', name: 'Store two' });
    const subs = await admin.get(`${base}/sub-merchants`);
    expect(subs.json.items.map((s: any) => s.merchantAccountId).sort()).toEqual(['STORE-001', 'STORE-002']);

    const own = await admin.post(`${base}/endpoints`, { url: 'https://merchant.example/hooks' });
    expect(own.status).toBe(201);
    expect(own.json).toMatchObject({ subMerchantId: null, eventTypes: ['TOKEN_CANCELED'], signingScheme: 'ANTOM_RSA', status: 'ACTIVE', secret: null });
    const store = await admin.post(`${base}/endpoints`, {
      subMerchantId: sub.json.id,
      url: 'http://store.example/hooks',
      eventTypes: ['TOKEN_CREATED', 'TOKEN_CANCELED', 'TOKEN_CANCELED'],
    });
    expect(store.status).toBe(201);
    expect(store.json.eventTypes).toEqual(['TOKEN_CANCELED', 'TOKEN_CREATED']);
    const storeOnly = await admin.get(`${base}/endpoints?subMerchantId=${sub.json.id}`);
    expect(storeOnly.json.items.map((e: any) => e.id)).toEqual([store.json.id]);

    const rotated = await admin.post(`${base}/keys`, { publicKey: newMerchantBody().publicKey });
    expect(rotated.json.previousPublicKeyFingerprint).toBe(m.publicKeyFingerprint);

    const renamed = await admin.patch(`${base}/sub-merchants/${sub.json.id}`, { name: 'Store 1' });
    expect(renamed.json.name).toBe('Store 1');
    expect((await admin.post(`${base}/sub-merchants/${sub.json.id}/disable`)).json.status).toBe('DISABLED');
    const disabledEndpoint = await admin.post(`${base}/endpoints/${store.json.id}/disable`);
    expect(disabledEndpoint.json).toMatchObject({ status: 'DISABLED', disabledReason: 'disabled by operator', disabledAt: expect.any(String) });
    const enabled = await admin.post(`${base}/endpoints/${store.json.id}/enable`);
    expect(enabled.json).toMatchObject({ status: 'ACTIVE', disabledReason: null, disabledAt: null });
    const changed = await admin.patch(`${base}/endpoints/${own.json.id}`, { url: 'https://merchant.example/v2', eventTypes: ['AUTHCODE_CREATED'] });
    expect(changed.json).toMatchObject({ url: 'https://merchant.example/v2', eventTypes: ['AUTHCODE_CREATED'] });

    const disabled = await admin.post(`${base}/disable`);
    expect(disabled.json.status).toBe('DISABLED');
    expect((await admin.get(base)).json.status).toBe('DISABLED');
  });

  it('returns a STANDARD_WEBHOOKS secret once, stores it encrypted, and rotates it keeping the previous one', async () => {
    const m = await newMerchant();
    const base = `/admin/v1/merchants/${m.id}/endpoints`;
    const vault = sut.app.get(TokenVault);

    const created = await admin.post(base, { url: 'https://merchant.example/webhooks', signingScheme: 'STANDARD_WEBHOOKS' });
    expect(created.status).toBe(201);
    const secret: string = created.json.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);

    const row = await db.manager.findOneByOrFail(CallbackEndpointEntity, { id: created.json.id });
    expect(row.secretEnc).not.toContain(secret.slice(6));
    expect(vault.decrypt(row.secretEnc!)).toBe(secret);

    const listed = await admin.get(base);
    const fetched = await admin.get(`${base}/${created.json.id}`);
    for (const answer of [listed, fetched]) {
      expect(answer.raw).not.toContain(secret.slice(6));
      expect(answer.raw).not.toContain('"secret"');
    }

    const rotated = await admin.post(`${base}/${created.json.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(secret);
    expect(rotated.json.hasPreviousSecret).toBe(true);
    const after = await db.manager.findOneByOrFail(CallbackEndpointEntity, { id: created.json.id });
    expect(vault.decrypt(after.secretEnc!)).toBe(rotated.json.secret);
    expect(vault.decrypt(after.previousSecretEnc!)).toBe(secret);

    const rsa = await admin.post(base, { url: 'https://merchant.example/rsa' });
    expect((await admin.post(`${base}/${rsa.json.id}/secret`)).status).toBe(409);
  });

  it.each([
    ['a missing merchantAccountId', { name: 'x' }, 'merchantAccountId'],
    ['a too long merchantAccountId', { merchantAccountId: 'A'.repeat(65), name: 'x' }, 'merchantAccountId'],
    ['a numeric name', { merchantAccountId: 'A1', name: 7 }, 'name'],
  ])('refuses a sub-merchant with %s: 400 naming the field, nothing stored', async (_case, body, field) => {
    const m = await newMerchant();
    const before = await db.manager.count(SubMerchantEntity);
    const answer = await admin.post(`/admin/v1/merchants/${m.id}/sub-merchants`, body);
    expect(answer.status).toBe(400);
    expect(answer.json.error.message.startsWith(`${field}:`)).toBe(true);
    expect(await db.manager.count(SubMerchantEntity)).toBe(before);
  });

  it('answers 409 for a duplicate merchantAccountId under one merchant, but allows it under another', async () => {
    const [a, b] = [await newMerchant(), await newMerchant()];
    const account = unique('ACC-');
    expect((await admin.post(`/admin/v1/merchants/${a.id}/sub-merchants`, { merchantAccountId: account, name: 'x' })).status).toBe(201);
    const before = await db.manager.count(SubMerchantEntity);
    const dup = await admin.post(`/admin/v1/merchants/${a.id}/sub-merchants`, { merchantAccountId: account, name: 'y' });
    expect(dup.status).toBe(409);
    expect(dup.json.error.message).toContain('merchantAccountId');
    expect(await db.manager.count(SubMerchantEntity)).toBe(before);
    expect((await admin.post(`/admin/v1/merchants/${b.id}/sub-merchants`, { merchantAccountId: account, name: 'x' })).status).toBe(201);
  });

  it("keeps each merchant's sub-merchants and endpoints to itself", async () => {
    const [a, b] = [await newMerchant(), await newMerchant()];
    const sub = (await admin.post(`/admin/v1/merchants/${a.id}/sub-merchants`, { merchantAccountId: 'S', name: 'x' })).json;
    const endpoint = (await admin.post(`/admin/v1/merchants/${a.id}/endpoints`, { url: 'https://a.example/h' })).json;

    expect((await admin.get(`/admin/v1/merchants/${b.id}/sub-merchants/${sub.id}`)).status).toBe(404);
    expect((await admin.patch(`/admin/v1/merchants/${b.id}/sub-merchants/${sub.id}`, { name: 'stolen' })).status).toBe(404);
    expect((await admin.post(`/admin/v1/merchants/${b.id}/endpoints/${endpoint.id}/disable`)).status).toBe(404);
    expect((await admin.get(`/admin/v1/merchants/${b.id}/endpoints`)).json.items).toEqual([]);
    const crossSub = await admin.post(`/admin/v1/merchants/${b.id}/endpoints`, { url: 'https://b.example/h', subMerchantId: sub.id });
    expect(crossSub.status).toBe(404);
    expect((await admin.get(`/admin/v1/merchants/${a.id}/sub-merchants/${sub.id}`)).json.name).toBe('x');
  });

  it.each([
    ['a URL that does not parse', { url: 'not a url' }, 'url'],
    ['a non-http scheme', { url: 'file:///etc/passwd' }, 'url'],
    ['credentials in the URL', { url: 'https://user:pw@merchant.example/h' }, 'url'],
    ['an unknown event type', { url: 'https://m.example/h', eventTypes: ['TOKEN_EXPLODED'] }, 'eventTypes'],
    ['an empty event list', { url: 'https://m.example/h', eventTypes: [] }, 'eventTypes'],
    ['an unknown signing scheme', { url: 'https://m.example/h', signingScheme: 'HMAC' }, 'signingScheme'],
    ['a missing url', {}, 'url'],
  ])('refuses an endpoint with %s: 400 naming the field, nothing stored', async (_case, body, field) => {
    const m = await newMerchant();
    const before = await db.manager.count(CallbackEndpointEntity);
    const answer = await admin.post(`/admin/v1/merchants/${m.id}/endpoints`, body);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('PARAM_ILLEGAL');
    expect(answer.json.error.message.startsWith(`${field}:`)).toBe(true);
    expect(await db.manager.count(CallbackEndpointEntity)).toBe(before);
  });

  it('refuses plain http endpoints in production', async () => {
    const prod = await startTestApp({ env: { NODE_ENV: 'production', ALIPAYPLUS_BASE_URL: 'https://alipay.example' } });
    try {
      const client = adminClient(prod.baseUrl);
      const m = (await client.post('/admin/v1/merchants', newMerchantBody())).json;
      const http = await client.post(`/admin/v1/merchants/${m.id}/endpoints`, { url: 'http://merchant.example/h' });
      expect(http.status).toBe(400);
      expect(http.json.error.message).toBe('url: must use https in production');
      expect((await client.post(`/admin/v1/merchants/${m.id}/endpoints`, { url: 'https://merchant.example/h' })).status).toBe(201);
    } finally {
      await prod.close();
    }
  });
});
