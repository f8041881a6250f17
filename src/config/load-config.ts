import { createHash, hkdfSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseDuration, parseDurationList } from './duration';
import { parseCidr } from './ip-range';
import { loadPrivateKey, loadPublicKey } from '../signing/signing-keys';
import { ConfigError } from './config.error';
import type { Environment } from './environment';
import type { CallbacksConfig, DatabaseConfig, EncryptionKey, GatewayConfig, SandboxConfig } from './gateway-config';
import { ensureSandboxMaterial } from './sandbox-material';

/** Variables whose presence switches the gateway from sandbox to live mode. */
const LIVE_MARKERS = [
  'ALIPAYPLUS_BASE_URL',
  'ALIPAYPLUS_CLIENT_ID',
  'ALIPAYPLUS_ACQUIRER_ID',
  'ALIPAYPLUS_PRIVATE_KEY',
  'ALIPAYPLUS_PRIVATE_KEY_FILE',
  'ALIPAYPLUS_PUBLIC_KEY',
  'ALIPAYPLUS_PUBLIC_KEY_FILE',
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Parses the environment into a typed config. Every problem is collected, so
 * one failed boot names every bad variable at once; nothing is half-started.
 */
export function loadConfig(env: Environment, cwd = process.cwd()): GatewayConfig {
  const p = new Problems();
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const nodeEnv = parseNodeEnv(value('NODE_ENV'), p);
  const sandbox = !LIVE_MARKERS.some((name) => value(name) !== undefined);
  const production = nodeEnv === 'production';
  if (production && sandbox) {
    p.add('NODE_ENV', 'production refuses sandbox mode: set the ALIPAYPLUS_* variables');
  }

  const dataDir = resolve(cwd, value('DATA_DIR') ?? 'data');
  const port = int(p, 'PORT', value('PORT'), 8080, 0, 65535);
  const http = {
    host: value('HOST') ?? '0.0.0.0',
    port,
    // The largest legitimate body (a revoke with 20,000 characters of passThroughInfo) is under 100 KiB.
    bodyLimitBytes: int(p, 'HTTP_BODY_LIMIT_BYTES', value('HTTP_BODY_LIMIT_BYTES'), 128 * 1024, 1024, 64 * 1024 * 1024),
    // Alipay+ gives up after 5 s; a request still arriving after 30 s is a slow sender holding a connection.
    requestTimeoutMs: int(p, 'HTTP_REQUEST_TIMEOUT_MS', value('HTTP_REQUEST_TIMEOUT_MS'), 30_000, 1_000, 600_000),
    shutdownTimeoutMs: int(p, 'SHUTDOWN_TIMEOUT_MS', value('SHUTDOWN_TIMEOUT_MS'), 10_000, 0, 600_000),
    trustProxy: cidrList(p, 'TRUST_PROXY', value('TRUST_PROXY') ?? ''),
  };
  const authFailuresBeforeLockout = int(p, 'AUTH_FAILURES_BEFORE_LOCKOUT', value('AUTH_FAILURES_BEFORE_LOCKOUT'), 5, 1, 1_000_000);
  const database = parseDatabase(p, value, dataDir, production);

  const migrateOnStart = bool(p, 'DATABASE_MIGRATE_ON_START', value('DATABASE_MIGRATE_ON_START'), false);

  const material = sandbox && !p.fatal ? ensureSandboxMaterial(resolve(dataDir, 'sandbox')) : undefined;
  const pick = (name: string, fallback: string | undefined): string | undefined => value(name) ?? (sandbox ? fallback : undefined);

  const adminApiToken = required(p, 'ADMIN_API_TOKEN', pick('ADMIN_API_TOKEN', material?.adminToken), !sandbox || production);
  if (adminApiToken && adminApiToken.length < 24) p.add('ADMIN_API_TOKEN', 'must be at least 24 characters');

  const baseUrl = sandbox ? `http://127.0.0.1:${port}/sandbox/alipayplus` : required(p, 'ALIPAYPLUS_BASE_URL', value('ALIPAYPLUS_BASE_URL'), true);
  if (baseUrl) checkHttpUrl(p, 'ALIPAYPLUS_BASE_URL', baseUrl, production);

  const acqpPrivate = keyVariable(p, env, cwd, 'ALIPAYPLUS_PRIVATE_KEY', 'private', material?.acqpPrivatePem);
  const alipayPublic = keyVariable(p, env, cwd, 'ALIPAYPLUS_PUBLIC_KEY', 'public', material?.simulatorPublicPem);
  const alipayPrevious = keyVariable(p, env, cwd, 'ALIPAYPLUS_PUBLIC_KEY_PREVIOUS', 'public', undefined, false);
  const gatewayPrivate = keyVariable(p, env, cwd, 'GATEWAY_PRIVATE_KEY', 'private', material?.gatewayPrivatePem);

  const encryptionKey = pick('TOKEN_ENCRYPTION_KEY', material?.tokenEncryptionKey);
  const current = encryptionKey === undefined ? undefined : parseEncryptionKey(p, 'TOKEN_ENCRYPTION_KEY', encryptionKey);
  if (encryptionKey === undefined) p.add('TOKEN_ENCRYPTION_KEY', 'is required (32 bytes, base64 or hex)');
  const previous = (value('TOKEN_ENCRYPTION_KEY_PREVIOUS') ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => parseEncryptionKey(p, 'TOKEN_ENCRYPTION_KEY_PREVIOUS', s.trim()));
  const lookupSource = value('TOKEN_LOOKUP_KEY');
  const lookupKey = lookupSource === undefined ? current?.key : parseEncryptionKey(p, 'TOKEN_LOOKUP_KEY', lookupSource)?.key;

  const clientId = pick('ALIPAYPLUS_CLIENT_ID', 'SANDBOX_ACQP_GATEWAY');
  const acquirerId = pick('ALIPAYPLUS_ACQUIRER_ID', '102200000000000001');
  required(p, 'ALIPAYPLUS_CLIENT_ID', clientId, true);
  required(p, 'ALIPAYPLUS_ACQUIRER_ID', acquirerId, true);
  const skewSeconds = int(p, 'SIGNATURE_SKEW_SECONDS', value('SIGNATURE_SKEW_SECONDS'), 300, 1, 86_400);
  const timeoutMs = int(p, 'ALIPAYPLUS_TIMEOUT_MS', value('ALIPAYPLUS_TIMEOUT_MS'), 5_000, 100, 60_000);
  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) p.add('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  const cancelToken = {
    pollMs: int(p, 'CANCEL_TOKEN_POLL_MS', value('CANCEL_TOKEN_POLL_MS'), 1_000, 10, 60_000),
    concurrency: int(p, 'CANCEL_TOKEN_CONCURRENCY', value('CANCEL_TOKEN_CONCURRENCY'), 8, 1, 256),
    retryBaseMs: int(p, 'CANCEL_TOKEN_RETRY_BASE_MS', value('CANCEL_TOKEN_RETRY_BASE_MS'), 1_000, 10, 600_000),
    revokeBudgetMs: int(p, 'REVOKE_BUDGET_MS', value('REVOKE_BUDGET_MS'), 3_000, 100, 30_000),
  };

  const callbacks = parseCallbacks(p, value, sandbox);

  p.throwIfAny();
  const sandboxConfig: SandboxConfig | undefined = material && {
    simulatorPrivateKey: loadPrivateKey(material.simulatorPrivatePem),
    acqpPublicKey: loadPublicKey(material.acqpPublicPem),
    gatewayPublicKey: loadPublicKey(material.gatewayPublicPem),
    materialDir: material.dir,
  };
  return {
    nodeEnv,
    mode: sandbox ? 'sandbox' : 'live',
    http,
    database: database!,
    databaseMigrateOnStart: migrateOnStart,
    dataDir,
    adminApiToken: adminApiToken!,
    alipayPlus: {
      baseUrl: baseUrl!,
      clientId: clientId!,
      acquirerId: acquirerId!,
      privateKey: acqpPrivate!,
      publicKeys: alipayPrevious ? [alipayPublic!, alipayPrevious] : [alipayPublic!],
      requestTimeoutMs: timeoutMs,
    },
    gateway: { clientId: value('GATEWAY_CLIENT_ID') ?? clientId!, privateKey: gatewayPrivate! },
    tokenEncryption: {
      current: current!,
      previous: previous.filter((k): k is EncryptionKey => k !== undefined),
      lookupKey: Buffer.from(hkdfSync('sha256', lookupKey!, Buffer.alloc(0), 'acqp-gateway token lookup', 32)),
    },
    signatureSkewMs: skewSeconds * 1000,
    authFailuresBeforeLockout,
    logLevel,
    cancelToken,
    callbacks,
    sandbox: sandboxConfig,
  };
}

