import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRootLogger } from './common/logging/logger';
import { ConfigError } from './config/config.error';
import { readEnvironment } from './config/environment';
import type { GatewayConfig } from './config/gateway-config';
import { loadConfig } from './config/load-config';
import { createApp } from './create-app';
import { HealthService } from './ops/health.service';

/**
 * Boot: parse config (fail fast, one line naming each bad variable), build the
 * app (connect and migrate), listen. SIGTERM drains: readiness goes 503, the
 * server stops accepting, in-flight work finishes, the pool closes.
 */
async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig(readEnvironment());
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : `invalid configuration: ${(err as Error).message}`);
  }
  const log = createRootLogger(config.logLevel);
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, { logger: log });
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (err) {
    fail(`cannot start: ${describeStartupError(err, config)}`);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  if (config.mode === 'sandbox') {
    log.warn(
      { sandboxDir: config.sandbox?.materialDir, alipayPlusBaseUrl: config.alipayPlus.baseUrl },
      'SANDBOX MODE: generated development keys and the built-in Alipay+ simulator are in use. ' +
        'Never use this mode with real merchants; set the ALIPAYPLUS_* variables for live mode.',
    );
  }
  log.info({ port, mode: config.mode, database: config.database.kind }, 'gateway listening');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight work');
    app.get(HealthService).startDraining();
    const force = setTimeout(() => {
      log.error({ timeoutMs: config.http.shutdownTimeoutMs }, 'shutdown timed out; exiting anyway');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    force.unref();
    app.close().then(
      () => {
        log.info('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function describeStartupError(err: unknown, config: GatewayConfig): string {
  const e = err as { code?: string; message?: string; errno?: number };
  const dbCodes = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'SQLITE_CANTOPEN'];
  if (config.database.kind === 'mysql' && config.database.socketPath !== undefined && (e?.code === 'ENOENT' || e?.code === 'EACCES')) {
    return `DATABASE_URL cannot be used: ${e.code} on its socketPath ${config.database.socketPath}`;
  }
  if (e?.code && dbCodes.includes(e.code)) {
    return config.database.kind === 'mysql'
      ? `DATABASE_URL cannot be used: ${e.code} (${e.message?.split('\n')[0]})`
      : `the SQLite file ${config.database.path} cannot be opened: ${e.code}`;
  }
  if (e?.code === 'EADDRINUSE') return `PORT ${config.http.port} is already in use`;
  return e?.message?.split('\n')[0] ?? String(err);
}

function fail(line: string): never {
  process.stderr.write(`acqp-gateway: ${line}\n`);
  process.exit(1);
}

void main();
