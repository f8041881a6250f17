import { createServer } from 'node:net';
import { AlipayPlusClient, type AlipayPlusClientOptions } from '../../src/alipayplus/alipayplus.client';
import { loadPrivateKey, loadPublicKey } from '../../src/signing';
import { TEST_ACQUIRER_ID, TEST_CLIENT_ID, TEST_KEYS } from '../support/fixtures';

export const ACQP_PRIVATE = loadPrivateKey(TEST_KEYS.acqpPrivate);
export const ALIPAYPLUS_PUBLIC = loadPublicKey(TEST_KEYS.alipayPlusPublic);
export const PSP_ID = '102208800000001230';

let tokenSeq = 0;
/** A fresh, realistic access token per test, so rules and idempotency never leak between tests. */
export const newToken = () => `281010033AB2F588D14B4323${String(Date.now()).slice(-8)}${String(++tokenSeq).padStart(8, '0')}`;

export function clientFor(baseUrl: string, overrides: Partial<AlipayPlusClientOptions> = {}): AlipayPlusClient {
  return new AlipayPlusClient({
    baseUrl: () => baseUrl,
    clientId: TEST_CLIENT_ID,
    privateKey: ACQP_PRIVATE,
    alipayPlusPublicKeys: () => [ALIPAYPLUS_PUBLIC],
    timeoutMs: 5_000,
    ...overrides,
  });
}

export const requestFor = (accessToken: string) => ({ pspId: PSP_ID, acquirerId: TEST_ACQUIRER_ID, accessToken });

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
