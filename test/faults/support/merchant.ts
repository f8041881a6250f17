import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { adminClient } from '../../admin/admin-client';
import { postSigned } from '../../support/signed-client';

export const AUTH_NOTIFY = '/aps/api/v1/authorizations/authNotify';
export const REVOKE = '/ams/api/v1/authorizations/revoke';

export interface FaultEndpoint {
  readonly id: string;
  /** The receiver path it was registered with (one path per endpoint). */
  readonly path: string;
  readonly subMerchantId: string | null;
  readonly merchantAccountId: string | null;
}

export interface FaultMerchant {
  readonly id: string;
  readonly clientId: string;
  readonly referenceMerchantId: string;
  readonly privateKey: KeyObject;
  readonly endpoints: FaultEndpoint[];
  /** Receiver path → endpoint id. */
  readonly endpointByPath: Map<string, string>;
}

/**
 * Onboards a merchant through the real admin API of a running gateway: the
 * merchant with a fresh key, `subMerchants` sub-merchants with one callback
 * endpoint each at `url(path)`, and optionally the merchant's own endpoint.
 */
export async function onboardMerchant(
  baseUrl: string,
  options: { subMerchants: number; url: (path: string) => string; ownEndpoint?: boolean; tag?: string },
): Promise<FaultMerchant> {
  const admin = adminClient(baseUrl);
  const expectStatus = (answer: { status: number; raw: string }, status: number, what: string) => {
    if (answer.status !== status) throw new Error(`${what}: HTTP ${answer.status} ${answer.raw}`);
  };
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const suffix = randomBytes(5).toString('hex').toUpperCase();
  const created = await admin.post('/admin/v1/merchants', {
    referenceMerchantId: `2188${suffix}`,
    name: `Fault ${options.tag ?? ''} ${suffix}`,
    clientId: `FAULT_${suffix}`,
    publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  expectStatus(created, 201, 'create merchant');
  const merchant = created.json as { id: string; clientId: string; referenceMerchantId: string };
  const endpoints: FaultEndpoint[] = [];
  const addEndpoint = async (path: string, sub: { id: string; merchantAccountId: string } | null) => {
    const answer = await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: options.url(path), ...(sub ? { subMerchantId: sub.id } : {}) });
    expectStatus(answer, 201, `create endpoint ${path}`);
    endpoints.push({ id: answer.json.id, path, subMerchantId: sub?.id ?? null, merchantAccountId: sub?.merchantAccountId ?? null });
  };
  for (let i = 0; i < options.subMerchants; i++) {
    const merchantAccountId = `SUB_${suffix}_${i}`;
    const sub = await admin.post(`/admin/v1/merchants/${merchant.id}/sub-merchants`, { merchantAccountId, name: `Sub ${i}` });
    expectStatus(sub, 201, 'create sub-merchant');
    await addEndpoint(`/cb/${suffix}/sub-${i}`, { id: sub.json.id, merchantAccountId });
  }
  if (options.ownEndpoint) await addEndpoint(`/cb/${suffix}/own`, null);
  return {
    id: merchant.id,
    clientId: merchant.clientId,
    referenceMerchantId: merchant.referenceMerchantId,
    privateKey: keys.privateKey,
    endpoints,
    endpointByPath: new Map(endpoints.map((e) => [e.path, e.id])),
  };
}

/**
 * Posts one authNotify as Alipay+ does, and, as Alipay+ does, sends it again
 * until it is answered S (a U, a 5xx or a dropped connection is retried).
 * Returns how many tries it took.
 */
export async function notifyUntilAcknowledged(baseUrl: string, body: object, maxTries = 20): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    let status: string | undefined;
    try {
      const answer = await postSigned(baseUrl, AUTH_NOTIFY, body);
      status = answer.json?.result?.resultStatus;
      if (status === 'S' && answer.signatureValid) return attempt;
    } catch {
      status = 'connection failed';
    }
    if (attempt >= maxTries) throw new Error(`authNotify not acknowledged after ${attempt} tries (last: ${status})`);
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}

/** A merchant's signed revoke, as the Antom SDKs send it; resolves with resultStatus and resultCode. */
export async function revoke(baseUrl: string, merchant: FaultMerchant, accessToken: string): Promise<{ status: string; code: string }> {
  const answer = await postSigned(baseUrl, REVOKE, JSON.stringify({ accessToken }, null, 3), { privateKey: merchant.privateKey, clientId: merchant.clientId });
  if (!answer.signatureValid) throw new Error(`revoke answer not signed by the gateway: ${answer.status} ${answer.raw}`);
  return { status: answer.json.result.resultStatus, code: answer.json.result.resultCode };
}

/** Runs `task` over `items` with at most `width` at a time, in order of start. */
export async function inParallel<T, R>(items: readonly T[], width: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}
