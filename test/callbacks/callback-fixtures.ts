import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallbackDispatcher } from '../../src/callbacks/callback.dispatcher';
import { DeliveryAttemptEntity, DeliveryEntity } from '../../src/callbacks/delivery.entity';
import { EventEntity } from '../../src/callbacks/event.entity';
import type { ManualClock } from '../../src/common/clock';
import { TokenVault } from '../../src/common/crypto/token-vault';
import { AuthorizationEntity } from '../../src/authorizations/authorization.entity';
import { CallbackEndpointEntity } from '../../src/merchants/callback-endpoint.entity';
import type { SigningScheme } from '../../src/protocol/signing-schemes';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import type { TestApp } from '../support/test-app';

export const AUTH_NOTIFY = '/aps/api/v1/authorizations/authNotify';

/** Test-side views of one app: notify as Alipay+, read the outbox tables, step the dispatcher. */
export function callbackHarness(sut: TestApp, clock: ManualClock) {
  const db = sut.app.get(DataSource);
  const vault = sut.app.get(TokenVault);
  const dispatcher = sut.app.get(CallbackDispatcher);

  const notify = async (body: object) => {
    const answer = await postSigned(sut.baseUrl, AUTH_NOTIFY, body, { requestTime: clock.now().toISOString() });
    expect(answer.json.result.resultStatus).toBe('S');
  };

  return {
    db,
    dispatcher,
    notify,
    /** A token created and then canceled on the wallet side (PSP), through real signed authNotify calls. */
    async walletCancel(referenceMerchantId: string) {
      const n = notificationSet(referenceMerchantId);
      await notify(n.tokenCreated);
      await notify(n.tokenCanceled('PSP'));
      return n;
    },
    async cancelEvent(accessToken: string): Promise<EventEntity> {
      const token = await db.manager.findOneByOrFail(AuthorizationEntity, { accessTokenHash: vault.lookupHash('access-token', accessToken) });
      return db.manager.findOneByOrFail(EventEntity, { authorizationId: token.id, eventType: 'TOKEN_CANCELED' });
    },
    deliveries: (endpointId: string) => db.manager.find(DeliveryEntity, { where: { endpointId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    delivery: (id: string) => db.manager.findOneByOrFail(DeliveryEntity, { id }),
    attempts: (deliveryId: string) => db.manager.find(DeliveryAttemptEntity, { where: { deliveryId }, order: { attemptNo: 'ASC' } }),
    endpoint: (id: string) => db.manager.findOneByOrFail(CallbackEndpointEntity, { id }),
    /** Moves the clock to when the delivery is next due (never backwards), then runs a dispatcher cycle to the end. */
    async step(deliveryId: string) {
      const d = await db.manager.findOneByOrFail(DeliveryEntity, { id: deliveryId });
      if (d.nextAttemptAt.getTime() > clock.now().getTime()) clock.set(d.nextAttemptAt);
      await dispatcher.runOnce();
    },
    /** An endpoint written straight to the table, bypassing the registration checks (as an old row or a changed DNS would). */
    async insertEndpoint(merchantId: string, url: string, options: { subMerchantId?: string; signingScheme?: SigningScheme } = {}) {
      const now = clock.now();
      const row: CallbackEndpointEntity = {
        id: randomUUID(),
        merchantId,
        subMerchantId: options.subMerchantId ?? null,
        url,
        eventTypes: 'TOKEN_CANCELED',
        status: 'ACTIVE',
        signingScheme: options.signingScheme ?? 'ANTOM_RSA',
        secretEnc: null,
        previousSecretEnc: null,
        disabledReason: null,
        disabledAt: null,
        failingSince: null,
        createdAt: now,
        updatedAt: now,
      };
      await db.manager.insert(CallbackEndpointEntity, row);
      return row;
    },
  };
}

export type CallbackHarness = ReturnType<typeof callbackHarness>;
