import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { request } from 'node:http';
import { BENCH_ADMIN_TOKEN } from './bench-keys';

export interface BenchMerchant {
  readonly id: string;
  readonly clientId: string;
  readonly referenceMerchantId: string;
  /** Signs the merchant's revoke calls. */
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
}

/** POST to the gateway's admin API; resolves with the created resource's id (and secret, where it has one). */
function adminCreate(port: number, path: string, body: object): Promise<{ id: string; secret?: string }> {
  const raw = Buffer.from(JSON.stringify(body), 'utf8');
  const headers = { 'content-type': 'application/json', 'content-length': String(raw.length), authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, timeout: 30_000, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 201 && res.statusCode !== 200) reject(new Error(`POST ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`));
        else resolve(JSON.parse(text) as { id: string; secret?: string });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${path}: timeout`)));
    req.on('error', reject);
    req.end(raw);
  });
}

/** One ACTIVE merchant with a fresh RSA key, through the admin API; rate limited far above any bench so the limiter is not measured. */
export async function seedMerchant(port: number): Promise<BenchMerchant> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const suffix = randomBytes(5).toString('hex').toUpperCase();
  const fields = { referenceMerchantId: `2188${suffix}`, name: `Bench merchant ${suffix}`, clientId: `BENCH_${suffix}` };
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const { id } = await adminCreate(port, '/admin/v1/merchants', { ...fields, publicKey, consultPolicy: 'ALLOW', rateLimitPerSecond: 100_000 });
  return { id, ...fields, privateKey: pair.privateKey, privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * `count` ACTIVE sub-merchants of the merchant, each with one endpoint
 * subscribed to TOKEN_CANCELED at `urlOf(n)`, signing with `scheme` (the admin
 * API checks each URL against the SSRF guard, so the gateway must allow
 * 127.0.0.0/8). The merchant itself has no endpoint: one cancellation is
 * exactly `count` deliveries. Resolves with each endpoint's secret, if its scheme has one.
 */
export async function seedEndpoints(
  port: number,
  merchant: BenchMerchant,
  count: number,
  urlOf: (n: number) => string,
  signingScheme = 'ANTOM_RSA',
): Promise<Array<string | undefined>> {
  const secrets: Array<string | undefined> = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const sub = await adminCreate(port, `/admin/v1/merchants/${merchant.id}/sub-merchants`, {
        merchantAccountId: `SUB_${String(n).padStart(3, '0')}`,
        name: `Bench shop ${n}`,
      });
      const endpoint = await adminCreate(port, `/admin/v1/merchants/${merchant.id}/endpoints`, {
        subMerchantId: sub.id,
        url: urlOf(n),
        eventTypes: ['TOKEN_CANCELED'],
        signingScheme,
      });
      secrets[n] = endpoint.secret ?? undefined;
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return secrets;
}
