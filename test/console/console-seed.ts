import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CancelTokenAttemptEntity, CancelTokenJobEntity } from '../../src/authorizations/cancel-token-job.entity';
import { MerchantRequestEntity } from '../../src/authorizations/merchant-request.entity';
import { NotificationEntity } from '../../src/notifications/notification.entity';
import { newMerchantBody, unique, type AdminClient } from '../admin/admin-client';
import { seedDelivery, seedEvent } from '../admin/seed-callbacks';
import { AUTH_NOTIFY } from '../callbacks/callback-fixtures';
import { behaviours, waitFor, type Receiver } from '../callbacks/callback-receiver';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import type { TestApp } from '../support/test-app';

const MINUTE = 60_000;

/** A merchant's revoke call that started a cancelToken job: one timeout, then S. */
export async function seedRevoke(db: DataSource, merchantId: string, authorizationId: string, at: Date): Promise<void> {
  const ms = (n: number) => new Date(at.getTime() + n);
  await db.manager.insert(MerchantRequestEntity, {
    id: randomUUID(),
    merchantId,
    authorizationId,
    api: 'revoke',
    resultStatus: 'U',
    resultCode: 'PROCESSING',
    receivedAt: at,
  });
  const jobId = randomUUID();
  await db.manager.insert(CancelTokenJobEntity, {
    id: jobId,
    authorizationId,
    merchantId,
    merchantAccountId: null,
    status: 'SUCCEEDED',
    passThroughInfo: null,
    attemptCount: 2,
    nextAttemptAt: ms(1200),
    leaseOwner: null,
    leaseExpiresAt: null,
    leaseVersion: 2,
    lastResultStatus: 'S',
    lastResultCode: 'SUCCESS',
    settledAt: ms(1300),
    createdAt: ms(1),
    updatedAt: ms(1300),
  });
  await db.manager.insert(CancelTokenAttemptEntity, [
    { id: randomUUID(), jobId, attemptNo: 1, startedAt: ms(2), durationMs: 1000, resultStatus: null, resultCode: null, errorClass: 'TIMEOUT' },
    { id: randomUUID(), jobId, attemptNo: 2, startedAt: ms(1200), durationMs: 85, resultStatus: 'S', resultCode: 'SUCCESS', errorClass: null },
  ]);
}

/**
 * An hour of background traffic for the charts: notifications and delivery
 * attempts spread over the last 60 minutes, some failing. The deliveries are
 * settled and never due, so the dispatcher leaves them alone.
 */
export async function seedTraffic(db: DataSource, merchantId: string, endpointId: string, now: Date): Promise<void> {
  for (let m = 58; m >= 1; m--) {
    const at = new Date(now.getTime() - m * MINUTE);
    const notifications = (m * 7) % 5;
    for (let i = 0; i < notifications; i++) {
      const receivedAt = new Date(at.getTime() + i * 1000);
      await db.manager.insert(NotificationEntity, {
        id: randomUUID(),
        notifyType: i % 2 ? 'TOKEN_CANCELED' : 'TOKEN_CREATED',
        dedupeKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        subjectHash: randomUUID().replace(/-/g, ''),
        authorizationId: null,
        clientId: 'SEEDED',
        requestTime: receivedAt.toISOString(),
        redactedBody: '{}',
        outcome: 'APPLIED',
        duplicateCount: 0,
        receivedAt,
        lastReceivedAt: receivedAt,
      });
    }
    if (m % 3 === 0) {
      const failing = m % 12 === 0;
      await seedDelivery(db, {
        eventId: await seedEvent(db, merchantId, at),
        endpointId,
        merchantId,
        status: failing ? 'FAILED' : 'DELIVERED',
        createdAt: at,
        attempts: failing
          ? [
              { httpStatus: 503, outcome: 'RETRY', errorClass: 'HTTP_5XX' },
              { httpStatus: null, outcome: 'FAILED', errorClass: 'TIMEOUT' },
            ]
          : m % 9 === 0
            ? [
                { httpStatus: 502, outcome: 'RETRY', errorClass: 'HTTP_5XX' },
                { httpStatus: 200, outcome: 'SUCCEEDED' },
              ]
            : [{ httpStatus: 200, outcome: 'SUCCEEDED' }],
      });
    }
  }
}

export interface ConsoleStory {
  readonly n: ReturnType<typeof notificationSet>;
  readonly merchant: { id: string; name: string };
  /** Demo Shop's endpoint on the local receiver. */
  readonly endpointId: string;
  /** TOKEN_CANCELED to that endpoint: FAILED (the receiver answered 500); the receiver now answers S. */
  readonly failedDeliveryId: string;
}

/**
 * What the console test's pages show. Demo Shop, with a sub-merchant and an
 * endpoint on `receiver` (answering 500 for now), gets a token through real
 * signed authNotify calls; its revoke and cancelToken job are seeded; the
 * TOKEN_CANCELED that follows is sent by the real dispatcher and FAILS. Then
 * the receiver is fixed, and Acme Travel adds an hour of background traffic
 * and a disabled endpoint. Needs CALLBACK_RETRY_SCHEDULE=0s (one attempt).
 */
export async function seedConsoleStory(sut: TestApp, admin: AdminClient, receiver: Receiver): Promise<ConsoleStory> {
  const db = sut.app.get(DataSource);
  const n = notificationSet();
  const merchant = (
    await admin.post('/admin/v1/merchants', newMerchantBody({ referenceMerchantId: n.referenceMerchantId, name: 'Demo Shop', clientId: unique('DEMO_') }))
  ).json;
  await admin.post(`/admin/v1/merchants/${merchant.id}/sub-merchants`, { merchantAccountId: 'SHOP_01', name: 'Demo Shop Central' });
  const endpoint = await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: receiver.url() });
  if (endpoint.status !== 201) throw new Error(`endpoint not created: ${endpoint.raw}`);
  const endpointId: string = endpoint.json.id;

  const notify = async (body: object) => {
    const answer = await postSigned(sut.baseUrl, AUTH_NOTIFY, body, { requestTime: new Date().toISOString() });
    if (answer.json?.result?.resultStatus !== 'S') throw new Error(`authNotify answered ${answer.raw}`);
  };
  await notify(n.authCodeCreated);
  await notify(n.tokenCreated);
  const tokenId = (await admin.post('/admin/v1/tokens/lookup', { accessToken: n.accessToken })).json.token.id;
  await seedRevoke(db, merchant.id, tokenId, new Date());
  // The cancelToken job's second attempt is stamped 1.2 s after the revoke: the cancellation comes after it.
  await new Promise((r) => setTimeout(r, 1500));
  await notify(n.tokenCanceled('ACQUIRER'));
  const failed = async () => (await admin.get(`/admin/v1/deliveries?endpointId=${endpointId}&status=FAILED`)).json.items;
  await waitFor(async () => (await failed()).length === 1, 'the failed delivery');
  const failedDeliveryId: string = (await failed())[0].id;
  receiver.setBehaviour(behaviours.ok());

  const other = (await admin.post('/admin/v1/merchants', newMerchantBody({ name: 'Acme Travel' }))).json;
  const busy = (await admin.post(`/admin/v1/merchants/${other.id}/endpoints`, { url: 'https://hooks.acme-travel.example/antom' })).json.id;
  const off = (await admin.post(`/admin/v1/merchants/${other.id}/endpoints`, { url: 'https://old.acme-travel.example/callbacks' })).json.id;
  await admin.post(`/admin/v1/merchants/${other.id}/endpoints/${off}/disable`);
  await seedTraffic(db, other.id, busy, new Date());
  return { n, merchant, endpointId, failedDeliveryId };
}
