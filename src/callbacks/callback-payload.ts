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
 * The notifyAuthorization-style body (README "Gateway → merchants and sub-merchants: callbacks", gateway → merchant): every
 * field of the Antom SDKs' `AlipayAuthNotify` model we know, plus ours.
 *
 * - `notifyType` and `authorizationNotifyType` both name the event: Antom's
 *   receiver samples branch on either, and the SDKs' model reads both.
 * - `userId` is Antom's name for the wallet's user id, Alipay+'s `customerId`;
 *   both are sent, so code written for either finds it.
 * - `notifyId` is the event id, the same on every retry, so merchants dedupe on it.
 *
 * TOKEN_CANCELED carries the token (the merchant's key to its binding);
 * TOKEN_CREATED carries it too, as the merchant needs it to charge;
 * AUTHCODE_CREATED carries the auth code, which the merchant exchanges.
 * The refresh token is never sent: the gateway keeps it.
 */
export function callbackBody(f: CallbackFacts): Record<string, unknown> {
  const body: Record<string, unknown> = { notifyId: f.eventId, notifyType: f.eventType, authorizationNotifyType: f.eventType };
  if (f.eventType === 'AUTHCODE_CREATED' && f.authCode) {
    put(body, 'authClientId', f.authCode.authClientId);
    put(body, 'authCode', f.authCode.authCode);
    put(body, 'authState', f.authCode.authState);
    put(body, 'userId', f.authCode.customerId);
    put(body, 'customerId', f.authCode.customerId);
    put(body, 'referenceAgreementId', f.authCode.referenceAgreementId);
  } else if (f.token) {
    put(body, 'authClientId', f.token.authClientId);
    put(body, 'accessToken', f.token.accessToken);
    if (f.eventType === 'TOKEN_CREATED') {
      put(body, 'accessTokenExpiryTime', f.token.accessTokenExpiryTime?.toISOString() ?? null);
      put(body, 'userId', f.token.customerId);
      put(body, 'customerId', f.token.customerId);
      put(body, 'referenceAgreementId', f.token.referenceAgreementId);
      put(body, 'userLoginId', f.token.userLoginId);
      if (f.token.scopes) body.scopes = f.token.scopes.split(' ').filter((s) => s !== '');
    }
  }
  if (f.eventType === 'TOKEN_CANCELED') put(body, 'tokenCancelSource', f.cancelSource);
  put(body, 'referenceMerchantId', f.referenceMerchantId);
  put(body, 'merchantAccountId', f.merchantAccountId);
  body.occurredAt = f.occurredAt.toISOString();
  body.result = { ...SUCCESS_RESULT };
  return body;
}

/** Optional fields are left out rather than sent as null or "" (as Alipay+ does). */
function put(body: Record<string, unknown>, key: string, value: string | null | undefined): void {
  if (value !== null && value !== undefined && value !== '') body[key] = value;
}
