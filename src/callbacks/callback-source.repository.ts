import { Injectable } from '@nestjs/common';
import { In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
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
 * Reads what a claim's deliveries refer to, at send time: the endpoints as
 * they are now (URL, scheme and secrets may have changed since the fan-out),
 * and the tokens or codes the events are about. One query per table for the
 * whole claim: a cancellation's deliveries share their event, token and
 * merchant. Every row is scoped by the delivery's merchant.
 */
@Injectable()
export class CallbackSourceRepository {
  /** Keyed by delivery id; null where the event or the endpoint is gone (or belongs to another merchant). */
  async loadMany(em: EntityManager, deliveries: readonly DeliveryEntity[]): Promise<Map<string, CallbackSource | null>> {
    const [events, endpoints, merchants] = await Promise.all([
      byId(em, EventEntity, deliveries.map((d) => d.eventId)),
      byId(em, CallbackEndpointEntity, deliveries.map((d) => d.endpointId)),
      byId(em, MerchantEntity, deliveries.map((d) => d.merchantId)),
    ]);
    const [subMerchants, authorizations, authCodes] = await Promise.all([
      byId(em, SubMerchantEntity, [...endpoints.values()].map((e) => e.subMerchantId)),
      byId(em, AuthorizationEntity, [...events.values()].map((e) => e.authorizationId)),
      byId(em, AuthCodeEntity, [...events.values()].map((e) => e.authCodeId)),
    ]);
    const sources = new Map<string, CallbackSource | null>();
    for (const d of deliveries) {
      const mine = <T extends { merchantId: string | null }>(row: T | undefined): T | undefined => (row?.merchantId === d.merchantId ? row : undefined);
      const event = mine(events.get(d.eventId));
      const endpoint = mine(endpoints.get(d.endpointId));
      if (!event || !endpoint) {
        sources.set(d.id, null);
        continue;
      }
      sources.set(d.id, {
        event,
        endpoint,
        merchant: merchants.get(d.merchantId) ?? null,
        subMerchant: (endpoint.subMerchantId !== null && mine(subMerchants.get(endpoint.subMerchantId))) || null,
        authorization: (event.authorizationId !== null && authorizations.get(event.authorizationId)) || null,
        authCode: (event.authCodeId !== null && authCodes.get(event.authCodeId)) || null,
      });
    }
    return sources;
  }
}

async function byId<T extends ObjectLiteral & { id: string }>(em: EntityManager, entity: EntityTarget<T>, ids: ReadonlyArray<string | null>): Promise<Map<string, T>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await em.find(entity, { where: { id: In(wanted) } as never });
  return new Map(rows.map((r) => [r.id, r]));
}
