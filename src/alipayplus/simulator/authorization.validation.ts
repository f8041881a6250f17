import { GRANT_TYPES, type GrantType } from '../authorization.transformers';
import type { BodyCheck } from './signed-call.handler';

/** A prepare body as the simulator reads it (authorization.transformers.ts PrepareRequest, on the wire). */
export interface PrepareWireRequest {
  acquirerId: string;
  authClientId: string;
  authClientName?: string;
  referenceMerchantId: string;
  customerBelongsTo: string;
  authRedirectUrl: string;
  scopes: string[];
  authState: string;
  terminalType: string;
  osType?: string;
  osVersion?: string;
  merchantRegion?: string;
  extendInfo?: string;
}

/** An applyToken body as the simulator reads it (ApplyTokenRequest, on the wire). */
export interface ApplyTokenWireRequest {
  acquirerId: string;
  authClientId: string;
  referenceMerchantId?: string;
  grantType: GrantType;
  authCode?: string;
  refreshToken?: string;
  customerBelongsTo?: string;
  pspId?: string;
  merchantRegion?: string;
  extendInfo?: string;
}

const PREPARE_REQUIRED = ['acquirerId', 'authClientId', 'referenceMerchantId', 'customerBelongsTo', 'authRedirectUrl', 'authState', 'terminalType'] as const;
const PREPARE_OPTIONAL = ['authClientName', 'osType', 'osVersion', 'merchantRegion', 'extendInfo'] as const;
const APPLY_TOKEN_REQUIRED = ['acquirerId', 'authClientId', 'grantType'] as const;
const APPLY_TOKEN_OPTIONAL = ['referenceMerchantId', 'authCode', 'refreshToken', 'customerBelongsTo', 'pspId', 'merchantRegion', 'extendInfo'] as const;

/** What each grant type needs beside it. */
const GRANT_CREDENTIAL = { AUTHORIZATION_CODE: 'authCode', REFRESH_TOKEN: 'refreshToken' } as const satisfies Record<GrantType, keyof ApplyTokenWireRequest>;

/**
 * The prepare body: required strings present, optional ones absent, null or
 * non-empty (as for cancelToken, never `""`), scopes a non-empty list of
 * strings. Lengths are not checked: the simulator does not know the limits.
 */
export function checkPrepareBody(parsed: unknown): BodyCheck<PrepareWireRequest> {
  const checked = stringFields(parsed, PREPARE_REQUIRED, PREPARE_OPTIONAL);
  if (!checked.ok) return checked;
  const scopes: unknown = (parsed as Record<string, unknown>).scopes;
  if (!isStringList(scopes)) return { ok: false, message: 'scopes must be a non-empty array of strings' };
  return { ok: true, body: { ...checked.body, scopes: [...scopes] } as PrepareWireRequest };
}

/** The applyToken body: the grant type one of the two, with its auth code or refresh token. */
export function checkApplyTokenBody(parsed: unknown): BodyCheck<ApplyTokenWireRequest> {
  const checked = stringFields(parsed, APPLY_TOKEN_REQUIRED, APPLY_TOKEN_OPTIONAL);
  if (!checked.ok) return checked;
  const body = checked.body as unknown as ApplyTokenWireRequest;
  if (!(GRANT_TYPES as readonly string[]).includes(body.grantType)) return { ok: false, message: `grantType must be one of ${GRANT_TYPES.join(', ')}` };
  const credential = GRANT_CREDENTIAL[body.grantType];
  if (body[credential] === undefined) return { ok: false, message: `${credential} is required for ${body.grantType}` };
  return { ok: true, body };
}

function stringFields(parsed: unknown, required: readonly string[], optional: readonly string[]): BodyCheck<Record<string, string>> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: 'body must be a JSON object' };
  const input = parsed as Record<string, unknown>;
  const body: Record<string, string> = {};
  for (const name of [...required, ...optional]) {
    const value = input[name];
    if (value === undefined || value === null) {
      if (required.includes(name)) return { ok: false, message: `${name} is required` };
      continue;
    }
    if (typeof value !== 'string') return { ok: false, message: `${name} must be a string` };
    if (value === '') return { ok: false, message: `${name} must not be empty` };
    body[name] = value;
  }
  return { ok: true, body };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' && s !== '');
}
