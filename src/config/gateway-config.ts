import type { KeyObject } from 'node:crypto';

/** Everything the gateway is configured with, parsed and checked once at boot. */
export interface GatewayConfig {
  readonly nodeEnv: 'production' | 'development' | 'test';
  /** `sandbox`: generated dev keys and the built-in Alipay+ simulator as upstream. */
  readonly mode: 'live' | 'sandbox';
  readonly http: HttpConfig;
  readonly database: DatabaseConfig;
  /** Run pending migrations at boot on MySQL too (always on for SQLite). Default false. */
  readonly databaseMigrateOnStart: boolean;
  /** Folder for the embedded database and sandbox material. Default `./data`. */
  readonly dataDir: string;
  readonly adminApiToken: string;
  readonly alipayPlus: AlipayPlusConfig;
  readonly gateway: GatewaySigningConfig;
  readonly tokenEncryption: TokenEncryptionConfig;
  /** Accepted clock skew of signed request times, both ways. Default 300 s. */
  readonly signatureSkewMs: number;
  /** Failed operator log-ins from one address before it is locked out for 1 s, 2 s, 4 s ... Default 5. */
  readonly authFailuresBeforeLockout: number;
  readonly logLevel: string;
  readonly cancelToken: CancelTokenConfig;
  readonly callbacks: CallbacksConfig;
  /** Present in sandbox mode only: the keys the built-in simulator signs and verifies with. */
  readonly sandbox?: SandboxConfig;
}

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  /** Largest request body accepted; larger bodies get 413. Default 128 KiB. */
  readonly bodyLimitBytes: number;
  /**
   * A request must have arrived whole this long after it started (its
   * headers within a third of it), or it gets 408 and its connection is
   * closed: a slow sender holds a connection this long at most. Default 30 s.
   */
  readonly requestTimeoutMs: number;
  /** How long SIGTERM waits for in-flight work before closing anyway. Default 10 s. */
  readonly shutdownTimeoutMs: number;
  /**
   * Addresses or CIDRs of the proxies in front (load balancers) whose
   * X-Forwarded-For names the client: what log-in throttles, audit rows and
   * logs see as the client address. Default none: the socket's peer.
   */
  readonly trustProxy: readonly string[];
}

export type DatabaseConfig =
  /**
   * `cacheMb`: SQLite's page cache, per connection (SQLite's own default is 2 MB).
   * `fsyncBeforeAck`: a unit of work resolves only once the WAL holding its commit is on disk (UnitOfWork).
   */
  | { readonly kind: 'sqlite'; readonly path: string; readonly cacheMb: number; readonly fsyncBeforeAck: boolean }
  | { readonly kind: 'mysql'; readonly url: string; readonly poolSize: number; readonly socketPath?: string };

export interface AlipayPlusConfig {
  /** Mutable in sandbox mode only: the simulator's URL is known once the port is bound. */
  baseUrl: string;
  readonly clientId: string;
  readonly acquirerId: string;
  /** The ACQP's private key: signs cancelToken requests and authNotify answers. */
  readonly privateKey: KeyObject;
  /** Alipay+'s public keys, current first, then the previous one during a rotation. */
  readonly publicKeys: readonly KeyObject[];
  /** Alipay+ waits 5 s for answers and expects the same of us. Default 5000 ms. */
  readonly requestTimeoutMs: number;
}

export interface CancelTokenConfig {
  /** How often each instance looks for due cancelToken retries. Default 1000 ms. */
  readonly pollMs: number;
  /** cancelToken calls in flight per instance at most. Default 8. */
  readonly concurrency: number;
  /** First retry delay after a U; doubles up to 5 min, ±20% jitter. Default 1000 ms. */
  readonly retryBaseMs: number;
  /** How long a merchant's revoke call waits for Alipay+ before answering U. Default 3000 ms. */
  readonly revokeBudgetMs: number;
}

/** The merchant callback dispatcher (outbox deliveries). */
export interface CallbacksConfig {
  /**
   * CALLBACK_RETRY_SCHEDULE: the delay before each attempt, the first included (its length is the
   * number of attempts), each ±20% jitter. Default `0s,2m,10m,10m,1h,2h,6h,15h` (Antom's notify schedule, ~24 h).
   */
  readonly retryScheduleMs: readonly number[];
  /** CALLBACK_DISABLE_AFTER: an endpoint whose every attempt has failed for this long is disabled. Default `5d`. */
  readonly disableAfterMs: number;
  /** CALLBACK_TIMEOUT_MS: one attempt's whole budget (DNS, connect, request, answer). Default 10000 ms. */
  readonly timeoutMs: number;
  /** CALLBACK_POLL_MS: how often each instance looks for due deliveries besides being woken by commits. Default 1000 ms. */
  readonly pollMs: number;
  /** CALLBACK_CONCURRENCY: callback requests in flight per instance at most. Default 128. */
  readonly concurrency: number;
  /** CALLBACK_ENDPOINT_CONCURRENCY: requests in flight to one endpoint per instance at most. Default 4. */
  readonly endpointConcurrency: number;
  /**
   * CALLBACK_ALLOW_PRIVATE_NETWORKS: CIDRs callbacks may reach despite the SSRF guard (e.g. `127.0.0.0/8,::1/128`).
   * Default none; in sandbox mode `127.0.0.0/8,::1/128`, so local demo receivers work.
   */
  readonly allowPrivateNetworks: readonly string[];
}

export interface GatewaySigningConfig {
  /** The `client-id` the gateway signs merchant-facing answers and callbacks with. */
  readonly clientId: string;
  readonly privateKey: KeyObject;
}

export interface TokenEncryptionConfig {
  readonly current: EncryptionKey;
  /** Older keys still accepted for decryption while records are re-encrypted. */
  readonly previous: readonly EncryptionKey[];
  /** HMAC key for the look-up hash columns; must stay the same across encryption-key rotations. */
  readonly lookupKey: Buffer;
}

export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface SandboxConfig {
  readonly simulatorPrivateKey: KeyObject;
  readonly acqpPublicKey: KeyObject;
  readonly gatewayPublicKey: KeyObject;
  readonly materialDir: string;
}
