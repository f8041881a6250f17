/**
 * The one registry of Alipay+ authNotify types (alipayplus-authnotify-scenarios).
 * Everything that varies by type is read from here: the DTO's rules and its
 * OpenAPI enum, the validation fast path, how the gateway applies a notice,
 * which callback event it becomes and what that callback carries, what an
 * endpoint may subscribe to, and the console's checkboxes.
 *
 * Adding a type: an entry here; if it applies in a new way, a case in
 * AuthNotifyService (and, for a token, an event in token-state.ts).
 */

/** ACQUIRER: a merchant's revoke through cancelToken; PSP: the wallet side. */
export const CANCEL_SOURCES = ['ACQUIRER', 'PSP'] as const;
export type CancelSource = (typeof CANCEL_SOURCES)[number];

/** Callback body fields the gateway can fill from the stored rows (see callback-payload.ts). */
export type CallbackField =
  | 'authClientId'
  | 'authCode'
  | 'authState'
  | 'accessToken'
  | 'accessTokenExpiryTime'
  | 'userId'
  | 'customerId'
  | 'referenceAgreementId'
  | 'userLoginId'
  | 'scopes'
  | 'tokenCancelSource';

export interface NotificationTypeSpec {
  /** The field naming what the notice is about; required, at most 128 characters. Hashed as that kind of secret. */
  readonly subject: 'authCode' | 'accessToken';
  /** `tokenCancelSource` must be one of CANCEL_SOURCES. */
  readonly requiresCancelSource: boolean;
  /**
   * How the gateway applies it: store an auth code, or move the token's
   * state machine (token-state.ts) with this event.
   */
  readonly applies: 'AUTH_CODE' | 'TOKEN_CREATED' | 'TOKEN_CANCELED';
  /** What the merchant's callback for the event carries, in this order, after notifyId and the type. */
  readonly callbackFields: readonly CallbackField[];
  /**
   * Where the type sits in an endpoint's subscription list (stored
   * canonically in this order), and whether a new endpoint subscribes to it.
   */
  readonly subscription: { readonly rank: number; readonly byDefault: boolean };
}

/** In the order of the Alipay+ scenarios: the auth code, then the token's creation and cancellation. */
export const NOTIFICATION_TYPES = {
  AUTHCODE_CREATED: {
    subject: 'authCode',
    requiresCancelSource: false,
    applies: 'AUTH_CODE',
    // The auth code is what the merchant exchanges for a token.
    callbackFields: ['authClientId', 'authCode', 'authState', 'userId', 'customerId', 'referenceAgreementId'],
    subscription: { rank: 3, byDefault: false },
  },
  TOKEN_CREATED: {
    subject: 'accessToken',
    requiresCancelSource: false,
    applies: 'TOKEN_CREATED',
    // The merchant needs the token to charge.
    callbackFields: ['authClientId', 'accessToken', 'accessTokenExpiryTime', 'userId', 'customerId', 'referenceAgreementId', 'userLoginId', 'scopes'],
    subscription: { rank: 2, byDefault: false },
  },
  TOKEN_CANCELED: {
    subject: 'accessToken',
    requiresCancelSource: true,
    applies: 'TOKEN_CANCELED',
    // The token is the merchant's key to its binding: what to stop charging.
    callbackFields: ['authClientId', 'accessToken', 'tokenCancelSource'],
    subscription: { rank: 1, byDefault: true },
  },
} as const satisfies Record<string, NotificationTypeSpec>;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;

/** authNotify's `authorizationNotifyType` values, in the scenarios' order. */
export const AUTH_NOTIFY_TYPES = Object.keys(NOTIFICATION_TYPES) as NotificationType[];

/** What a callback endpoint can subscribe to (the outbox's `event_type`), in canonical subscription order. */
export const EVENT_TYPES: readonly NotificationType[] = [...AUTH_NOTIFY_TYPES].sort(
  (a, b) => NOTIFICATION_TYPES[a].subscription.rank - NOTIFICATION_TYPES[b].subscription.rank,
);

/** The subscription of an endpoint created without one. */
export const DEFAULT_EVENT_TYPES: readonly NotificationType[] = EVENT_TYPES.filter((t) => NOTIFICATION_TYPES[t].subscription.byDefault);

/** The registry entry for `type`, or undefined for anything that is not a notification type. */
export function notificationType(type: unknown): NotificationTypeSpec | undefined {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(NOTIFICATION_TYPES, type) ? NOTIFICATION_TYPES[type as NotificationType] : undefined;
}

/** The types whose notices must carry `field`, in the scenarios' order (for the DTO's documentation). */
export function typesRequiring(field: 'authCode' | 'accessToken' | 'tokenCancelSource'): NotificationType[] {
  return AUTH_NOTIFY_TYPES.filter((t) => {
    const spec: NotificationTypeSpec = NOTIFICATION_TYPES[t];
    return field === 'tokenCancelSource' ? spec.requiresCancelSource : spec.subject === field;
  });
}
