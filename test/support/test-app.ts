import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '../../src/common/clock';
import type { Environment } from '../../src/config/environment';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { loadConfig } from '../../src/config/load-config';
import { createRootLogger } from '../../src/common/logging/logger';
import { createApp } from '../../src/create-app';
import { TEST_ACQUIRER_ID, TEST_ADMIN_TOKEN, TEST_CLIENT_ID, TEST_KEYS, TEST_TOKEN_ENCRYPTION_KEY } from './fixtures';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: GatewayConfig;
  readonly db: TestDatabase;
  /** `http://127.0.0.1:<port>` of the running gateway. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The environment of a live-mode gateway under test: the protocol vectors'
 * test keys, a real database of its own, an ephemeral port.
 */
export function testEnvironment(db: TestDatabase, overrides: Record<string, string | undefined> = {}): Environment {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    DATABASE_MIGRATE_ON_START: 'true',
    ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    ALIPAYPLUS_BASE_URL: 'http://127.0.0.1:9/unused',
    ALIPAYPLUS_CLIENT_ID: TEST_CLIENT_ID,
    ALIPAYPLUS_ACQUIRER_ID: TEST_ACQUIRER_ID,
    ALIPAYPLUS_PRIVATE_KEY: TEST_KEYS.acqpPrivate,
    ALIPAYPLUS_PUBLIC_KEY: TEST_KEYS.alipayPlusPublic,
    GATEWAY_PRIVATE_KEY: TEST_KEYS.acqpPrivate,
    TOKEN_ENCRYPTION_KEY: TEST_TOKEN_ENCRYPTION_KEY,
    ...overrides,
  };
}

/** Starts the real gateway in-process on a real port against a real database. */
export async function startTestApp(
  options: {
    env?: Record<string, string | undefined>;
    db?: TestDatabase;
    clock?: Clock;
    /** Collects the gateway's JSON log lines (at LOG_LEVEL, `info` unless the env says otherwise). */
    logLines?: string[];
  } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-data-'));
  const lines = options.logLines;
  const config = loadConfig(testEnvironment(db, { DATA_DIR: dataDir, ...(lines ? { LOG_LEVEL: 'info' } : {}), ...options.env }));
  const destination = lines ? { write: (line: string) => void lines.push(line.trimEnd()) } : undefined;
  const app = await createApp(config, { logger: createRootLogger(config.logLevel, destination), clock: options.clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    config,
    db,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      if (!options.db) await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
