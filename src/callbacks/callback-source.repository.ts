import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthCodeEntity } from '../authorizations/auth-code.entity';
import { AuthorizationEntity } from '../authorizations/authorization.entity';
import { CallbackEndpointEntity } from '../merchants/callback-endpoint.entity';
import { MerchantEntity } from '../merchants/merchant.entity';
import { SubMerchantEntity } from '../merchants/sub-merchant.entity';
import type { DeliveryEntity } from './delivery.entity';
import { EventEntity } from './event.entity';

/** Everything one callback is made of, as stored (secrets still encrypted). */
export interface CallbackSource {
  readonly event: EventEntity;
  readonly endpoint: CallbackEndpointEntity;
  readonly merchant: MerchantEntity | null;
  readonly subMerchant: SubMerchantEntity | null;
  readonly authorization: AuthorizationEntity | null;
  readonly authCode: AuthCodeEntity | null;
}

/**
 * Reads what a delivery refers to, at send time: the endpoint as it is now
 * (URL, scheme and secrets may have changed since the fan-out), and the
 * token or code the event is about. Scoped by the delivery's merchant.
 */
@Injectable()
export class CallbackSourceRepository {
  async load(em: EntityManager, delivery: DeliveryEntity): Promise<CallbackSource | null> {
    const merchantId = delivery.merchantId;
    const [event, endpoint, merchant] = await Promise.all([
      em.findOne(EventEntity, { where: { id: delivery.eventId, merchantId } }),
      em.findOne(CallbackEndpointEntity, { where: { id: delivery.endpointId, merchantId } }),
      em.findOne(MerchantEntity, { where: { id: merchantId } }),
    ]);
    if (!event || !endpoint) return null;
    const [subMerchant, authorization, authCode] = await Promise.all([
      endpoint.subMerchantId === null ? null : em.findOne(SubMerchantEntity, { where: { id: endpoint.subMerchantId, merchantId } }),
      event.authorizationId === null ? null : em.findOne(AuthorizationEntity, { where: { id: event.authorizationId } }),
      event.authCodeId === null ? null : em.findOne(AuthCodeEntity, { where: { id: event.authCodeId } }),
    ]);
    return { event, endpoint, merchant, subMerchant, authorization, authCode };
  }
}
