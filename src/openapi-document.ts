import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createRootLogger } from './common/logging/logger';
import { loadConfig } from './config/load-config';
import { createApp, openApiDocument } from './create-app';

/**
 * The OpenAPI document, from a throw-away sandbox instance (no server, no
 * configuration): what `npm run openapi` writes to docs/openapi.json and a
 * test compares it with, so the committed copy cannot go stale.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-openapi-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const app = await createApp(config, { logger: createRootLogger('silent') });
    await app.init();
    try {
      return openApiDocument(app);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The committed form: two-space JSON and a final newline. */
export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
