import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CancelTokenAttemptEntity, CancelTokenJobEntity } from '../../src/authorizations/cancel-token-job.entity';
import { MerchantRequestEntity } from '../../src/authorizations/merchant-request.entity';
import { EventEntity } from '../../src/callbacks/event.entity';
import { ManualClock } from '../../src/common/clock';
import { mask } from '../../src/common/crypto/fingerprint';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { adminClient, newMerchantBody, type AdminClient } from './admin-client';
import { seedDelivery } from './seed-callbacks';

const AUTH_NOTIFY = '/aps/api/v1/authorizations/authNotify';

describe(`admin token look-up on ${testEngine()}`, () => {
  let sut: TestApp;
  let admin: AdminClient;
  let db: DataSource;

  // Moved a second per notification, so the timeline's order never rests on two rows sharing a millisecond.
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    sut = await startTestApp({ clock });
    admin = adminClient(sut.baseUrl);
    db = sut.app.get(DataSource);
  });
  afterAll(() => sut.close());

  const notify = async (body: object) => {
    const answer = await postSigned(sut.baseUrl, AUTH_NOTIFY, body, { requestTime: clock.now().toISOString() });
    expect(answer.json.result.resultStatus).toBe('S');
    clock.advance(1000);
  };

  /**
   * A token created and canceled through real signed authNotify calls. The
   * merchant's endpoint exists first, so the outbox fans TOKEN_CANCELED out to
   * it for real; a second endpoint added afterwards gets a seeded delivery with
   * known attempts, next to a seeded revoke call and cancelToken job.
   */
  async function canceledToken() {
    const n = notificationSet();
    const merchant = (await admin.post('/admin/v1/merchants', newMerchantBody({ referenceMerchantId: n.referenceMerchantId }))).json;
    const fannedOut = (await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: 'https://merchant.example/hooks' })).json;
    await notify(n.authCodeCreated);
    await notify(n.tokenCreated);
    await notify(n.tokenCanceled('PSP'));
    await notify(n.tokenCanceled('PSP'));
    const seededEndpoint = (await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: 'https://merchant.example/v2' })).json;

    const lookup = await admin.post('/admin/v1/tokens/lookup', { accessToken: n.accessToken });
    const authorizationId: string = lookup.json.token.id;
    const now = clock.now();
    await db.manager.insert(MerchantRequestEntity, {
      id: randomUUID(),
      merchantId: merchant.id,
      authorizationId,
      api: 'revoke',
      resultStatus: 'U',
      resultCode: 'PROCESSING',
      receivedAt: now,
    });
    const jobId = randomUUID();
    await db.manager.insert(CancelTokenJobEntity, {
      id: jobId,
      authorizationId,
      merchantId: merchant.id,
      merchantAccountId: null,
      status: 'SETTLED',
      passThroughInfo: null,
      attemptCount: 1,
      nextAttemptAt: now,
      leaseOwner: null,
      leaseExpiresAt: null,
      leaseVersion: 1,
      lastResultStatus: 'U',
      lastResultCode: 'UNKNOWN_EXCEPTION',
      settledAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await db.manager.insert(CancelTokenAttemptEntity, {
      id: randomUUID(),
      jobId,
      attemptNo: 1,
      startedAt: now,
      durationMs: 5000,
      resultStatus: null,
      resultCode: null,
      errorClass: 'TIMEOUT',
    });
    const canceled = await db.manager.findOneByOrFail(EventEntity, { authorizationId, eventType: 'TOKEN_CANCELED' });
    await seedDelivery(db, {
      eventId: canceled.id,
      endpointId: seededEndpoint.id,
      merchantId: merchant.id,
      status: 'DELIVERED',
      createdAt: now,
      attempts: [
        { httpStatus: 503, outcome: 'RETRY', errorClass: 'HTTP_5XX' },
        { httpStatus: 200, outcome: 'SUCCEEDED' },
      ],
    });
    return { n, merchant, fannedOut, seededEndpoint, authorizationId };
  }

  it('answers the token masked, with its state, merchant, customer and a timeline', async () => {
    const { n, merchant, fannedOut, seededEndpoint } = await canceledToken();

    const answer = await admin.post('/admin/v1/tokens/lookup', { accessToken: n.accessToken });

    expect(answer.status).toBe(200);
    expect(answer.raw).not.toContain(n.accessToken);
    expect(answer.raw).not.toContain(n.tokenCreated.refreshToken);
    expect(answer.raw).not.toContain(n.authCode);
    expect(answer.json.token).toMatchObject({
      accessToken: mask(n.accessToken),
      status: 'CANCELED',
      cancelSource: 'PSP',
      canceledAt: expect.any(String),
      merchant: { id: merchant.id, referenceMerchantId: n.referenceMerchantId, name: merchant.name },
      customerId: n.tokenCreated.customerId,
      pspId: n.tokenCreated.pspId,
      scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
      accessTokenExpiryTime: '2027-06-06T04:12:12.000Z',
    });
    expect(answer.json.token.accessToken).toMatch(/^.{4}\*{4}.{4}$/);

    const t = answer.json.timeline;
    expect(t.notifications.map((x: any) => [x.type, x.duplicateCount])).toEqual([
      ['AUTHCODE_CREATED', 0],
      ['TOKEN_CREATED', 0],
      ['TOKEN_CANCELED', 1],
    ]);
    expect(t.merchantRequests).toEqual([expect.objectContaining({ api: 'revoke', resultStatus: 'U', resultCode: 'PROCESSING' })]);
    expect(t.cancelTokenJob).toMatchObject({ status: 'SETTLED', attemptCount: 1, attempts: [{ attemptNo: 1, errorClass: 'TIMEOUT', durationMs: 5000 }] });
    expect(t.events.map((e: any) => e.type)).toEqual(['AUTHCODE_CREATED', 'TOKEN_CREATED', 'TOKEN_CANCELED']);
    const canceled = t.events[2];
    expect(canceled.cancelSource).toBe('PSP');
    const byEndpoint = new Map(canceled.deliveries.map((d: any) => [d.endpointId, d]));
    // The real fan-out: the dispatcher may be sending it right now, so only its existence is certain.
    expect(byEndpoint.get(fannedOut.id)).toMatchObject({ eventType: 'TOKEN_CANCELED', merchantId: merchant.id });
    expect(byEndpoint.get(seededEndpoint.id)).toMatchObject({
      status: 'DELIVERED',
      attemptCount: 2,
      eventType: 'TOKEN_CANCELED',
      attempts: [
        expect.objectContaining({ attemptNo: 1, httpStatus: 503, outcome: 'RETRY', errorClass: 'HTTP_5XX' }),
        expect.objectContaining({ attemptNo: 2, httpStatus: 200, outcome: 'SUCCEEDED' }),
      ],
    });
    expect(canceled.deliveries).toHaveLength(2);
    // The endpoints subscribe to TOKEN_CANCELED only (the default).
    expect(t.events[1].deliveries).toEqual([]);
    expect(t.events[0].deliveries).toEqual([]);
  });

  it('answers the same by query string and by id', async () => {
    const { n, authorizationId } = await canceledToken();
    const byBody = await admin.post('/admin/v1/tokens/lookup', { accessToken: n.accessToken });
    const byQuery = await admin.get(`/admin/v1/tokens/lookup?accessToken=${encodeURIComponent(n.accessToken)}`);
    const byId = await admin.get(`/admin/v1/tokens/${authorizationId}`);
    // Deliveries are left out: the dispatcher may be updating the fanned-out one between the calls.
    const stable = (a: any) => ({ token: a.token, ...a.timeline, events: a.timeline.events.map((e: any) => e.id) });
    expect(byBody.status).toBe(200);
    expect(stable(byQuery.json)).toEqual(stable(byBody.json));
    expect(stable(byId.json)).toEqual(stable(byBody.json));
  });

  it("lists a customer's tokens, masked, optionally for one merchant", async () => {
    const { n, merchant } = await canceledToken();
    const other = notificationSet();
    await notify({ ...other.tokenCreated, customerId: n.tokenCreated.customerId });

    const all = await admin.get(`/admin/v1/tokens?customerId=${n.tokenCreated.customerId}`);
    expect(all.status).toBe(200);
    expect(all.json.items.map((t: any) => t.accessToken)).toEqual(expect.arrayContaining([mask(n.accessToken), mask(other.accessToken)]));
    expect(all.raw).not.toContain(n.accessToken);
    const mine = await admin.get(`/admin/v1/tokens?customerId=${n.tokenCreated.customerId}&merchantId=${merchant.id}`);
    expect(mine.json.items.map((t: any) => t.accessToken)).toEqual([mask(n.accessToken)]);
    expect(mine.json.items[0].merchant.id).toBe(merchant.id);
  });

  it('answers 404 for an unknown token without echoing it, and 400 without one', async () => {
    const unknown = notificationSet().accessToken;
    const answer = await admin.post('/admin/v1/tokens/lookup', { accessToken: unknown });
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('NOT_FOUND');
    expect(answer.raw).not.toContain(unknown);
    const missing = await admin.post('/admin/v1/tokens/lookup', {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/^accessToken:/);
    expect((await admin.get('/admin/v1/tokens')).json.error.message).toMatch(/^customerId:/);
  });
});
