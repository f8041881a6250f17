import { fitsChars, MAX_JSON_DEPTH, tooDeepField } from '../common/validation';
import { CANCEL_SOURCES, notificationType } from '../protocol/notification-types';
import { AuthNotifyDto, WalletForAccountBindingDto, WalletLogoDto } from './auth-notify.dto';
import { parseProtocolTime } from '../protocol/protocol-time';

/** Keys class-transformer treats specially (drops or refuses): such a body takes the full path. */
const SPECIAL_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const OPTIONAL_STRINGS: ReadonlyArray<readonly [keyof AuthNotifyDto, number]> = [
  ['authClientId', 64],
  ['referenceMerchantId', 64],
  ['referenceAgreementId', 64],
  ['acquirerId', 64],
  ['pspId', 64],
  ['customerId', 64],
  ['authState', 256],
  ['refreshToken', 128],
  ['userLoginId', 64],
];

/**
 * The common case of AuthNotifyDto validation without class-transformer and
 * class-validator (together ~7% of the gateway's CPU per notification): a
 * body that plainly satisfies every rule of the DTO's decorators is returned
 * as the DTO; anything else, or anything unusual, gives null and takes the
 * full validateBody path, which also writes the precise problem. So this only
 * ever accepts what validateBody accepts (auth-notify.fast-path.spec.ts
 * checks that property on generated bodies), never refuses anything itself.
 */
export function acceptPlainlyValid(body: unknown): AuthNotifyDto | null {
  if (!isPlainRecord(body) || tooDeepField(body, MAX_JSON_DEPTH) !== null) return null;
  const type = notificationType(body.authorizationNotifyType);
  if (!type) return null;
  for (const [field, max] of OPTIONAL_STRINGS) if (!optionalString(body[field], max)) return null;
  if (!requiredString(body[type.subject], 128)) return null;
  if (type.requiresCancelSource && !(CANCEL_SOURCES as readonly unknown[]).includes(body.tokenCancelSource)) return null;
  if (!optionalTime(body.accessTokenExpiryTime) || !optionalTime(body.refreshTokenExpiryTime)) return null;
  if (!optionalScopes(body.scopes)) return null;

  const dto = Object.assign(new AuthNotifyDto(), body);
  const wallet = body.walletForAccountBinding;
  if (wallet !== undefined && wallet !== null) {
    if (!isPlainRecord(wallet) || !optionalString(wallet.walletName, 128) || !optionalString(wallet.walletBrandName, 128)) return null;
    const logo = wallet.walletLogo;
    if (logo !== undefined && logo !== null) {
      if (!isPlainRecord(logo) || !optionalString(logo.logoName, 128) || !optionalString(logo.logoUrl, 2048)) return null;
    }
    dto.walletForAccountBinding = Object.assign(new WalletForAccountBindingDto(), wallet, {
      walletLogo: logo === undefined || logo === null ? logo : Object.assign(new WalletLogoDto(), logo),
    });
  }
  return dto;
}

/** A JSON object (not an array), none of whose keys class-transformer would treat specially. */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const key of Object.keys(v)) if (SPECIAL_KEYS.has(key) || key === '__proto__') return false;
  return true;
}

function optionalString(v: unknown, max: number): boolean {
  return v === undefined || v === null || requiredString(v, max);
}

function requiredString(v: unknown, max: number): boolean {
  return typeof v === 'string' && v !== '' && fitsChars(v, max);
}

function optionalTime(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && parseProtocolTime(v) !== null);
}

function optionalScopes(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v) || v.length > 32) return false;
  for (const item of v) if (typeof item !== 'string' || !fitsChars(item, 64)) return false;
  return true;
}