function parseCallbacks(p: Problems, value: (name: string) => string | undefined, sandbox: boolean): CallbacksConfig {
  const schedule = value('CALLBACK_RETRY_SCHEDULE') ?? '0s,2m,10m,10m,1h,2h,6h,15h';
  const retryScheduleMs = parseDurationList(schedule);
  if (!retryScheduleMs || retryScheduleMs.length > 50) p.add('CALLBACK_RETRY_SCHEDULE', 'must be 1 to 50 comma-separated durations such as 0s,2m,1h');
  const disableAfter = value('CALLBACK_DISABLE_AFTER') ?? '5d';
  const disableAfterMs = parseDuration(disableAfter);
  if (disableAfterMs === null || disableAfterMs < 60_000) p.add('CALLBACK_DISABLE_AFTER', 'must be a duration of at least 1m, such as 5d or 72h');
  const allow = (value('CALLBACK_ALLOW_PRIVATE_NETWORKS') ?? (sandbox ? '127.0.0.0/8,::1/128' : ''))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const badCidr = allow.find((c) => parseCidr(c) === null);
  if (badCidr !== undefined) p.add('CALLBACK_ALLOW_PRIVATE_NETWORKS', `has ${badCidr}, not a CIDR such as 127.0.0.0/8 or ::1/128`);
  return {
    retryScheduleMs: retryScheduleMs ?? [0],
    disableAfterMs: disableAfterMs ?? 0,
    timeoutMs: int(p, 'CALLBACK_TIMEOUT_MS', value('CALLBACK_TIMEOUT_MS'), 10_000, 50, 120_000),
    pollMs: int(p, 'CALLBACK_POLL_MS', value('CALLBACK_POLL_MS'), 1_000, 10, 60_000),
    concurrency: int(p, 'CALLBACK_CONCURRENCY', value('CALLBACK_CONCURRENCY'), 128, 1, 1024),
    endpointConcurrency: int(p, 'CALLBACK_ENDPOINT_CONCURRENCY', value('CALLBACK_ENDPOINT_CONCURRENCY'), 4, 1, 256),
    allowPrivateNetworks: allow,
  };
}

