import { DEFAULT_MERCHANT_RATE_PER_SECOND } from '../../src/merchant-api/rate-limiter';
import { DataSource } from 'typeorm';
import { keyFingerprint, loadPublicKey } from '../../src/signing';
import { MerchantEntity } from '../../src/merchants/merchant.entity';
import { TEST_KEYS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { adminClient, bareBase64, newMerchantBody, newPublicKeyPem, unique, type AdminClient } from './admin-client';

describe(`admin merchants on ${testEngine()}`, () => {
  let sut: TestApp;
  let admin: AdminClient;
  let db: DataSource;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = adminClient(sut.baseUrl);
    db = sut.app.get(DataSource);
  });
  afterAll(() => sut.close());

  const fingerprintOf = (pem: string) => keyFingerprint(loadPublicKey(pem));
  const createMerchant = async (overrides: Record<string, unknown> = {}) => {
    const answer = await admin.post('/admin/v1/merchants', newMerchantBody(overrides));
    expect(answer.status).toBe(201);
    return answer.json;
  };

  it('creates a merchant with defaults and shows its key only as a fingerprint', async () => {
    const body = newMerchantBody();
    const answer = await admin.post('/admin/v1/merchants', body);

    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      referenceMerchantId: body.referenceMerchantId,
      clientId: body.clientId,
      name: 'Test Shop',
      status: 'ACTIVE',
      consultPolicy: 'ALLOW',
      consultUrl: null,
      rateLimitPerSecond: null,
      // Null is the default limit, not no limit: what the rate limiter applies.
      effectiveRateLimitPerSecond: DEFAULT_MERCHANT_RATE_PER_SECOND,
      publicKeyFingerprint: fingerprintOf(body.publicKey),
      previousPublicKeyFingerprint: null,
    });
    expect(answer.raw).not.toContain(bareBase64(body.publicKey).slice(0, 40));
    const fetched = await admin.get(`/admin/v1/merchants/${answer.json.id}`);
    expect(fetched.json).toEqual(answer.json);
  });

  it('accepts a bare base64 DER key and stores it as PEM', async () => {
    const pem = newPublicKeyPem();
    const created = await createMerchant({ publicKey: bareBase64(pem), consultPolicy: 'ASK', consultUrl: 'https://shop.example/consult' });
    expect(created.publicKeyFingerprint).toBe(fingerprintOf(pem));
    const row = await db.manager.findOneByOrFail(MerchantEntity, { id: created.id });
    expect(row.publicKey).toContain('-----BEGIN PUBLIC KEY-----');
  });

  it('lists merchants newest first, page by page', async () => {
    const made = [await createMerchant(), await createMerchant(), await createMerchant()];
    const first = await admin.get('/admin/v1/merchants?limit=2');
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await admin.get(`/admin/v1/merchants?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.json.items.map((m: { id: string }) => m.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const positions = made.map((m) => seen.indexOf(m.id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it('updates, disables and re-enables a merchant', async () => {
    const m = await createMerchant();
    const updated = await admin.patch(`/admin/v1/merchants/${m.id}`, {
      name: 'Renamed',
      consultPolicy: 'DENY',
      rateLimitPerSecond: 25,
      consultUrl: 'http://shop.example/consult',
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ name: 'Renamed', consultPolicy: 'DENY', rateLimitPerSecond: 25, effectiveRateLimitPerSecond: 25, status: 'ACTIVE' });

    const disabled = await admin.post(`/admin/v1/merchants/${m.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.json.status).toBe('DISABLED');
    const cleared = await admin.patch(`/admin/v1/merchants/${m.id}`, { status: 'ACTIVE', rateLimitPerSecond: null, consultUrl: null });
    expect(cleared.json).toMatchObject({
      status: 'ACTIVE',
      rateLimitPerSecond: null,
      effectiveRateLimitPerSecond: DEFAULT_MERCHANT_RATE_PER_SECOND,
      consultUrl: null,
    });
  });

  it('rotates a key keeping the previous one until the rotation ends', async () => {
    const m = await createMerchant();
    const next = newPublicKeyPem();

    const rotated = await admin.post(`/admin/v1/merchants/${m.id}/keys`, { publicKey: next });
    expect(rotated.status).toBe(200);
    expect(rotated.json.publicKeyFingerprint).toBe(fingerprintOf(next));
    expect(rotated.json.previousPublicKeyFingerprint).toBe(m.publicKeyFingerprint);
    const row = await db.manager.findOneByOrFail(MerchantEntity, { id: m.id });
    expect(fingerprintOf(row.previousPublicKey!)).toBe(m.publicKeyFingerprint);

    const again = await admin.post(`/admin/v1/merchants/${m.id}/keys`, { publicKey: newPublicKeyPem() });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('CONFLICT');

    const ended = await admin.delete(`/admin/v1/merchants/${m.id}/keys/previous`);
    expect(ended.status).toBe(200);
    expect(ended.json).toMatchObject({ publicKeyFingerprint: fingerprintOf(next), previousPublicKeyFingerprint: null });
    expect((await admin.delete(`/admin/v1/merchants/${m.id}/keys/previous`)).status).toBe(404);
  });

  it('answers 409 for a duplicate referenceMerchantId or clientId and stores nothing', async () => {
    const m = await createMerchant();
    const before = await db.manager.count(MerchantEntity);

    const sameReference = await admin.post('/admin/v1/merchants', newMerchantBody({ referenceMerchantId: m.referenceMerchantId }));
    const sameClient = await admin.post('/admin/v1/merchants', newMerchantBody({ clientId: m.clientId }));

    expect(sameReference.status).toBe(409);
    expect(sameReference.json.error).toEqual({ code: 'CONFLICT', message: expect.stringContaining('referenceMerchantId') });
    expect(sameClient.status).toBe(409);
    expect(sameClient.json.error.message).toContain('clientId');
    expect(await db.manager.count(MerchantEntity)).toBe(before);
  });

  it.each([
    ['a too long referenceMerchantId', { referenceMerchantId: 'x'.repeat(65) }, 'referenceMerchantId'],
    ['a missing name', { name: undefined }, 'name'],
    ['a blank clientId', { clientId: '   ' }, 'clientId'],
    ['a key that is not a key', { publicKey: 'not-a-key' }, 'publicKey'],
    ['a private key in the public key slot', { publicKey: 'PRIVATE' }, 'publicKey'],
    ['an unknown consultPolicy', { consultPolicy: 'MAYBE' }, 'consultPolicy'],
    ['ASK without a consultUrl', { consultPolicy: 'ASK' }, 'consultUrl'],
    ['a consultUrl that is not http(s)', { consultUrl: 'ftp://shop.example/x' }, 'consultUrl'],
    ['a rate limit of zero', { rateLimitPerSecond: 0 }, 'rateLimitPerSecond'],
    ['a rate limit sent as a string', { rateLimitPerSecond: '5' }, 'rateLimitPerSecond'],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_case, overrides: Record<string, unknown>, field) => {
    const body: Record<string, unknown> = newMerchantBody(overrides);
    if (overrides.publicKey === 'PRIVATE') body.publicKey = TEST_KEYS.acqpPrivate;
    const before = await db.manager.count(MerchantEntity);

    const answer = await admin.post('/admin/v1/merchants', body);

    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('PARAM_ILLEGAL');
    expect(answer.json.error.message.startsWith(`${field}:`)).toBe(true);
    expect(answer.raw).not.toContain(bareBase64(TEST_KEYS.acqpPrivate).slice(0, 32));
    expect(await db.manager.count(MerchantEntity)).toBe(before);
  });

  it('refuses a bad update with 400 and changes nothing', async () => {
    const m = await createMerchant();
    for (const body of [{ status: 'PAUSED' }, { name: null }, { name: 'x'.repeat(129) }, { consultPolicy: 'ASK', consultUrl: null }]) {
      const answer = await admin.patch(`/admin/v1/merchants/${m.id}`, body);
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe('PARAM_ILLEGAL');
    }
    expect((await admin.get(`/admin/v1/merchants/${m.id}`)).json).toEqual(m);
  });

  it('answers 404 for an unknown merchant and 400/415 for bodies it cannot read', async () => {
    expect((await admin.get(`/admin/v1/merchants/${unique('nope')}`)).status).toBe(404);
    const broken = await admin.post('/admin/v1/merchants', undefined, { rawBody: '{"name": ' });
    expect(broken.status).toBe(400);
    expect(broken.json.error).toEqual({ code: 'PARAM_ILLEGAL', message: 'body: is not valid JSON' });
    const text = await admin.post('/admin/v1/merchants', undefined, { rawBody: 'name=x', contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json.error.code).toBe('MEDIA_TYPE_NOT_ACCEPTABLE');
    const array = await admin.post('/admin/v1/merchants', [newMerchantBody()]);
    expect(array.status).toBe(400);
    expect(array.json.error.message).toBe('body: must be a JSON object');
    expect((await admin.get('/admin/v1/merchants?limit=0')).json.error.message).toMatch(/^limit:/);
    expect((await admin.get('/admin/v1/merchants?cursor=garbage')).json.error.message).toMatch(/^cursor:/);
  });
});
