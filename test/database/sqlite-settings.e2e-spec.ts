import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

/** The connection settings the SQLite store's speed and safety rest on, read back from the live connection. */
(testEngine() === 'sqlite' ? describe : describe.skip)('SQLite connection settings', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ env: { SQLITE_CACHE_MB: '8' } });
  });
  afterAll(() => sut.close());

  const pragma = async (name: string) => Object.values((await sut.app.get(DataSource).query<Array<Record<string, unknown>>>(`PRAGMA ${name}`))[0])[0];

  it('runs WAL with synchronous NORMAL and enforced foreign keys', async () => {
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(1);
    expect(await pragma('foreign_keys')).toBe(1);
  });

  it('sizes its page cache from SQLITE_CACHE_MB (negative: KiB)', async () => {
    expect(await pragma('cache_size')).toBe(-8 * 1024);
  });
});
