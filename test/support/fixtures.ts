import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Test-only keys from the protocol's signature vectors (never for a real deployment). */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');
const pem = (name: string) => readFileSync(join(FIXTURES_DIR, 'vectors', name), 'utf8');

export const TEST_KEYS = {
  acqpPrivate: pem('acqp-test-private.pem'),
  acqpPublic: pem('acqp-test-public.pem'),
  alipayPlusPrivate: pem('alipayplus-test-private.pem'),
  alipayPlusPublic: pem('alipayplus-test-public.pem'),
};

export const TEST_ACQUIRER_ID = '102218800000001234';
export const TEST_CLIENT_ID = 'SANDBOX_5YC47N2ZQHJ004124';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_TOKEN_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
