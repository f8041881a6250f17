import { parseProtocolTime } from '../protocol/protocol-time';

/**
 * Alipay+ ACQP `prepare` and `applyToken`: paths and request bodies, optional
 * fields left out rather than sent as `""` or `null`. Field lists and their
 * sources (and what was inferred where the reference could not be read):
 * docs/bind-lifecycle.md.
 */
export const PREPARE_PATH = '/aps/api/v1/authorizations/prepare';
export const APPLY_TOKEN_PATH = '/aps/api/v1/authorizations/applyToken';

export const GRANT_TYPES = ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** prepare: what the merchant's consult asked for, and who the merchant is at Alipay+. */
export interface PrepareRequest {
  acquirerId: string;
  /** The auth client: the merchant's referenceMerchantId unless its consult named one. */
  authClientId: string;
  authClientName: string;
  referenceMerchantId: string;
  customerBelongsTo: string;
  authRedirectUrl: string;
  scopes: readonly string[];
  authState: string;
  terminalType: string;
  osType?: string | null;
  osVersion?: string | null;
  merchantRegion?: string | null;
  extendInfo?: string | null;
}

/** applyToken: an auth code or a refresh token, for the same auth client the binding was prepared for. */
export interface ApplyTokenRequest {
  acquirerId: string;
  authClientId: string;
  referenceMerchantId: string;
  grantType: GrantType;
  authCode?: string | null;
  refreshToken?: string | null;
  customerBelongsTo?: string | null;
  pspId?: string | null;
  merchantRegion?: string | null;
  extendInfo?: string | null;
}

export function toPrepareWireRequest(req: PrepareRequest): Record<string, unknown> {
  return present({ ...req, scopes: [...req.scopes] });
}

export function toApplyTokenWireRequest(req: ApplyTokenRequest): Record<string, unknown> {
  return present({ ...req });
}

/** What an S applyToken answer carries that the gateway keeps, read defensively (a string or nothing). */
export interface IssuedToken {
  accessToken: string;
  /** Parsed; a time that is not ISO 8601 with an offset is left out rather than guessed. */
  accessTokenExpiryTime: Date | null;
  refreshToken: string | null;
  refreshTokenExpiryTime: Date | null;
  customerId: string | null;
  userLoginId: string | null;
  pspId: string | null;
}

/** The token in an S applyToken body, or null when the body has none (an S without a token is not trusted). */
export function issuedTokenOf(body: Record<string, unknown>): IssuedToken | null {
  const accessToken = text(body.accessToken, 128);
  if (accessToken === null) return null;
  return {
    accessToken,
    accessTokenExpiryTime: time(body.accessTokenExpiryTime),
    refreshToken: text(body.refreshToken, 128),
    refreshTokenExpiryTime: time(body.refreshTokenExpiryTime),
    customerId: text(body.customerId, 64),
    userLoginId: text(body.userLoginId, 64),
    pspId: text(body.pspId, 64),
  };
}

/** The authorization URLs in an S prepare body (each at most 2048 characters); only those Alipay+ gave. */
export interface PreparedAuthorization {
  authUrl?: string;
  normalUrl?: string;
  schemeUrl?: string;
  applinkUrl?: string;
  appIdentifier?: string;
}

/** The URLs of an S prepare answer, or null when it has none to send the user to (an S without one is not trusted). */
export function preparedAuthorizationOf(body: Record<string, unknown>): PreparedAuthorization | null {
  const limits = { authUrl: 2048, normalUrl: 2048, schemeUrl: 2048, applinkUrl: 2048, appIdentifier: 128 } as const;
  const prepared: PreparedAuthorization = {};
  for (const [field, max] of Object.entries(limits) as Array<[keyof PreparedAuthorization, number]>) {
    const value = text(body[field], max);
    if (value !== null) prepared[field] = value;
  }
  return (prepared.authUrl ?? prepared.normalUrl ?? prepared.schemeUrl ?? prepared.applinkUrl) ? prepared : null;
}

function time(value: unknown): Date | null {
  const at = text(value, 64);
  return at === null ? null : parseProtocolTime(at);
}

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value !== '' && value.length <= max ? value : null;
}

function present(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
