import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { request } from 'node:http';
import { type BenchDatabase, sqlTime } from './bench-database';
import { BENCH_ADMIN_TOKEN } from './bench-keys';
import { httpGet } from './child-process';

export interface BenchMerchant {
  readonly id: string;
  readonly clientId: string;
  readonly referenceMerchantId: string;
  /** Signs the merchant's revoke calls. */
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
  readonly seededVia: 'admin API' | 'database';
}

function postJson(port: number, path: string, body: object, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const raw = Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        timeout: 10_000,
        headers: { 'content-type': 'application/json', 'content-length': String(raw.length), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(raw);
  });
}

/**
 * One ACTIVE merchant with a fresh RSA key and the given rate limit: through
 * the admin API (POST /admin/v1/merchants) when the running gateway documents
 * it in /docs/openapi.json, otherwise written straight into its database
 * (after the gateway migrated it).
 */
export async function seedMerchant(port: number, db: BenchDatabase, rateLimitPerSecond: number): Promise<BenchMerchant> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const suffix = randomBytes(5).toString('hex').toUpperCase();
  const fields = { referenceMerchantId: `2188${suffix}`, name: `Bench merchant ${suffix}`, clientId: `BENCH_${suffix}` };

  const docs = await httpGet(port, '/docs/openapi.json');
  let hasAdminApi: boolean;
  try {
    hasAdminApi = docs.status === 200 && !!(JSON.parse(docs.body) as { paths?: Record<string, { post?: unknown }> }).paths?.['/admin/v1/merchants']?.post;
  } catch {
    hasAdminApi = false;
  }
  if (hasAdminApi) {
    const res = await postJson(
      port,
      '/admin/v1/merchants',
      { ...fields, publicKey: publicKeyPem, consultPolicy: 'ALLOW', rateLimitPerSecond },
      { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    );
    if (res.status !== 201 && res.status !== 200) throw new Error(`POST /admin/v1/merchants answered ${res.status}: ${res.body.slice(0, 300)}`);
    const id = (JSON.parse(res.body) as { id: string }).id;
    return { id, ...fields, privateKey: pair.privateKey, privateKeyPem, seededVia: 'admin API' };
  }
  const id = randomUUID();
  const now = sqlTime(new Date());
  await db.exec(
    'INSERT INTO merchants (id, reference_merchant_id, name, status, client_id, public_key, previous_public_key, consult_policy, consult_url, rate_limit_per_second, created_at, updated_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?)',
    [id, fields.referenceMerchantId, fields.name, 'ACTIVE', fields.clientId, publicKeyPem, 'ALLOW', rateLimitPerSecond, now, now],
  );
  return { id, ...fields, privateKey: pair.privateKey, privateKeyPem, seededVia: 'database' };
}
