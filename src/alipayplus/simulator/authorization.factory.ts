import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AuthorizationInput, AuthorizationRecord, TokenCancelSource, WalletForAccountBinding } from './simulator.types';

const DAY_MS = 24 * 60 * 60_000;
const ACCESS_TOKEN_TTL_MS = 30 * DAY_MS;
const REFRESH_TOKEN_TTL_MS = 32 * DAY_MS;
/** Alipay+ writes its times in China Standard Time (`2022-06-06T12:12:12+08:00`). */
const ALIPAY_OFFSET_MINUTES = 8 * 60;

export const DEFAULT_WALLET: WalletForAccountBinding = {
  walletName: 'AlipayCN',
  walletBrandName: 'AlipayCN',
  walletLogo: { logoName: 'AlipayCN', logoUrl: 'https://www.alipayplus.com/logo/alipaycn.png' },
};

export interface AuthorizationDefaults {
  acquirerId: string;
  pspId: string;
  now: () => number;
}

/**
 * A wallet-side binding with values shaped like the ones in the Alipay+
 * samples: 40-char upper-hex tokens starting `2810100`, a 32-char auth code,
 * a 27-digit customer id, an upper-case UUID authState.
 */
export function newAuthorization(input: AuthorizationInput, defaults: AuthorizationDefaults): AuthorizationRecord {
  const now = defaults.now();
  return {
    authClientId: input.authClientId ?? `2188${digits(17)}`,
    referenceMerchantId: input.referenceMerchantId,
    referenceAgreementId: input.referenceAgreementId ?? `${randomBytes(8).toString('hex').slice(0, 10)}${digits(9)}`,
    authCode: `28101013${hex(24)}`,
    authState: input.authState ?? randomUUID().toUpperCase(),
    ...tokenPair(now, input.accessTokenTtlMs, input.refreshTokenTtlMs),
    scopes: input.scopes ?? ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
    customerId: input.customerId ?? `27898089${digits(19)}`,
    userLoginId: input.userLoginId ?? `62-${digits(8)}`,
    acquirerId: input.acquirerId ?? defaults.acquirerId,
    pspId: input.pspId ?? defaults.pspId,
    walletForAccountBinding: input.walletForAccountBinding ?? DEFAULT_WALLET,
  };
}

/** The next token pair of a binding (applyToken with REFRESH_TOKEN): new tokens and expiry times, everything else kept. */
export function rotatedAuthorization(a: AuthorizationRecord, now: number): AuthorizationRecord {
  return { ...a, ...tokenPair(now) };
}

function tokenPair(now: number, accessTokenTtlMs?: number, refreshTokenTtlMs?: number) {
  return {
    accessToken: `28101003${hex(32)}`,
    accessTokenExpiryTime: alipayTime(now + (accessTokenTtlMs ?? ACCESS_TOKEN_TTL_MS)),
    refreshToken: `28101003${hex(32)}`,
    refreshTokenExpiryTime: alipayTime(now + (refreshTokenTtlMs ?? REFRESH_TOKEN_TTL_MS)),
  };
}

/** authNotify scenario 1: an auth code was created at the wallet. */
export function authCodeCreatedBody(a: AuthorizationRecord): Record<string, unknown> {
  return {
    authorizationNotifyType: 'AUTHCODE_CREATED',
    authClientId: a.authClientId,
    referenceMerchantId: a.referenceMerchantId,
    authCode: a.authCode,
    authState: a.authState,
    referenceAgreementId: a.referenceAgreementId,
    customerId: a.customerId,
    acquirerId: a.acquirerId,
    pspId: a.pspId,
  };
}

/** authNotify scenario 2: an access token was created at the wallet. */
export function tokenCreatedBody(a: AuthorizationRecord): Record<string, unknown> {
  return {
    authorizationNotifyType: 'TOKEN_CREATED',
    authClientId: a.authClientId,
    referenceMerchantId: a.referenceMerchantId,
    referenceAgreementId: a.referenceAgreementId,
    accessToken: a.accessToken,
    accessTokenExpiryTime: a.accessTokenExpiryTime,
    refreshToken: a.refreshToken,
    refreshTokenExpiryTime: a.refreshTokenExpiryTime,
    scopes: a.scopes,
    customerId: a.customerId,
    userLoginId: a.userLoginId,
    acquirerId: a.acquirerId,
    pspId: a.pspId,
    walletForAccountBinding: a.walletForAccountBinding,
  };
}

/**
 * authNotify scenario 3: the token was canceled, through cancelToken
 * (`ACQUIRER`) or on the wallet side (`PSP`). Fields the simulator does not
 * know (a token it never issued) are left out, never sent as `""`.
 */
export function tokenCanceledBody(a: Partial<AuthorizationRecord> & { accessToken: string }, source: TokenCancelSource): Record<string, unknown> {
  const body: Record<string, unknown> = { authorizationNotifyType: 'TOKEN_CANCELED' };
  if (a.authClientId) body.authClientId = a.authClientId;
  if (a.referenceMerchantId) body.referenceMerchantId = a.referenceMerchantId;
  body.accessToken = a.accessToken;
  body.tokenCancelSource = source;
  if (a.acquirerId) body.acquirerId = a.acquirerId;
  if (a.pspId) body.pspId = a.pspId;
  return body;
}

/** ISO 8601 with the `+08:00` offset Alipay+ uses, whole seconds. */
export function alipayTime(epochMs: number): string {
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + ALIPAY_OFFSET_MINUTES * 60_000);
  return `${local.toISOString().slice(0, 19)}+08:00`;
}

function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length)
    .toUpperCase();
}

function digits(length: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < length) out += String(randomInt(0, 10));
  return out;
}