class Problems {
  private readonly list: string[] = [];
  /** Set when continuing would act on a bad value (e.g. write sandbox files to a bad place). */
  fatal = false;
  add(variable: string, reason: string): void {
    this.list.push(`${variable} ${reason}`);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new ConfigError(this.list);
  }
}

function parseNodeEnv(v: string | undefined, p: Problems): GatewayConfig['nodeEnv'] {
  if (v === undefined) return 'development';
  if (v === 'production' || v === 'development' || v === 'test') return v;
  p.add('NODE_ENV', 'must be production, development or test');
  return 'development';
}

function int(p: Problems, name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    p.add(name, `must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return n;
}

function bool(p: Problems, name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  p.add(name, 'must be true or false');
  return fallback;
}

function required(p: Problems, name: string, v: string | undefined, needed: boolean): string | undefined {
  if (v === undefined && needed) p.add(name, 'is required');
  return v;
}

function checkHttpUrl(p: Problems, name: string, raw: string, production: boolean): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    p.add(name, 'is not a URL');
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') p.add(name, 'must be an http(s) URL');
  else if (production && url.protocol !== 'https:') p.add(name, 'must use https in production');
}

/** SQLite's page cache: the outbox's indexes of a busy day fit, and the gateway stays well under 250 MB RSS. */
export const DEFAULT_SQLITE_CACHE_MB = 32;

function parseDatabase(p: Problems, value: (name: string) => string | undefined, dataDir: string, production: boolean): DatabaseConfig | undefined {
  const raw = value('DATABASE_URL');
  const poolSize = int(p, 'DATABASE_POOL_SIZE', value('DATABASE_POOL_SIZE'), 20, 1, 500);
  const sqlite = {
    cacheMb: int(p, 'SQLITE_CACHE_MB', value('SQLITE_CACHE_MB'), DEFAULT_SQLITE_CACHE_MB, 2, 4096),
    fsyncBeforeAck: bool(p, 'SQLITE_FSYNC_BEFORE_ACK', value('SQLITE_FSYNC_BEFORE_ACK'), true),
  };
  if (raw === undefined) {
    if (production) p.add('DATABASE_URL', 'is required in production (mysql://user:pass@host:3306/db)');
    return { kind: 'sqlite', path: resolve(dataDir, 'gateway.sqlite'), ...sqlite };
  }
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') p.add('DATABASE_URL', 'sqlite: needs a file path (sqlite:./data/gateway.sqlite)');
    return { kind: 'sqlite', path: resolve(path), ...sqlite };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    p.add('DATABASE_URL', 'is not a URL (expected mysql://user:pass@host:3306/db)');
    p.fatal = true;
    return undefined;
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    p.add('DATABASE_URL', `has unsupported scheme ${url.protocol} (expected mysql: or mariadb:)`);
  } else if (url.hostname === '' || url.pathname.length <= 1) {
    p.add('DATABASE_URL', 'needs a host and a database name (mysql://user:pass@host:3306/db)');
  }
  const socketPath = databaseSocket(p, url);
  const withoutQuery = raw.replace(/^mariadb:/, 'mysql:').replace(/\?.*$/, '');
  return { kind: 'mysql', url: withoutQuery, poolSize, ...(socketPath !== undefined && { socketPath }) };
}

/**
 * `?socketPath=/run/mysqld/mysqld.sock`: connect through the server's Unix
 * socket, for a database on the same host (host and port are then unused).
 * Any other parameter is refused rather than silently ignored.
 */
function databaseSocket(p: Problems, url: URL): string | undefined {
  for (const name of url.searchParams.keys()) {
    if (name !== 'socketPath') p.add('DATABASE_URL', `has unsupported parameter ${name} (the one supported is socketPath)`);
  }
  const socketPath = url.searchParams.get('socketPath') ?? undefined;
  if (socketPath !== undefined && !isAbsolute(socketPath)) p.add('DATABASE_URL', 'socketPath must be an absolute path (?socketPath=/run/mysqld/mysqld.sock)');
  return socketPath;
}

/** Reads `NAME` (PEM or bare base64 DER text) or `NAME_FILE` (a path), never both. */
function keyVariable(
  p: Problems,
  env: Environment,
  cwd: string,
  name: string,
  kind: 'private' | 'public',
  sandboxPem: string | undefined,
  needed = true,
): KeyObject | undefined {
  const inline = env[name]?.trim() || undefined;
  const file = env[`${name}_FILE`]?.trim() || undefined;
  if (inline && file) {
    p.add(name, `and ${name}_FILE are both set: keep one`);
    return undefined;
  }
  let text = inline;
  if (file) {
    try {
      text = readFileSync(isAbsolute(file) ? file : resolve(cwd, file), 'utf8');
    } catch (err) {
      p.add(`${name}_FILE`, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }
  text ??= sandboxPem;
  if (text === undefined) {
    if (needed) p.add(name, `is required (PEM text, or a path in ${name}_FILE)`);
    return undefined;
  }
  try {
    return kind === 'private' ? loadPrivateKey(text) : loadPublicKey(text);
  } catch (err) {
    p.add(file ? `${name}_FILE` : name, `is not a usable RSA ${kind} key: ${(err as Error).message}`);
    return undefined;
  }
}

const HEX_32 = /^[0-9a-fA-F]{64}$/;
const BASE64_32 = /^[A-Za-z0-9+/_-]{43}=?$/;

function parseEncryptionKey(p: Problems, name: string, raw: string): EncryptionKey | undefined {
  if (!HEX_32.test(raw) && !BASE64_32.test(raw)) {
    p.add(name, 'must be 32 bytes as base64 (44 characters) or hex (64 characters)');
    return undefined;
  }
  const key = HEX_32.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/** A comma-separated list of IP addresses or CIDRs (a bare address is a /32 or /128). */
function cidrList(p: Problems, name: string, raw: string): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = items.find((c) => parseCidr(c.includes('/') ? c : `${c}/${c.includes(':') ? 128 : 32}`) === null);
  if (bad !== undefined) p.add(name, `has ${bad}, not an IP address or a CIDR such as 10.0.0.0/8`);
  return items;
}
