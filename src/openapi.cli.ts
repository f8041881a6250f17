import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRootLogger } from './common/logging/logger';
import { loadConfig } from './config/load-config';
import { createApp, openApiDocument } from './http/create-app';

/**
 * `npm run openapi [-- out.json]`: writes the OpenAPI document (default
 * `docs/openapi.json`) from a throw-away sandbox instance; no server or
 * configuration needed.
 */
async function main(out = 'docs/openapi.json'): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'acqp-openapi-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const app = await createApp(config, { logger: createRootLogger('silent') });
    await app.init();
    const target = resolve(out);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
    console.log(`wrote ${target}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2]).catch((err: Error) => {
  console.error(`openapi: ${err.message}`);
  process.exit(1);
});
