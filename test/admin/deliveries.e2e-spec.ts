import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { adminClient, newMerchantBody, type AdminClient } from './admin-client';
import { seedDelivery, seedEvent } from './seed-callbacks';

describe(`admin deliveries list on ${testEngine()}`, () => {
  let sut: TestApp;
  let admin: AdminClient;
  let db: DataSource;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = adminClient(sut.baseUrl);
    db = sut.app.get(DataSource);
  });
  afterAll(() => sut.close());

  /** A merchant with two endpoints and five deliveries a minute apart, oldest first. */
  async function seeded() {
    const merchant = (await admin.post('/admin/v1/merchants', newMerchantBody())).json;
    const endpoint = async () => (await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: 'https://m.example/h' })).json.id;
    const [a, b] = [await endpoint(), await endpoint()];
    const start = new Date('2026-05-01T10:00:00.000Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    const plan: Array<[string, string, number]> = [
      [a, 'DELIVERED', 0],
      [a, 'FAILED', 1],
      [b, 'PENDING', 2],
      [a, 'FAILED', 3],
      [b, 'DELIVERED', 4],
    ];
    const ids: string[] = [];
    for (const [endpointId, status, minute] of plan) {
      const eventId = await seedEvent(db, merchant.id, at(minute));
      ids.push(
        await seedDelivery(db, {
          eventId,
          endpointId,
          merchantId: merchant.id,
          status,
          createdAt: at(minute),
          attempts: [{ httpStatus: 500, outcome: 'FAILED' }],
        }),
      );
    }
    return { merchant, a, b, ids, at };
  }

  const list = async (query: string) => {
    const answer = await admin.get(`/admin/v1/deliveries?${query}`);
    expect(answer.status).toBe(200);
    return answer.json;
  };

  it("lists a merchant's deliveries newest first with their event type", async () => {
    const { merchant, ids, a } = await seeded();
    const page = await list(`merchantId=${merchant.id}`);
    expect(page.items.map((d: any) => d.id)).toEqual([...ids].reverse());
    expect(page.nextCursor).toBeNull();
    expect(page.items[4]).toMatchObject({
      endpointId: a,
      merchantId: merchant.id,
      eventType: 'TOKEN_CANCELED',
      status: 'DELIVERED',
      attemptCount: 1,
      lastHttpStatus: 500,
      createdAt: '2026-05-01T10:00:00.000Z',
    });
  });

  it('filters by status, endpoint and time window', async () => {
    const { merchant, ids, a, b, at } = await seeded();
    const m = `merchantId=${merchant.id}`;
    expect((await list(`${m}&status=FAILED`)).items.map((d: any) => d.id)).toEqual([ids[3], ids[1]]);
    expect((await list(`${m}&endpointId=${b}`)).items.map((d: any) => d.id)).toEqual([ids[4], ids[2]]);
    expect((await list(`${m}&endpointId=${a}&status=DELIVERED`)).items.map((d: any) => d.id)).toEqual([ids[0]]);
    const window = await list(`${m}&since=${at(1).toISOString()}&until=${at(3).toISOString()}`);
    expect(window.items.map((d: any) => d.id)).toEqual([ids[2], ids[1]]);
  });

  it('pages with a cursor without skipping or repeating', async () => {
    const { merchant, ids } = await seeded();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await list(`merchantId=${merchant.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((d: any) => d.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it.each([
    ['limit=500', 'limit'],
    ['since=yesterday', 'since'],
    ['status=failed', 'status'],
    ['since=2026-05-02T00:00:00Z&until=2026-05-01T00:00:00Z', 'until'],
    ['sort=asc', 'sort'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const answer = await admin.get(`/admin/v1/deliveries?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error.message.startsWith(`${field}:`)).toBe(true);
  });
});
