import type { KeyObject } from 'node:crypto';
import type { ResultStatus } from '../cancel-token.transformers';

export interface AlipayPlusSimulatorOptions {
  /** Signs cancelToken, prepare and applyToken answers and authNotify requests, as Alipay+ would. */
  simulatorPrivateKey: KeyObject;
  /** The ACQP's public keys (current, previous): verify the gateway's requests and its notification answers. */
  acqpPublicKeys: readonly KeyObject[];
  /** The ACQP client id Alipay+ knows; any other Client-Id gets F INVALID_CLIENT. */
  clientId: string;
  /** Where authNotify goes (`http://host:port`, may carry a path prefix); settable later via setGatewayBaseUrl. */
  gatewayBaseUrl?: string;
  /** Path appended to gatewayBaseUrl. Default `/aps/api/v1/authorizations/authNotify`. */
  notifyPath?: string;
  /** Delays between notification attempts, in ms. Default Antom's [0, 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h]. */
  retrySchedule?: number[];
  /** Send TOKEN_CANCELED (ACQUIRER) after a cancelToken answered S, as Alipay+ does. Default true. */
  echoAcquirerCancel?: boolean;
  /** Accepted Request-Time distance from now, both ways, in ms. Default 300000. */
  skewMs?: number;
  /** When on, a cancelToken for a token this simulator never issued gets F INVALID_TOKEN. Default false. */
  strictTokens?: boolean;
  /** When set, a cancelToken, prepare or applyToken with another acquirerId gets F ACCESS_DENIED. Default: any acquirerId. */
  acquirerId?: string;
  /** Default acquirerId / pspId of issued authorizations; pspId is also the wallet of prepared consents. */
  defaultAcquirerId?: string;
  defaultPspId?: string;
  /** How long an auth code can be exchanged by applyToken, in ms. Default 600000 (Alipay+'s codes live minutes). */
  authCodeTtlMs?: number;
  /** Send TOKEN_CREATED after applyToken first exchanged a code, as Alipay+ announces created tokens. Default true. */
  notifyTokenCreated?: boolean;
  /** How long Alipay+ waits for an authNotify answer, in ms. Default 5000. */
  notifyTimeoutMs?: number;
  /** Clock, epoch milliseconds. Default Date.now. */
  now?: () => number;
}

/** The signed APIs the simulator answers, each with its own rules. */
export type SimulatedApi = 'cancelToken' | 'prepare' | 'applyToken';

/**
 * One way of answering a call. "Success" is the API's own success path:
 * cancelToken cancels, prepare opens a consent, applyToken exchanges (which
 * may still answer F, e.g. INVALID_CODE).
 */
export type SimulatorStep =
  | { kind: 'success' }
  | { kind: 'fail'; resultCode: string; resultMessage?: string }
  | { kind: 'unknown'; resultCode?: string }
  /** Holds the answer for `ms`, then answers as on success: the call did take effect, as on a real upstream. */
  | { kind: 'timeout'; ms: number }
  /** As on success, without signature headers (the call takes effect). */
  | { kind: 'unsigned' }
  /** As on success, with a signature that does not verify (the call takes effect). */
  | { kind: 'badSignature' }
  | { kind: 'http5xx'; status: number }
  /** The socket is destroyed without an answer; nothing happens. */
  | { kind: 'down' };

/**
 * A step, a scenario, or a sequence of steps taken one per call (the last
 * one repeats). Counted per key: access token (cancelToken), authState
 * (prepare), auth code or refresh token (applyToken).
 */
export type SimulatorRule =
  | SimulatorStep
  | {
      kind: 'failTimesThenSucceed';
      times: number;
      with: 'unknown' | 'timeout' | 'http500';
      /** For `timeout`: how long each failing call is held before a U answer. Default 6000 ms. */
      holdMs?: number;
    }
  | readonly SimulatorStep[];

export interface SimulatorAnswer {
  /** HTTP status sent; 0 when the socket was destroyed without an answer. */
  status: number;
  resultStatus?: ResultStatus;
  resultCode?: string;
  /** How the answer was signed. */
  signature: 'valid' | 'none' | 'bad';
  /** How long the answer was held back, in ms. */
  heldMs?: number;
}

export interface ReceivedRequest {
  /** Arrival, epoch ms. */
  at: number;
  method: string;
  /** Request-URI as received (prefix included). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Parsed JSON, or undefined when the body was not JSON. */
  body: unknown;
  signatureValid: boolean;
  answered: SimulatorAnswer;
}

export interface NotifyOptions {
  /** `JSON.stringify(body, null, 3)`, as the official SDKs send. Default false. */
  pretty?: boolean;
  /** Independent copies delivered concurrently, each with its own retries. Default 1. */
  times?: number;
  /** Sign with this key instead of the simulator's (e.g. to send a bad signature). */
  signWith?: KeyObject;
  /** Fixed Request-Time for every attempt (e.g. a stale one). Default: now, per attempt, `+08:00`. */
  requestTime?: string;
  /** Client-Id header. Default the simulator's clientId. */
  clientId?: string;
}

export type DeliveryState = 'PENDING' | 'ACKNOWLEDGED' | 'GAVE_UP' | 'STOPPED';

/** Why an attempt was or was not taken as acknowledged. */
export type AttemptVerdict =
  'ACKNOWLEDGED' | 'HTTP_STATUS' | 'UNSIGNED' | 'BAD_SIGNATURE' | 'NOT_S' | 'MALFORMED' | 'TIMEOUT' | 'CONNECTION' | 'NO_GATEWAY_URL';

