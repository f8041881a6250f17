import type { SigningScheme } from '../protocol/signing-schemes';
import type { EndpointStatus } from './callback-endpoint.entity';
import type { ConsultPolicy, MerchantStatus } from './merchant.entity';
import type { NotificationType } from '../protocol/notification-types';

/**
 * What services take. Transport DTOs satisfy these structurally; `undefined`
 * means "leave as is", `null` means "clear".
 */
export interface NewMerchant {
  readonly referenceMerchantId: string;
  readonly name: string;
  readonly clientId: string;
  readonly publicKey?: string | null;
  readonly consultPolicy?: ConsultPolicy;
  readonly consultUrl?: string | null;
  readonly rateLimitPerSecond?: number | null;
  readonly autoExchange?: boolean;
}

export interface MerchantChanges {
  readonly name?: string;
  readonly status?: MerchantStatus;
  readonly consultPolicy?: ConsultPolicy;
  readonly consultUrl?: string | null;
  readonly rateLimitPerSecond?: number | null;
  readonly autoExchange?: boolean;
}

export interface NewSubMerchant {
  readonly merchantAccountId: string;
  readonly name: string;
}

export interface SubMerchantChanges {
  readonly name?: string;
  readonly status?: MerchantStatus;
}

export interface NewEndpoint {
  /** Absent: the merchant's own endpoint. */
  readonly subMerchantId?: string | null;
  readonly url: string;
  readonly eventTypes?: NotificationType[];
  readonly signingScheme?: SigningScheme;
}

export interface EndpointChanges {
  readonly url?: string;
  readonly eventTypes?: NotificationType[];
  readonly status?: EndpointStatus;
}

export interface EndpointFilter {
  readonly subMerchantId?: string;
}

/** The fields a change actually sets: `undefined` leaves a column alone, `null` clears it. */
export function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
