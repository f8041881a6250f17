import type { KeyObject } from 'node:crypto';
import { parseSignatureHeader, signMessage, verifyMessage } from '../../src/signing';
import { TEST_ADMIN_TOKEN, TEST_CLIENT_ID } from '../support/fixtures';
import { acqpTestPublicKey, alipayPlusTestKey } from '../support/signed-client';
import { bodyBytes } from './bodies';
import type { Answer, Outgoing } from './http-client';
import type { Plan } from './plan';
import { timeText } from './wire-grammar';

/** The merchant whose key signs merchant-API plans. */
export interface SigningMerchant {
  clientId: string;
  privateKey: KeyObject;
}

/**
 * A plan's bytes at the moment of sending: its body, its headers, and, for a
 * signed plan, the signature over exactly what is sent (or the one broken
 * part the plan asks for).
 */
export function materialize(plan: Plan, limit: number, merchant: SigningMerchant, nowMs: number): Outgoing {
  const body = bodyBytes(plan.body, limit);
  const headers: Record<string, string | string[]> = {};
  const add = (name: string, value: string | string[]) => {
    const existing = headers[name];
    headers[name] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  };
  if (plan.contentType !== null) add('Content-Type', plan.contentType);
  for (const [name, value] of plan.headers) add(name, value);
  if (plan.time) add('Request-Time', timeText(plan.time, nowMs));
  if (typeof headers.Authorization === 'string') headers.Authorization = headers.Authorization.replace('@@ADMIN_TOKEN@@', TEST_ADMIN_TOKEN);

  const sign = plan.sign;
  if (sign) {
    const ownKey = sign.signer === 'alipayplus' ? alipayPlusTestKey : merchant.privateKey;
    const otherKey = sign.signer === 'alipayplus' ? merchant.privateKey : alipayPlusTestKey;
    const clientId = sign.signer === 'alipayplus' ? TEST_CLIENT_ID : merchant.clientId;
    const time = timeText(sign.time, nowMs);
    let signed = { method: 'POST', path: plan.path, clientId, time, body: body ?? Buffer.alloc(0) };
    let sentClientId: string | null = clientId;
    let sentTime: string | null = time;
    let key = ownKey;
    switch (sign.fault) {
      case 'wrong-key':
        key = otherKey;
        break;
      case 'other-bytes':
        signed = { ...signed, body: Buffer.concat([signed.body, Buffer.from(' ')]) };
        break;
      case 'other-path':
        signed = { ...signed, path: plan.path.includes('/sandbox/') ? plan.path.replace('/sandbox/', '/') : `${plan.path}?x=1` };
        break;
      case 'wrong-client':
        sentClientId = sign.signer === 'alipayplus' ? 'SANDBOX_SOMEONE_ELSE' : 'MERCHANT_NOBODY';
        signed = { ...signed, clientId: sentClientId };
        break;
      case 'missing-client':
        sentClientId = null;
        break;
      case 'missing-time':
        sentTime = null;
        break;
      default:
        break;
    }
    const signature = encodeSignature(signMessage(signed, key), sign.format);
    const name = (n: string) => (sign.headerCase === 'lower' ? n.toLowerCase() : sign.headerCase === 'UPPER' ? n.toUpperCase() : n);
    if (sentClientId !== null) add(name('Client-Id'), sentClientId);
    if (sentTime !== null) add(name('Request-Time'), sentTime);
    if (sign.fault === 'garbage-signature') add(name('Signature'), sign.garbage ?? '');
    else if (sign.fault !== 'missing-signature') add(name('Signature'), signature);
  }
  return { method: plan.method, path: plan.path, headers, body, chunked: plan.chunked };
}

/** Every spelling of the Signature header the gateway accepts. */
function encodeSignature(base64: string, format: NonNullable<Plan['sign']>['format']): string {
  const encoded = encodeURIComponent(base64);
  switch (format) {
    case 'standard':
      return `algorithm=RSA256,keyVersion=1,signature=${encoded}`;
    case 'lowercase-escapes':
      return `algorithm=RSA256,keyVersion=1,signature=${encoded.replace(/%2B|%2F|%3D/g, (m) => m.toLowerCase())}`;
    case 'unencoded':
      return `algorithm=RSA256,keyVersion=1,signature=${base64}`;
    case 'spaces':
      return `algorithm=RSA256, keyVersion=1, signature=${encoded}`;
    case 'no-key-version':
      return `algorithm=RSA256,signature=${encoded}`;
  }
}

/** A protocol answer is signed by the gateway over the request's method and path and the answer's bytes. */
export function verifyAnswer(out: Outgoing, answer: Answer): boolean {
  const header = (name: string) => {
    const v = answer.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const parsed = parseSignatureHeader(header('signature'));
  const clientId = header('client-id');
  const time = header('response-time');
  if (!parsed || clientId === undefined || time === undefined) return false;
  return verifyMessage({ method: 'POST', path: out.path, clientId, time, body: answer.body }, parsed.signature, [acqpTestPublicKey]);
}
