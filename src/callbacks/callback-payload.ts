import { NOTIFICATION_TYPES, type CallbackField, type NotificationTypeSpec } from '../protocol/notification-types';
import type { EventType } from './event.entity';

/** What a callback tells, gathered from the event and the rows it points at; secrets already decrypted. */
export interface CallbackFacts {
  readonly eventId: string;
  readonly eventType: EventType;
  readonly occurredAt: Date;
  readonly cancelSource: string | null;
  readonly referenceMerchantId: string | null;
  /** The sub-merchant's `merchantAccountId`, when the endpoint is a sub-merchant's. */
  readonly merchantAccountId: string | null;
  readonly token?: {
    readonly accessToken: string;
    readonly authClientId: string | null;
    readonly accessTokenExpiryTime: Date | null;
    readonly customerId: string | null;
    readonly referenceAgreementId: string | null;
    readonly userLoginId: string | null;
    /** Space-separated, as stored. */
    readonly scopes: string | null;
  };
  readonly authCode?: {
    readonly authCode: string;
    readonly authClientId: string | null;
    readonly authState: string | null;
    readonly customerId: string | null;
    readonly referenceAgreementId: string | null;
  };
}

/** The acknowledgement the notifyAuthorization samples carry: the callback reports a settled fact. */
const SUCCESS_RESULT = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } as const;

/**
 * The notifyAuthorization-style body (README "Gateway → merchants and
 * sub-merchants: callbacks"): every field of the Antom SDKs'
 * `AlipayAuthNotify` model we know, plus ours.
 *
 * - `notifyType` and `authorizationNotifyType` both name the event: Antom's
 *   receiver samples branch on either, and the SDKs' model reads both.
 * - `userId` is Antom's name for the wallet's user id, Alipay+'s `customerId`;
 *   both are sent, so code written for either finds it.
 * - `notifyId` is the event id, the same on every retry, so merchants dedupe on it.
 *
 * Which fields each type carries is NOTIFICATION_TYPES' `callbackFields`.
 * The refresh token is never sent: the gateway keeps it.
 */
export function callbackBody(f: CallbackFacts): Record<string, unknown> {
  const body: Record<string, unknown> = { notifyId: f.eventId, notifyType: f.eventType, authorizationNotifyType: f.eventType };
  const spec: NotificationTypeSpec = NOTIFICATION_TYPES[f.eventType];
  // An auth code's event is told from its code's row, a token's from the token's row.
  const row = spec.subject === 'authCode' ? f.authCode : f.token;
  for (const field of spec.callbackFields) {
    const value = FIELDS[field](f, row);
    if (Array.isArray(value)) body[field] = value;
    else put(body, field, value);
  }
  put(body, 'referenceMerchantId', f.referenceMerchantId);
  put(body, 'merchantAccountId', f.merchantAccountId);
  body.occurredAt = f.occurredAt.toISOString();
  body.result = { ...SUCCESS_RESULT };
  return body;
}

type Row = CallbackFacts['token'] | CallbackFacts['authCode'];

/** Each callback field from the facts; undefined when the event's row does not have it (left out). */
const FIELDS: Record<CallbackField, (f: CallbackFacts, row: Row) => string | string[] | null | undefined> = {
  authClientId: (_, row) => row?.authClientId,
  authCode: (f) => f.authCode?.authCode,
  authState: (f) => f.authCode?.authState,
  accessToken: (f) => f.token?.accessToken,
  accessTokenExpiryTime: (f) => f.token?.accessTokenExpiryTime?.toISOString(),
  userId: (_, row) => row?.customerId,
  customerId: (_, row) => row?.customerId,
  referenceAgreementId: (_, row) => row?.referenceAgreementId,
  userLoginId: (f) => f.token?.userLoginId,
  scopes: (f) => (f.token?.scopes ? f.token.scopes.split(' ').filter((s) => s !== '') : undefined),
  tokenCancelSource: (f) => f.cancelSource,
};
/** Optional fields are left out rather than sent as null or "" (as Alipay+ does). */
function put(body: Record<string, unknown>, key: string, value: string | null | undefined): void {
  if (value !== null && value !== undefined && value !== '') body[key] = value;
}
