import { EVENT_TYPES, type NotificationType } from '../protocol/notification-types';
import type { SigningScheme } from '../protocol/signing-schemes';
import type { CallbackEndpointEntity, EndpointStatus } from './callback-endpoint.entity';
import type { ConsultPolicy, MerchantEntity, MerchantStatus } from './merchant.entity';
import { publicKeyFingerprint } from './merchant-public-key';
import type { SubMerchantEntity } from './sub-merchant.entity';

/** A merchant as services hand it out: keys reduced to fingerprints. */
export interface MerchantView {
  readonly id: string;
  readonly referenceMerchantId: string;
  readonly name: string;
  readonly status: MerchantStatus;
  readonly clientId: string;
  readonly publicKeyFingerprint: string | null;
  /** Set while a key rotation is in progress: this key is still accepted. */
  readonly previousPublicKeyFingerprint: string | null;
  readonly consultPolicy: ConsultPolicy;
  readonly consultUrl: string | null;
  readonly rateLimitPerSecond: number | null;
  /** The gateway exchanges AUTHCODE_CREATED codes for tokens itself. */
  readonly autoExchange: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SubMerchantView {
  readonly id: string;
  readonly merchantId: string;
  readonly merchantAccountId: string;
  readonly name: string;
  readonly status: MerchantStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A callback endpoint without its secrets: those are shown once, when made. */
export interface EndpointView {
  readonly id: string;
  readonly merchantId: string;
  readonly subMerchantId: string | null;
  readonly url: string;
  readonly eventTypes: NotificationType[];
  readonly status: EndpointStatus;
  readonly signingScheme: SigningScheme;
  /** A rotated-out secret is still signed with during a rotation. */
  readonly hasPreviousSecret: boolean;
  readonly disabledReason: string | null;
  readonly disabledAt: Date | null;
  readonly failingSince: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function toMerchantView(m: MerchantEntity): MerchantView {
  return {
    id: m.id,
    referenceMerchantId: m.referenceMerchantId,
    name: m.name,
    status: m.status,
    clientId: m.clientId,
    publicKeyFingerprint: publicKeyFingerprint(m.publicKey),
    previousPublicKeyFingerprint: publicKeyFingerprint(m.previousPublicKey),
    consultPolicy: m.consultPolicy,
    consultUrl: m.consultUrl,
    rateLimitPerSecond: m.rateLimitPerSecond,
    autoExchange: m.autoExchange === 1,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export function toSubMerchantView(s: SubMerchantEntity): SubMerchantView {
  return {
    id: s.id,
    merchantId: s.merchantId,
    merchantAccountId: s.merchantAccountId,
    name: s.name,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export function toEndpointView(e: CallbackEndpointEntity): EndpointView {
  return {
    id: e.id,
    merchantId: e.merchantId,
    subMerchantId: e.subMerchantId,
    url: e.url,
    eventTypes: e.eventTypes.split(',').filter((t): t is NotificationType => (EVENT_TYPES as readonly string[]).includes(t)),
    status: e.status,
    signingScheme: e.signingScheme,
    hasPreviousSecret: e.previousSecretEnc !== null,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt,
    failingSince: e.failingSince,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
