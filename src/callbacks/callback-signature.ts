import { createHmac, type KeyObject } from 'node:crypto';
import type { SigningScheme } from '../protocol/signing-schemes';
import { formatSignatureHeader, signMessageAsync } from '../signing';

const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';
const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** What a scheme signs: one callback's exact bytes, with what identifies it. */
export interface CallbackToSign {
  /** The endpoint's URL, as stored. */
  readonly url: string;
  readonly body: Buffer;
  /** The event id: Standard Webhooks' `webhook-id`, the same on every retry. */
  readonly eventId: string;
  readonly now: Date;
  /** The endpoint's decrypted secrets, newest first; empty for a scheme without one. */
  readonly secrets: readonly string[];
  /** The gateway's key, under the client id the receiving merchant verifies with. */
  readonly antomSigner: () => { clientId: string; privateKey: KeyObject };
}

/**
 * How each signing scheme (SIGNING_SCHEMES) signs a callback: the request
 * headers for those bytes. `satisfies` keeps this in step with the registry.
 */
export const CALLBACK_SIGNERS = {
  ANTOM_RSA: (c) => antomCallbackHeaders(new URL(c.url), c.body, c.antomSigner(), c.now.toISOString()),
  STANDARD_WEBHOOKS: async (c) => standardWebhookHeaders(c.eventId, Math.floor(c.now.getTime() / 1000), c.body, c.secrets),
} satisfies Record<SigningScheme, (c: CallbackToSign) => Promise<Record<string, string>>>;

/**
 * notifyAuthorization-style headers signed with the gateway's key, so the
 * Antom SDKs' `WebhookTool.checkSignature(requestUri, "POST", clientId,
 * requestTime, signature, body, publicKey)` accepts them. Lower-case names:
 * the Antom receiver samples read `request-time`, `client-id`, `signature`.
 * The Request-URI is the callback URL's path plus its query, if any.
 *
 * The RSA work runs on libuv's thread pool, not the event loop: a dispatcher
 * signs one callback per delivery, and on the loop that alone would cap it
 * near one core's worth of signatures while claims and answers wait.
 */
export async function antomCallbackHeaders(
  url: URL,
  body: Buffer,
  signer: { clientId: string; privateKey: KeyObject },
  requestTime: string,
): Promise<Record<string, string>> {
  const message = { method: 'POST', path: `${url.pathname}${url.search}`, clientId: signer.clientId, time: requestTime, body };
  return {
    'content-type': JSON_CONTENT_TYPE,
    'client-id': signer.clientId,
    'request-time': requestTime,
    signature: formatSignatureHeader(await signMessageAsync(message, signer.privateKey)),
  };
}

/**
 * Standard Webhooks headers: `webhook-id` (the event id: receivers dedupe on
 * it), `webhook-timestamp` (unix seconds) and `webhook-signature`, one
 * `v1,<base64 HMAC-SHA256>` per secret, space-separated, so a receiver still
 * on the previous secret verifies during a rotation.
 */
export function standardWebhookHeaders(id: string, timestampSeconds: number, body: Buffer, secrets: readonly string[]): Record<string, string> {
  const signatures = secrets.map((secret) => {
    const mac = createHmac('sha256', webhookSecretBytes(secret));
    mac.update(`${id}.${timestampSeconds}.`);
    mac.update(body);
    return `v1,${mac.digest('base64')}`;
  });
  return {
    'content-type': JSON_CONTENT_TYPE,
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatures.join(' '),
  };
}

/** `whsec_<base64>` → the key bytes (the prefix is optional, as in the reference libraries). */
export function webhookSecretBytes(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw new Error('empty webhook secret');
  return bytes;
}
