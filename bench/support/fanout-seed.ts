import { request } from 'node:http';
import type { BenchDatabase } from './bench-database';
import { BENCH_ADMIN_TOKEN } from './bench-keys';
import { seedMerchant, type BenchMerchant } from './merchant-seed';

export interface FanoutMerchant {
  readonly merchant: BenchMerchant;
  /** Per endpoint n: its sub-merchant's merchantAccountId and its callback URL. */
  readonly endpoints: ReadonlyArray<{ merchantAccountId: string; url: string; id: string }>;
}

function adminPost(port: number, path: string, body: object): Promise<{ status: number; body: string }> {
  const raw = Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': String(raw.length), authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
    req.on('error', reject);
    req.end(raw);
  });
}

async function created(port: number, path: string, body: object): Promise<string> {
  const res = await adminPost(port, path, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
  return (JSON.parse(res.body) as { id: string }).id;
}

/**
 * One merchant with `count` ACTIVE sub-merchants, each with one ANTOM_RSA
 * endpoint subscribed to TOKEN_CANCELED at `urlOf(n)`, all through the admin
 * API (which checks each URL against the SSRF guard, so the gateway must allow
 * 127.0.0.0/8). The merchant itself has no endpoint: one cancellation is
 * exactly `count` deliveries.
 */
export async function seedFanoutMerchant(port: number, db: BenchDatabase, count: number, urlOf: (n: number) => string): Promise<FanoutMerchant> {
  const merchant = await seedMerchant(port, db, 100_000);
  if (merchant.seededVia !== 'admin API') throw new Error('the gateway has no admin API (/admin/v1/merchants): cannot seed sub-merchants and endpoints');
  const endpoints: Array<{ merchantAccountId: string; url: string; id: string }> = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const merchantAccountId = `SUB_${String(n).padStart(3, '0')}`;
      const subId = await created(port, `/admin/v1/merchants/${merchant.id}/sub-merchants`, { merchantAccountId, name: `Bench shop ${n}` });
      const url = urlOf(n);
      const id = await created(port, `/admin/v1/merchants/${merchant.id}/endpoints`, { subMerchantId: subId, url, eventTypes: ['TOKEN_CANCELED'] });
      endpoints[n] = { merchantAccountId, url, id };
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return { merchant, endpoints };
}
