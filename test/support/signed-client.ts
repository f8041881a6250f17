import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { request } from 'node:http';
import { parseSignatureHeader, signMessage, verifyMessage } from '../../src/signing';
import { TEST_CLIENT_ID, TEST_KEYS } from './fixtures';

export interface SignedCall {
  /** Defaults to Alipay+'s test key (an inbound Alipay+ call). */
  privateKey?: KeyObject;
  clientId?: string;
  /** Defaults to now, ISO 8601. */
  requestTime?: string;
  contentType?: string;
  /** Replace the signature header entirely (for tampering tests). */
  signatureHeader?: string | null;
  extraHeaders?: Record<string, string>;
}

export interface SignedAnswer {
  status: number;
  headers: Headers;
  raw: string;
  json: any;
  /** The answer's signature verified with `verifyWith` over the same path and raw bytes. */
  signatureValid: boolean;
}

export const alipayPlusTestKey = createPrivateKey(TEST_KEYS.alipayPlusPrivate);
export const acqpTestPublicKey = createPublicKey(TEST_KEYS.acqpPublic);

/**
 * Posts a body signed the way Alipay+ and the official Antom SDKs sign
 * (`Client-Id`, `Request-Time`, `Signature`), and checks the signed answer.
 */
export async function postSigned(
  baseUrl: string,
  path: string,
  body: string | Buffer | object,
  call: SignedCall = {},
  verifyWith: KeyObject = acqpTestPublicKey,
): Promise<SignedAnswer> {
  // A Buffer goes out byte for byte (e.g. bytes that are not UTF-8), signed as it is.
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const clientId = call.clientId ?? TEST_CLIENT_ID;
  const time = call.requestTime ?? new Date().toISOString();
  const signature = signMessage({ method: 'POST', path, clientId, time, body: raw }, call.privateKey ?? alipayPlusTestKey);
  const headers: Record<string, string> = {
    'Content-Type': call.contentType ?? 'application/json; charset=UTF-8',
    'Client-Id': clientId,
    'Request-Time': time,
    ...call.extraHeaders,
  };
  const sigHeader = call.signatureHeader === undefined ? `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}` : call.signatureHeader;
  if (sigHeader !== null) headers.Signature = sigHeader;
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: raw });
  return readSignedAnswer(res, path, verifyWith);
}

export async function readSignedAnswer(res: Response, path: string, verifyWith: KeyObject): Promise<SignedAnswer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = parseSignatureHeader(res.headers.get('signature') ?? undefined);
  const clientId = res.headers.get('client-id');
  const time = res.headers.get('response-time');
  const signatureValid =
    parsed !== null &&
    clientId !== null &&
    time !== null &&
    verifyMessage({ method: 'POST', path, clientId, time, body: text }, parsed.signature, [verifyWith]);
  return { status: res.status, headers: res.headers, raw: text, json, signatureValid };
}

/**
 * postSigned over node:http on a connection of its own (no keep-alive), for
 * what fetch will not send: any Content-Type header at all. Fails after
 * `timeoutMs` without an answer.
 */
export function postSignedRaw(
  baseUrl: string,
  path: string,
  body: Buffer,
  signer: { clientId: string; privateKey: KeyObject },
  options: { contentType?: string; timeoutMs?: number } = {},
): Promise<SignedAnswer> {
  const time = new Date().toISOString();
  const signature = signMessage({ method: 'POST', path, clientId: signer.clientId, time, body }, signer.privateKey);
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, {
      method: 'POST',
      agent: false,
      timeout: timeoutMs,
      headers: {
        'Content-Type': options.contentType ?? 'application/json; charset=UTF-8',
        'Client-Id': signer.clientId,
        'Request-Time': time,
        Signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
      },
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers = new Headers(Object.entries(res.headers).map(([k, v]): [string, string] => [k, String(v)]));
        void readSignedAnswer(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }), path, acqpTestPublicKey).then(resolve, reject);
      });
    });
    req.end(body);
  });
}
