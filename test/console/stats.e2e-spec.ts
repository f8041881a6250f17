import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../src/common/clock';
import { NotificationEntity } from '../../src/notifications/notification.entity';
import { adminClient, newMerchantBody, type AdminClient } from '../admin/admin-client';
import { seedDelivery, seedEvent } from '../admin/seed-callbacks';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

const NOW = new Date('2026-11-22T10:30:30.000Z');
const at = (iso: string) => new Date(`2026-11-22T${iso}Z`);

/** The admin routes the console reads its charts and health table from, against both engines. */
describe(`console stats and delivery detail on ${testEngine()}`, () => {
  const clock = new ManualClock(NOW);
  let sut: TestApp;
  let admin: AdminClient;
  let db: DataSource;

  beforeAll(async () => {
    sut = await startTestApp({ clock });
    admin = adminClient(sut.baseUrl);
    db = sut.app.get(DataSource);
  });
  afterAll(() => sut.close());

  async function notification(receivedAt: Date) {
    await db.manager.insert(NotificationEntity, {
      id: randomUUID(),
      notifyType: 'TOKEN_CREATED',
      dedupeKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      subjectHash: randomUUID().replace(/-/g, ''),
      authorizationId: null,
      clientId: 'SANDBOX',
      requestTime: receivedAt.toISOString(),
      redactedBody: '{}',
      outcome: 'APPLIED',
      duplicateCount: 0,
      receivedAt,
      lastReceivedAt: receivedAt,
    });
  }

  async function endpoint(merchantId: string, status: 'ACTIVE' | 'DISABLED' = 'ACTIVE') {
    const e = (await admin.post(`/admin/v1/merchants/${merchantId}/endpoints`, { url: 'https://m.example/hooks' })).json;
    if (status === 'DISABLED') expect((await admin.post(`/admin/v1/merchants/${merchantId}/endpoints/${e.id}/disable`)).status).toBe(200);
    return e.id as string;
  }

  it('counts notifications, delivery attempts and failures per minute over the window, zeros included', async () => {
    for (const t of ['09:30:59', '09:31:00', '10:00:01', '10:00:59', '10:30:10']) await notification(at(t));
    const merchant = (await admin.post('/admin/v1/merchants', newMerchantBody())).json;
    const a = await endpoint(merchant.id);
    const delivery = async (createdAt: Date, attempts: Array<{ httpStatus: number | null; outcome: string; errorClass?: string }>) =>
      seedDelivery(db, {
        eventId: await seedEvent(db, merchant.id, createdAt),
        endpointId: a,
        merchantId: merchant.id,
        status: 'DELIVERED',
        createdAt,
        attempts,
      });
    await delivery(at('10:20:05'), [
      { httpStatus: 500, outcome: 'RETRY', errorClass: 'HTTP_5XX' },
      { httpStatus: 200, outcome: 'SUCCEEDED' },
    ]);
    await delivery(at('10:30:00'), [{ httpStatus: null, outcome: 'FAILED', errorClass: 'TIMEOUT' }]);
    await delivery(at('09:00:00'), [{ httpStatus: 200, outcome: 'SUCCEEDED' }]);

    const answer = await admin.get('/admin/v1/stats/activity');
    expect(answer.status).toBe(200);
    const { from, to, minutes } = answer.json;
    expect(from).toBe('2026-11-22T09:31:00.000Z');
    expect(to).toBe(NOW.toISOString());
    expect(minutes).toHaveLength(60);
    expect(minutes[0].minute).toBe('2026-11-22T09:31:00.000Z');
    expect(minutes[59].minute).toBe('2026-11-22T10:30:00.000Z');
    const nonZero = minutes.filter((m: any) => m.notifications + m.deliveryAttempts > 0);
    expect(nonZero).toEqual([
      { minute: '2026-11-22T09:31:00.000Z', notifications: 1, deliveryAttempts: 0, deliverySucceeded: 0, deliveryFailures: 0 },
      { minute: '2026-11-22T10:00:00.000Z', notifications: 2, deliveryAttempts: 0, deliverySucceeded: 0, deliveryFailures: 0 },
      { minute: '2026-11-22T10:20:00.000Z', notifications: 0, deliveryAttempts: 2, deliverySucceeded: 1, deliveryFailures: 1 },
      { minute: '2026-11-22T10:30:00.000Z', notifications: 1, deliveryAttempts: 1, deliverySucceeded: 0, deliveryFailures: 1 },
    ]);

    const short = await admin.get('/admin/v1/stats/activity?minutes=1');
    expect(short.json.minutes).toEqual([
      { minute: '2026-11-22T10:30:00.000Z', notifications: 1, deliveryAttempts: 1, deliverySucceeded: 0, deliveryFailures: 1 },
    ]);
  });

  it('lists disabled endpoints first, then the worst success rate, with the window counts', async () => {
    const merchant = (await admin.post('/admin/v1/merchants', newMerchantBody({ name: 'Stats Shop' }))).json;
    const [bad, good, off] = [await endpoint(merchant.id), await endpoint(merchant.id), await endpoint(merchant.id, 'DISABLED')];
    const seed = async (endpointId: string, outcomes: string[]) =>
      seedDelivery(db, {
        eventId: await seedEvent(db, merchant.id, at('10:10:00')),
        endpointId,
        merchantId: merchant.id,
        status: 'DELIVERED',
        createdAt: at('10:10:00'),
        attempts: outcomes.map((outcome) => ({ httpStatus: outcome === 'SUCCEEDED' ? 200 : 503, outcome })),
      });
    await seed(bad, ['RETRY', 'RETRY', 'SUCCEEDED']);
    await seed(good, ['SUCCEEDED']);

    const answer = await admin.get('/admin/v1/stats/endpoints?minutes=60');
    expect(answer.status).toBe(200);
    const mine = answer.json.items.filter((e: any) => e.merchantId === merchant.id);
    expect(mine.map((e: any) => e.endpointId)).toEqual([off, bad, good]);
    expect(mine[0]).toMatchObject({ status: 'DISABLED', attempts: 0, successRate: null, merchantName: 'Stats Shop', url: 'https://m.example/hooks' });
    expect(mine[1]).toMatchObject({ status: 'ACTIVE', attempts: 3, succeeded: 1, lastAttemptAt: '2026-11-22T10:10:02.000Z' });
    expect(mine[1].successRate).toBeCloseTo(1 / 3);
    expect(mine[2]).toMatchObject({ attempts: 1, succeeded: 1, successRate: 1 });

    // Outside a 10-minute window those attempts are not counted, and busy-but-healthy endpoints drop out.
    const recent = (await admin.get('/admin/v1/stats/endpoints?minutes=10')).json.items.filter((e: any) => e.merchantId === merchant.id);
    expect(recent.map((e: any) => e.endpointId)).toEqual([off]);
  });

  it.each([
    ['/admin/v1/stats/activity?minutes=0', 'minutes'],
    ['/admin/v1/stats/activity?minutes=1441', 'minutes'],
    ['/admin/v1/stats/activity?minutes=abc', 'minutes'],
    ['/admin/v1/stats/activity?bucket=5', 'bucket'],
    ['/admin/v1/stats/endpoints?limit=201', 'limit'],
  ])('refuses %s with 400 naming %s', async (path, field) => {
    const answer = await admin.get(path);
    expect(answer.status).toBe(400);
    expect(answer.json.error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('answers one delivery with every attempt and what the endpoint answered', async () => {
    const merchant = (await admin.post('/admin/v1/merchants', newMerchantBody())).json;
    const endpointId = await endpoint(merchant.id);
    const eventId = await seedEvent(db, merchant.id, at('10:00:00'));
    const id = await seedDelivery(db, {
      eventId,
      endpointId,
      merchantId: merchant.id,
      status: 'DELIVERED',
      createdAt: at('10:00:00'),
      attempts: [
        { httpStatus: 500, outcome: 'RETRY', errorClass: 'HTTP_5XX' },
        { httpStatus: 200, outcome: 'SUCCEEDED' },
      ],
    });
    await db.query('UPDATE delivery_attempts SET response_body = ? WHERE delivery_id = ? AND attempt_no = 1', ['<h1>down</h1>', id]);

    const answer = await admin.get(`/admin/v1/deliveries/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id, eventId, endpointId, eventType: 'TOKEN_CANCELED', status: 'DELIVERED', attemptCount: 2 });
    expect(answer.json.attempts).toEqual([
      {
        attemptNo: 1,
        startedAt: '2026-11-22T10:00:00.000Z',
        durationMs: 120,
        httpStatus: 500,
        outcome: 'RETRY',
        errorClass: 'HTTP_5XX',
        responseBody: '<h1>down</h1>',
      },
      { attemptNo: 2, startedAt: '2026-11-22T10:00:01.000Z', durationMs: 121, httpStatus: 200, outcome: 'SUCCEEDED', errorClass: null, responseBody: null },
    ]);
    expect((await admin.get(`/admin/v1/deliveries/${randomUUID()}`)).status).toBe(404);
    expect((await admin.get(`/admin/v1/deliveries/${id}`, { token: null })).status).toBe(401);
    // The list route beside it still answers.
    expect((await admin.get(`/admin/v1/deliveries?endpointId=${endpointId}`)).json.items.map((d: any) => d.id)).toEqual([id]);
  });
});
