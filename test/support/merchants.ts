import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MerchantEntity } from '../../src/merchants/merchant.entity';
import { SubMerchantEntity } from '../../src/merchants/sub-merchant.entity';

export interface TestMerchant {
  readonly id: string;
  readonly clientId: string;
  readonly referenceMerchantId: string;
  /** The merchant's own key: signs its API calls. */
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly subMerchants: Array<{ id: string; merchantAccountId: string }>;
}

let cachedKeys: { privateKey: KeyObject; publicKeyPem: string } | undefined;

/** A merchant of its own for one test, written straight to the database (onboarding has its own tests). */
export async function seedMerchant(
  app: NestFastifyApplication,
  options: {
    subMerchants?: number;
    rateLimitPerSecond?: number;
    freshKey?: boolean;
    status?: 'ACTIVE' | 'DISABLED';
    /** `SANDBOX_` makes the official SDKs call the /ams/sandbox/api paths. */
    clientIdPrefix?: string;
    /** The gateway exchanges the merchant's AUTHCODE_CREATED codes itself. */
    autoExchange?: boolean;
  } = {},
): Promise<TestMerchant> {
  const keys =
    options.freshKey || !cachedKeys
      ? (() => {
          const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
          return { privateKey: pair.privateKey, publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
        })()
      : cachedKeys;
  if (!options.freshKey) cachedKeys ??= keys;
  const suffix = randomBytes(5).toString('hex').toUpperCase();
  const now = new Date();
  const merchant: MerchantEntity = {
    id: randomUUID(),
    referenceMerchantId: `2188${suffix}`,
    name: `Merchant ${suffix}`,
    status: options.status ?? 'ACTIVE',
    clientId: `${options.clientIdPrefix ?? 'MERCHANT_'}${suffix}`,
    publicKey: keys.publicKeyPem,
    previousPublicKey: null,
    consultPolicy: 'ALLOW',
    consultUrl: null,
    rateLimitPerSecond: options.rateLimitPerSecond ?? null,
    autoExchange: options.autoExchange ? 1 : 0,
    createdAt: now,
    updatedAt: now,
  };
  const db = app.get(DataSource);
  await db.manager.insert(MerchantEntity, merchant);
  const subMerchants: TestMerchant['subMerchants'] = [];
  for (let i = 0; i < (options.subMerchants ?? 0); i++) {
    const sub = {
      id: randomUUID(),
      merchantId: merchant.id,
      merchantAccountId: `SUB_${suffix}_${i}`,
      name: `Sub ${i}`,
      status: 'ACTIVE' as const,
      createdAt: now,
      updatedAt: now,
    };
    await db.manager.insert(SubMerchantEntity, sub);
    subMerchants.push({ id: sub.id, merchantAccountId: sub.merchantAccountId });
  }
  return { id: merchant.id, clientId: merchant.clientId, referenceMerchantId: merchant.referenceMerchantId, ...keys, subMerchants };
}