export interface NotificationAttempt {
  notificationId: string;
  /** 0-based copy index (see NotifyOptions.times). */
  copy: number;
  /** 1-based attempt number of this copy. */
  attempt: number;
  at: number;
  url: string | null;
  requestHeaders: Record<string, string>;
  rawBody: string;
  status?: number;
  responseHeaders?: Record<string, string | string[] | undefined>;
  responseBody?: string;
  verdict: AttemptVerdict;
  acknowledged: boolean;
}

export interface NotificationOutcome {
  /** ACKNOWLEDGED only when every copy was. */
  state: Exclude<DeliveryState, 'PENDING'>;
  copies: Exclude<DeliveryState, 'PENDING'>[];
  attempts: NotificationAttempt[];
}

export interface NotificationHandle {
  readonly id: string;
  readonly rawBody: string;
  /** `authorizationNotifyType` of the body, when it has one. */
  readonly notifyType?: string;
  /** Resolves once every copy has made its first attempt. */
  readonly firstAttempt: Promise<NotificationAttempt[]>;
  /** Resolves when every copy is acknowledged, given up on, or stopped. Never rejects. */
  readonly settled: Promise<NotificationOutcome>;
  state(): DeliveryState;
}

export interface PendingNotification {
  id: string;
  copy: number;
  rawBody: string;
  attempts: number;
  /** When the next attempt is due, epoch ms; null while one is in flight. */
  nextAttemptAt: number | null;
}

export interface WalletForAccountBinding {
  walletName: string;
  walletBrandName: string;
  walletLogo: { logoName: string; logoUrl: string };
}

export interface AuthorizationInput {
  referenceMerchantId: string;
  authClientId?: string;
  customerId?: string;
  pspId?: string;
  acquirerId?: string;
  referenceAgreementId?: string;
  /** Echo of the ACQP's `prepare` authState. Default a random upper-case UUID. */
  authState?: string;
  scopes?: string[];
  userLoginId?: string;
  /** Access token lifetime, in ms. Default 30 days. */
  accessTokenTtlMs?: number;
  /** Refresh token lifetime, in ms. Default 32 days. */
  refreshTokenTtlMs?: number;
  walletForAccountBinding?: WalletForAccountBinding;
  /** Send AUTHCODE_CREATED then TOKEN_CREATED. Default true. */
  notify?: boolean;
  /** Pretty-print the notification bodies (indent 3). Default false. */
  pretty?: boolean;
}

/** The wallet-side record of one binding: everything the notifications carry. */
export interface AuthorizationRecord {
  authClientId: string;
  referenceMerchantId: string;
  referenceAgreementId: string;
  authCode: string;
  authState: string;
  accessToken: string;
  accessTokenExpiryTime: string;
  refreshToken: string;
  refreshTokenExpiryTime: string;
  scopes: string[];
  customerId: string;
  userLoginId: string;
  acquirerId: string;
  pspId: string;
  walletForAccountBinding: WalletForAccountBinding;
}

export interface IssuedAuthorization extends AuthorizationRecord {
  /** Absent when issued with `notify: false`. */
  notifications: { authCodeCreated?: NotificationHandle; tokenCreated?: NotificationHandle };
}

export type TokenCancelSource = 'ACQUIRER' | 'PSP';

/** REPLACED: an access token whose refresh token was exchanged (applyToken REFRESH_TOKEN); cancelToken on it gets F INVALID_TOKEN. */
export type SimulatedTokenState = 'ACTIVE' | 'CANCELED_BY_ACQUIRER' | 'CANCELED_BY_PSP' | 'REPLACED' | 'UNKNOWN';

/** A binding the ACQP prepared, waiting for the user to authorize it in the wallet. */
export interface PendingConsent {
  /** Random; the consent page's authUrl carries it. */
  ticket: string;
  authState: string;
  authClientId: string;
  referenceMerchantId: string;
  authRedirectUrl: string;
  scopes: string[];
  customerBelongsTo: string;
  acquirerId: string;
  pspId: string;
}

/** A pending consent's ticket, or the authState it was prepared with (the latest such consent). */
export type ConsentRef = string | { authState: string };

export interface AuthorizeConsentOptions {
  /** Send AUTHCODE_CREATED. Default true. */
  notify?: boolean;
  /** Pretty-print its body (indent 3). Default false. */
  pretty?: boolean;
}

export interface AuthorizedConsent {
  authCode: string;
  authState: string;
  /** authRedirectUrl with authCode and authState added: where the wallet sends the user back. */
  redirectUrl: string;
  /** The AUTHCODE_CREATED notification; absent with `notify: false`. */
  notification?: NotificationHandle;
}

/** What the simulator's control routes (simulator.plugin.ts) drive: AlipayPlusSimulator implements it. */
export interface SimulatorControls {
  setRule(accessToken: string, rule: SimulatorRule | null): void;
  setPrepareRule(authState: string, rule: SimulatorRule | null): void;
  setApplyTokenRule(authCodeOrRefreshToken: string, rule: SimulatorRule | null): void;
  received(): readonly ReceivedRequest[];
  receivedFor(accessToken: string): readonly ReceivedRequest[];
  issueAuthorization(input: AuthorizationInput): Promise<IssuedAuthorization>;
  cancelFromWallet(accessToken: string, options?: NotifyOptions): Promise<NotificationHandle>;
  pendingConsents(): readonly PendingConsent[];
  pendingConsent(ref: ConsentRef): PendingConsent | undefined;
  authorizeConsent(ref: ConsentRef, options?: AuthorizeConsentOptions): Promise<AuthorizedConsent>;
  expireAuthCode(authCode: string): boolean;
  expireRefreshToken(refreshToken: string): boolean;
  notificationAttempts(): readonly NotificationAttempt[];
  pendingNotifications(): readonly PendingNotification[];
  flushRetries(): Promise<void>;
  reset(): void;
}
