import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { LogController } from 'fastify';
import type { Logger } from 'pino';
import { AlipayPlusSimulator } from './alipayplus/simulator/alipayplus.simulator';
import { SANDBOX_SIMULATOR_PREFIX } from './alipayplus/simulator/sandbox-simulator.module';
import { AdminGate } from './admin/http/admin-gate';
import { AppModule } from './app.module';
import type { Clock } from './common/clock';
import { AppLogger } from './common/logging/app-logger';
import { createRootLogger } from './common/logging/logger';
import { RequestContext } from './common/request-context';
import type { GatewayConfig } from './config/gateway-config';
import { MetricsService } from './ops/metrics.service';
import { gatewayServerFactory } from './http/http-server';
import { installRawBodyParsers } from './http/raw-body';
import { originForm } from './http/request-target';

/** Alipay+ and the cancelToken client reuse connections; keep them open a little longer than they do. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface CreateAppOptions {
  /** Defaults to a pino logger on stdout at the configured level. */
  logger?: Logger;
  /** Defaults to the system clock; tests move a ManualClock. */
  clock?: Clock;
}

/** Builds the gateway: Fastify, raw bodies, request ids, metrics, OpenAPI. Does not listen. */
export async function createApp(config: GatewayConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const log = options.logger ?? createRootLogger(config.logLevel);
  const oversized: { observe?: (method: string) => void } = {};
  const adapter = new FastifyAdapter({
    loggerInstance: log,
    // Fastify's per-request lines are replaced by one onResponse line below (debug; warn on 5xx).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // req.ip is the client behind the configured proxies only; anyone can write X-Forwarded-For.
    trustProxy: config.http.trustProxy.length > 0 ? [...config.http.trustProxy] : false,
    // Absolute-form targets (the Antom Python SDK's) routed and verified by their path: see originForm.
    rewriteUrl: (req: IncomingMessage) => originForm(req.url ?? '/'),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    serverFactory: gatewayServerFactory({
      bodyLimitBytes: config.http.bodyLimitBytes,
      requestTimeoutMs: config.http.requestTimeoutMs,
      keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
      onOversized: (method) => oversized.observe?.(method),
    }),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, { clock: options.clock }), adapter, {
    bodyParser: false,
    logger: new AppLogger(log),
    abortOnError: false,
  });

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  // Refused by the server under Fastify, before routing: counted as unrouted 413s.
  oversized.observe = (method) => metrics.httpDuration.observe({ method, route: 'unmatched', status_code: '413' }, 0);
  fastify.addHook('onRequest', (req, reply, done) => {
    RequestContext.enter({ requestId: String(req.id), log: req.log as unknown as Logger });
    reply.header('x-request-id', req.id);
    done();
  });
  installRawBodyParsers(fastify);
  // Operator API authentication, before routing answers and before any body is read.
  fastify.addHook('onRequest', app.get(AdminGate).onRequest);
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    const line = { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 500) req.log.warn(line, 'request failed');
    else req.log.debug(line, 'request completed');
    done();
  });

  if (config.mode === 'sandbox') {
    const simulator = app.get(AlipayPlusSimulator);
    await fastify.register(simulator.plugin(), { prefix: SANDBOX_SIMULATOR_PREFIX });
    // The port is known only now (PORT=0 picks one): point both directions at ourselves.
    fastify.addHook('onListen', (done) => {
      const address = fastify.server.address();
      const port = typeof address === 'object' && address ? address.port : config.http.port;
      config.alipayPlus.baseUrl = `http://127.0.0.1:${port}${SANDBOX_SIMULATOR_PREFIX}`;
      simulator.setGatewayBaseUrl(`http://127.0.0.1:${port}`);
      done();
    });
  }

  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('ACQP gateway')
    .setDescription(
      'Alipay+ acquirer-side gateway. Protocol routes (Alipay+ `authNotify` and `consultUnbinding`; Antom-compatible `revoke`, ' +
        '`query` and our `status`) are signed ' +
        'SHA256withRSA over the raw body; the admin API takes `Authorization: Bearer <ADMIN_API_TOKEN>`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN' }, 'admin');
  return SwaggerModule.createDocument(app, builder.build());
}
