import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/common/clock';
import { mask } from '../../src/common/crypto/fingerprint';
import { adminClient } from '../admin/admin-client';
import { callbackHarness } from '../callbacks/callback-fixtures';
import { startReceiver, type Receiver } from '../callbacks/callback-receiver';
import { seedMerchant } from '../support/merchants';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Finding 3: the first 1 KiB of each callback answer was stored and shown
 * whole, so a receiver that echoes its request put access tokens into
 * attempt rows, the admin API, the console and the SQLite WAL; and the
 * SQLite files were 0644 in a 0755 folder. The engine is SQLite here on
 * purpose: its files on disk are what is checked.
 */
describe('security: secrets stay out of stored answers, and the database files are private', () => {
  const clock = new ManualClock(new Date());
  let dataDir: string;
  let sut: TestApp;
  let echo: Receiver;

  beforeAll(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'acqp-secrets-'));
    dataDir = join(parent, 'data');
    // The default embedded database under a DATA_DIR that does not exist yet: the gateway makes both.
    sut = await startTestApp({ clock, env: { DATABASE_URL: undefined, DATA_DIR: dataDir, CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' } });
    echo = await startReceiver((_n, request) => ({ status: 200, body: `you sent me ${request.raw}`, headers: { 'content-type': 'text/plain' } }));
  });
  afterAll(async () => {
    await sut.close();
    await echo.close();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('masks the token in the stored answer of a receiver that echoes its request, everywhere it is shown', async () => {
    const h = callbackHarness(sut, clock);
    const merchant = await seedMerchant(sut.app);
    const endpoint = await h.insertEndpoint(merchant.id, echo.url('/echo'));
    const n = await h.walletCancel(merchant.referenceMerchantId);
    await h.dispatcher.runOnce();

    expect(echo.received[0].raw).toContain(n.accessToken);
    const [delivery] = await h.deliveries(endpoint.id);
    const [attempt] = await h.attempts(delivery.id);
    expect(attempt.responseBody).toContain(mask(n.accessToken));
    expect(attempt.responseBody).not.toContain(n.accessToken);

    const detail = await adminClient(sut.baseUrl).get(`/admin/v1/deliveries/${delivery.id}`);
    expect(detail.status).toBe(200);
    expect(detail.raw).toContain(mask(n.accessToken));
    expect(detail.raw).not.toContain(n.accessToken);

    // Not in any file the database keeps on disk either (the WAL was where the review found it).
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith('gateway.sqlite'))) {
      expect({ file, leaks: readFileSync(join(dataDir, file)).includes(Buffer.from(n.accessToken)) }).toEqual({ file, leaks: false });
    }
  });

  it('makes the data folder 0700 and the database files 0600, whatever the umask', () => {
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(dataDir)).toBe('700');
    const files = ['gateway.sqlite', 'gateway.sqlite-wal', 'gateway.sqlite-shm'].filter((f) => existsSync(join(dataDir, f)));
    expect(files).toContain('gateway.sqlite-wal');
    for (const file of files) expect({ file, mode: mode(join(dataDir, file)) }).toEqual({ file, mode: '600' });
    // What this process's umask gives a file by default: readable by others, so the modes above are the gateway's doing.
    const plain = join(dataDir, '..', 'plain.txt');
    writeFileSync(plain, 'x');
    expect(mode(plain)).not.toBe('600');
  });
});
