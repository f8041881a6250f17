import { CallbackDispatcher } from '../../src/callbacks/callback.dispatcher';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeliveryAdminRepository } from '../../src/callbacks/delivery-admin.repository';
import { DeliveryEntity } from '../../src/callbacks/delivery.entity';
import { DeliveryRepository, type ClaimedDelivery } from '../../src/callbacks/delivery.repository';
import { EventEntity } from '../../src/callbacks/event.entity';
import { ManualClock } from '../../src/common/clock';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { seedMerchant } from '../support/merchants';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { callbackHarness, type CallbackHarness } from './callback-fixtures';
import { startReceiver, waitFor } from './callback-receiver';

const DAY = 86_400_000;
const done = { status: 'DELIVERED' as const, nextAttemptAt: null, lastHttpStatus: 200, lastError: null };
const attempt = (startedAt: Date) => ({ startedAt, durationMs: 3, httpStatus: 200, responseBody: null, errorClass: null, outcome: 'SUCCEEDED' as const });

/**
 * The lease protocol at the repository level. Deliveries here are due a year
 * ahead of the app's clock, so the running dispatcher never touches them:
 * the test plays two instances by hand.
 */
describe(`delivery leases on ${testEngine()}`, () => {
  const clock = new ManualClock(new Date());
  let sut: TestApp;
  let h: CallbackHarness;
  let repo: DeliveryRepository;
  let uow: UnitOfWork;
  let db: DataSource;
  /** Each test works further on in time, clear of the rows of the tests before it. */
  let far = 0;
  let offset = 0;

  beforeAll(async () => {
    // The app's own dispatcher polls rarely here: on MySQL its claim scan briefly locks the row past its
    // range (InnoDB next-key locking), which SKIP LOCKED would then make the hand-played claims skip.
    sut = await startTestApp({ clock, env: { CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', CALLBACK_POLL_MS: '60000' } });
    h = callbackHarness(sut, clock);
    repo = sut.app.get(DeliveryRepository);
    uow = sut.app.get(UnitOfWork);
    db = sut.app.get(DataSource);
    // Its first cycle starts at boot: let it end before the hand-played claims, or its scan's locks make them skip rows.
    await sut.app.get(CallbackDispatcher).runOnce();
  });
  afterAll(() => sut.close());

  /** A fresh event fanned out to one new endpoint, due at `dueAt`; returns the delivery id. */
  async function deliveryDueAt(dueAt: Date): Promise<{ id: string; endpointId: string }> {
    const merchant = await seedMerchant(sut.app);
    const endpoint = await h.insertEndpoint(merchant.id, 'http://127.0.0.1:9/never');
    const now = clock.now();
    await uow.run(async (em) => {
      const event = em.create(EventEntity, {
        id: randomUUID(),
        eventType: 'TOKEN_CANCELED',
        dedupeKey: createHash('sha256').update(randomUUID()).digest('hex'),
        authorizationId: null,
        authCodeId: null,
        merchantId: merchant.id,
        cancelSource: 'PSP',
        occurredAt: now,
        createdAt: now,
      });
      await em.insert(EventEntity, event);
      expect(await repo.fanOut(em, event, dueAt)).toBe(1);
    });
    const [d] = await h.deliveries(endpoint.id);
    return { id: d.id, endpointId: endpoint.id };
  }

  const claim = (owner: string, at: Date, leaseMs: number, busy: string[] = []): Promise<ClaimedDelivery[]> =>
    uow.run(async (em) => repo.lease(em, await repo.findDue(em, at, 100, busy), owner, at, leaseMs));
  const completeAll = (cs: ClaimedDelivery[], at: Date) =>
    uow.run((em) =>
      repo.completeMany(
        em,
        cs.map((claim) => ({ claim, ...done, attempt: attempt(at) })),
        at,
      ),
    );
  const complete = async (c: ClaimedDelivery, at: Date) => (await completeAll([c], at)).has(c.delivery.id);

  beforeEach(() => {
    offset += 30 * DAY;
    far = clock.now().getTime() + 365 * DAY + offset;
  });

  it('lets only the current lease holder complete: a worker whose lease expired is fenced out', async () => {
    const t1 = new Date(far);
    const { id } = await deliveryDueAt(t1);
    const [a] = await claim('instance-A', t1, 1_000);
    expect(a).toMatchObject({ leaseVersion: 1, delivery: { id, status: 'LEASED', leaseOwner: 'instance-A' } });

    // A stalls past its lease; the reaper frees the row and B claims it.
    const t2 = new Date(far + 2_000);
    expect(await uow.run((em) => repo.reapExpired(em, t2, []))).toBe(1);
    const [b] = await claim('instance-B', t2, 60_000);
    expect(b).toMatchObject({ leaseVersion: 3, delivery: { id, leaseOwner: 'instance-B' } });

    expect(await complete(a, t2)).toBe(false);
    expect(await h.delivery(id)).toMatchObject({ status: 'LEASED', leaseOwner: 'instance-B', leaseVersion: 3, attemptCount: 0 });

    expect(await complete(b, t2)).toBe(true);
    expect(await h.delivery(id)).toMatchObject({ status: 'DELIVERED', leaseOwner: null, attemptCount: 1, deliveredAt: t2 });
    expect(await complete(a, t2)).toBe(false);
  });

  it('reaps only expired leases, and never the ones this instance is still sending', async () => {
    const t = new Date(far);
    const { id } = await deliveryDueAt(t);
    await claim('me', t, 60_000);
    expect(await uow.run((em) => repo.reapExpired(em, new Date(far + 59_000), []))).toBe(0);
    expect(await uow.run((em) => repo.reapExpired(em, new Date(far + 61_000), [id]))).toBe(0);
    expect(await uow.run((em) => repo.reapExpired(em, new Date(far + 61_000), []))).toBe(1);
    expect(await h.delivery(id)).toMatchObject({ status: 'PENDING', leaseOwner: null, nextAttemptAt: new Date(far + 61_000) });
    const [again] = await claim('me', new Date(far + 61_000), 60_000);
    expect(await complete(again, new Date(far + 62_000))).toBe(true);
  });

  it('completes a batch at once: a fenced-out row untouched, attempts numbered after an earlier series', async () => {
    const t = new Date(far);
    const [a, b, c] = [await deliveryDueAt(t), await deliveryDueAt(t), await deliveryDueAt(t)];
    // c has a history: one delivered attempt, then an operator's redeliver (a new series from attempt_count 0).
    const [first] = await claim('me', t, 60_000, [a.endpointId, b.endpointId]);
    expect(await complete(first, t)).toBe(true);
    expect(await uow.run((em) => sut.app.get(DeliveryAdminRepository).redeliver(em, c.id, t))).toBe(true);

    const claims = await claim('me', t, 60_000);
    expect(claims.map((x) => x.delivery.id).sort()).toEqual([a.id, b.id, c.id].sort());
    // b's lease moves on (reaped and taken elsewhere) before the batch is written.
    await db.manager.update(DeliveryEntity, { id: b.id }, { leaseOwner: 'B', leaseVersion: () => 'lease_version + 1' });

    const at = new Date(far + 1_000);
    expect([...(await completeAll(claims, at))].sort()).toEqual([a.id, c.id].sort());
    expect(await h.delivery(b.id)).toMatchObject({ status: 'LEASED', leaseOwner: 'B', attemptCount: 0 });
    expect(await h.attempts(b.id)).toEqual([]);
    expect(await h.delivery(a.id)).toMatchObject({ status: 'DELIVERED', attemptCount: 1, deliveredAt: at, leaseOwner: null });
    expect((await h.attempts(a.id)).map((x) => x.attemptNo)).toEqual([1]);
    expect(await h.delivery(c.id)).toMatchObject({ status: 'DELIVERED', attemptCount: 1, deliveredAt: at });
    expect((await h.attempts(c.id)).map((x) => x.attemptNo)).toEqual([1, 2]);
  });

  it('claims nothing twice, and skips endpoints at their cap', async () => {
    const t = new Date(far);
    const one = await deliveryDueAt(t);
    const two = await deliveryDueAt(t);
    expect((await claim('A', t, 60_000, [one.endpointId])).map((c) => c.delivery.id)).toEqual([two.id]);
    expect((await claim('B', t, 60_000)).map((c) => c.delivery.id)).toEqual([one.id]);
    expect(await claim('C', t, 60_000)).toEqual([]);
  });

  (testEngine() === 'mysql' ? it : it.skip)('lets a second instance claim past rows another has locked (SKIP LOCKED)', async () => {
    const t = new Date(far);
    const one = await deliveryDueAt(t);
    const two = await deliveryDueAt(t);
    const first = db.createQueryRunner();
    await first.startTransaction();
    try {
      const locked = await repo.findDue(first.manager, t, 1, []);
      expect(locked.map((d) => d.id)).toEqual([expect.any(String)]);
      const other = await uow.run((em) => repo.findDue(em, t, 100, []));
      expect(other.map((d) => d.id)).toEqual([one.id, two.id].filter((x) => x !== locked[0].id));
    } finally {
      await first.rollbackTransaction();
      await first.release();
    }
  });

  (testEngine() === 'mysql' ? it : it.skip)('claims along ix_deliveries_due without a filesort', async () => {
    const base = far;
    const statuses = ['PENDING', 'DELIVERED', 'FAILED', 'DELIVERED', 'DELIVERED', 'LEASED'] as const;
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: randomUUID(),
      eventId: randomUUID(),
      endpointId: randomUUID(),
      merchantId: randomUUID(),
      status: statuses[i % statuses.length],
      attemptCount: 0,
      nextAttemptAt: new Date(base + 10 * DAY + (i % 500) * 60_000),
      leaseVersion: 0,
      createdAt: new Date(base),
      updatedAt: new Date(base),
    }));
    for (let i = 0; i < rows.length; i += 500) await db.manager.insert(DeliveryEntity, rows.slice(i, i + 500));
    await db.query('ANALYZE TABLE deliveries');

    const runner = db.createQueryRunner();
    const query = jest.spyOn(runner, 'query');
    try {
      await runner.startTransaction();
      await repo.findDue(runner.manager, new Date(base + 10 * DAY + 100 * 60_000), 32, [randomUUID()]);
      const [sql, params] = query.mock.calls.find(([q]) => /FROM `deliveries`/.test(q))!;
      await runner.rollbackTransaction();
      query.mockRestore();
      expect(sql).toMatch(/FOR UPDATE SKIP LOCKED/);
      const plan: Array<Record<string, unknown>> = await db.query(`EXPLAIN ${sql}`, params);
      expect(plan).toHaveLength(1);
      expect(plan[0]).toMatchObject({ table: 'd', key: 'ix_deliveries_due', type: 'range' });
      expect(String(plan[0].Extra)).not.toMatch(/filesort/i);
    } finally {
      await runner.release();
    }
  });

  it('is woken by the commit that wrote the event, not by its (here one-minute) poll', async () => {
    const receiver = await startReceiver();
    try {
      const merchant = await seedMerchant(sut.app);
      const endpoint = await h.insertEndpoint(merchant.id, receiver.url());
      await h.walletCancel(merchant.referenceMerchantId);
      await waitFor(async () => (await h.deliveries(endpoint.id))[0]?.status === 'DELIVERED', 'the delivery', 5_000);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
