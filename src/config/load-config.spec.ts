import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { loadConfig } from './load-config';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'vectors', name), 'utf8');
const ACQP_PRIVATE = fixture('acqp-test-private.pem');
const ALIPAY_PUBLIC = fixture('alipayplus-test-public.pem');

describe(loadConfig.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'acqp-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const live = (extra: Record<string, string | undefined> = {}) => ({
    DATA_DIR: dir,
    ALIPAYPLUS_BASE_URL: 'https://open-sea-global.alipayplus.com',
    ALIPAYPLUS_CLIENT_ID: 'CLIENT',
    ALIPAYPLUS_ACQUIRER_ID: '1022',
    ALIPAYPLUS_PRIVATE_KEY: ACQP_PRIVATE,
    ALIPAYPLUS_PUBLIC_KEY: ALIPAY_PUBLIC,
    GATEWAY_PRIVATE_KEY: ACQP_PRIVATE,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    ADMIN_API_TOKEN: 'an-admin-token-of-enough-length',
    ...extra,
  });

  const problemsOf = (env: Record<string, string | undefined>): string => {
    try {
      loadConfig(env, dir);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('runs in sandbox mode with nothing set, generating material once and reusing it', () => {
    const first = loadConfig({ DATA_DIR: dir }, dir);
    const second = loadConfig({ DATA_DIR: dir }, dir);
    expect(first.mode).toBe('sandbox');
    expect(first.database).toEqual({ kind: 'sqlite', path: join(dir, 'gateway.sqlite'), cacheMb: 32, fsyncBeforeAck: true });
    expect(first.http.port).toBe(8080);
    expect(first.sandbox).toBeDefined();
    expect(second.adminApiToken).toBe(first.adminApiToken);
    expect(second.tokenEncryption.current).toEqual(first.tokenEncryption.current);
    expect(first.alipayPlus.baseUrl).toBe('http://127.0.0.1:8080/sandbox/alipayplus');
  });

  it('runs in live mode when the Alipay+ variables are set', () => {
    const sut = loadConfig(live(), dir);
    expect(sut.mode).toBe('live');
    expect(sut.sandbox).toBeUndefined();
    expect(sut.alipayPlus.publicKeys).toHaveLength(1);
    expect(sut.tokenEncryption.current.id).toMatch(/^[0-9a-f]{8}$/);
  });

  it('keeps the previous Alipay+ public key for verification during a rotation', () => {
    const sut = loadConfig(live({ ALIPAYPLUS_PUBLIC_KEY_PREVIOUS: fixture('acqp-test-public.pem') }), dir);
    expect(sut.alipayPlus.publicKeys).toHaveLength(2);
  });

  it('reads keys from *_FILE paths', () => {
    const path = join(dir, 'acqp.pem');
    writeFileSync(path, ACQP_PRIVATE);
    const sut = loadConfig(live({ ALIPAYPLUS_PRIVATE_KEY: undefined, ALIPAYPLUS_PRIVATE_KEY_FILE: path }), dir);
    expect(sut.alipayPlus.privateKey.asymmetricKeyType).toBe('rsa');
  });

  it('names a missing key file without failing on anything else', () => {
    const message = problemsOf(live({ ALIPAYPLUS_PRIVATE_KEY: undefined, ALIPAYPLUS_PRIVATE_KEY_FILE: join(dir, 'nope.pem') }));
    expect(message).toBe('invalid configuration: ALIPAYPLUS_PRIVATE_KEY_FILE cannot be read (ENOENT)');
  });

  it('refuses both a key and its file', () => {
    expect(problemsOf(live({ ALIPAYPLUS_PUBLIC_KEY_FILE: '/x.pem' }))).toContain('ALIPAYPLUS_PUBLIC_KEY and ALIPAYPLUS_PUBLIC_KEY_FILE');
  });

  it('parses MySQL and MariaDB URLs and rejects other schemes', () => {
    expect(loadConfig(live({ DATABASE_URL: 'mysql://u:p@db:3306/acqp' }), dir).database).toEqual({
      kind: 'mysql',
      url: 'mysql://u:p@db:3306/acqp',
      poolSize: 20,
    });
    expect(loadConfig(live({ DATABASE_URL: 'mariadb://u:p@db/acqp' }), dir).database).toMatchObject({ url: 'mysql://u:p@db/acqp' });
    expect(problemsOf(live({ DATABASE_URL: 'postgres://u:p@db/acqp' }))).toContain('DATABASE_URL has unsupported scheme postgres:');
    expect(problemsOf(live({ DATABASE_URL: 'mysql://u:p@db' }))).toContain('DATABASE_URL needs a host and a database name');
  });

  it('sizes the SQLite page cache from SQLITE_CACHE_MB, within bounds', () => {
    expect(loadConfig(live({ DATABASE_URL: 'sqlite:/tmp/x.sqlite', SQLITE_CACHE_MB: '8' }), dir).database).toEqual({
      kind: 'sqlite',
      path: '/tmp/x.sqlite',
      cacheMb: 8,
      fsyncBeforeAck: true,
    });
    expect(problemsOf(live({ SQLITE_CACHE_MB: '1' }))).toContain('SQLITE_CACHE_MB');
    expect(problemsOf(live({ SQLITE_CACHE_MB: 'lots' }))).toContain('SQLITE_CACHE_MB');
  });

  it('fsyncs SQLite before acknowledging unless SQLITE_FSYNC_BEFORE_ACK=false trades that away', () => {
    const database = (value?: string) => loadConfig(live({ DATABASE_URL: 'sqlite:/tmp/x.sqlite', SQLITE_FSYNC_BEFORE_ACK: value }), dir).database;
    expect(database()).toMatchObject({ kind: 'sqlite', fsyncBeforeAck: true });
    expect(database('false')).toMatchObject({ kind: 'sqlite', fsyncBeforeAck: false });
    expect(problemsOf(live({ SQLITE_FSYNC_BEFORE_ACK: 'sometimes' }))).toContain('SQLITE_FSYNC_BEFORE_ACK');
  });

  it('connects through a Unix socket named by socketPath, and refuses any other URL parameter', () => {
    expect(loadConfig(live({ DATABASE_URL: 'mysql://u:p@localhost/acqp?socketPath=/run/mysqld/mysqld.sock' }), dir).database).toEqual({
      kind: 'mysql',
      url: 'mysql://u:p@localhost/acqp',
      poolSize: 20,
      socketPath: '/run/mysqld/mysqld.sock',
    });
    expect(problemsOf(live({ DATABASE_URL: 'mysql://u:p@localhost/acqp?socketPath=mysqld.sock' }))).toContain(
      'DATABASE_URL socketPath must be an absolute path',
    );
    expect(problemsOf(live({ DATABASE_URL: 'mysql://u:p@db/acqp?ssl=true' }))).toContain(
      'DATABASE_URL has unsupported parameter ssl (the one supported is socketPath)',
    );
  });

  it('requires every secret in production and refuses plain http upstreams there', () => {
    const message = problemsOf(live({ NODE_ENV: 'production', ALIPAYPLUS_BASE_URL: 'http://alipay.example', ADMIN_API_TOKEN: undefined }));
    expect(message).toContain('ALIPAYPLUS_BASE_URL must use https in production');
    expect(message).toContain('ADMIN_API_TOKEN is required');
    expect(message).toContain('DATABASE_URL is required in production');
  });

  it('refuses sandbox mode in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', DATA_DIR: dir })).toContain('NODE_ENV production refuses sandbox mode');
  });

  it('validates numbers, levels and the encryption key', () => {
    const message = problemsOf(live({ PORT: '70000', LOG_LEVEL: 'loud', TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=', SIGNATURE_SKEW_SECONDS: '-5' }));
    expect(message).toContain('PORT must be a whole number from 0 to 65535');
    expect(message).toContain('LOG_LEVEL must be one of');
    expect(message).toContain('TOKEN_ENCRYPTION_KEY must be 32 bytes');
    expect(message).toContain('SIGNATURE_SKEW_SECONDS must be a whole number');
  });

  it('never echoes key material in a problem', () => {
    const message = problemsOf(live({ ALIPAYPLUS_PRIVATE_KEY: 'MIIEsecretish' }));
    expect(message).toContain('ALIPAYPLUS_PRIVATE_KEY is not a usable RSA private key');
    expect(message).not.toContain('MIIEsecretish');
  });

  it('accepts hex encryption keys and keeps the look-up key stable across a rotation', () => {
    const oldKey = Buffer.alloc(32, 3).toString('base64');
    const before = loadConfig(live(), dir);
    const rotated = loadConfig(live({ TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32), TOKEN_ENCRYPTION_KEY_PREVIOUS: oldKey, TOKEN_LOOKUP_KEY: oldKey }), dir);
    expect(rotated.tokenEncryption.current.id).not.toBe(before.tokenEncryption.current.id);
    expect(rotated.tokenEncryption.previous.map((k) => k.id)).toEqual([before.tokenEncryption.current.id]);
    expect(rotated.tokenEncryption.lookupKey.equals(before.tokenEncryption.lookupKey)).toBe(true);
  });
});
