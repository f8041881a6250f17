import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { TEST_ADMIN_TOKEN } from '../support/fixtures';

export interface AdminAnswer {
  status: number;
  headers: Headers;
  raw: string;
  json: any;
}

export interface AdminCall {
  /** Defaults to the test admin token; null sends no Authorization header. */
  token?: string | null;
  contentType?: string;
  /** Sent as is (for broken JSON); otherwise `body` is JSON-encoded. */
  rawBody?: string;
}

/** Calls the admin API over real HTTP, as the console and the CLI do. */
export function adminClient(baseUrl: string) {
  const call = async (method: string, path: string, body?: unknown, options: AdminCall = {}): Promise<AdminAnswer> => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? TEST_ADMIN_TOKEN : options.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const raw = await res.text();
    let json: unknown;
    try {
      json = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, raw, json };
  };
  return {
    call,
    get: (path: string, options?: AdminCall) => call('GET', path, undefined, options),
    post: (path: string, body?: unknown, options?: AdminCall) => call('POST', path, body, options),
    patch: (path: string, body?: unknown, options?: AdminCall) => call('PATCH', path, body, options),
    delete: (path: string, options?: AdminCall) => call('DELETE', path, undefined, options),
  };
}

export type AdminClient = ReturnType<typeof adminClient>;

export const unique = (prefix: string) => `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;

/** A fresh RSA public key in PEM (SPKI), as a merchant would upload it. */
export function newPublicKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The same key as the bare base64 DER the Antom dashboard shows. */
export function bareBase64(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/** A valid create-merchant body with unique ids. */
export function newMerchantBody(overrides: Record<string, unknown> = {}) {
  return {
    referenceMerchantId: unique('2188'),
    name: 'Test Shop',
    clientId: unique('CLIENT_'),
    publicKey: newPublicKeyPem(),
    ...overrides,
  };
}
