import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildOpenApiDocument, serializeOpenApi } from './openapi-document';

/**
 * `npm run openapi [-- out.json]`: writes the OpenAPI document (default
 * `docs/openapi.json`) from a throw-away sandbox instance; no server or
 * configuration needed. test/ops/openapi.e2e-spec.ts fails when the
 * committed copy differs from what this writes.
 */
async function main(out = 'docs/openapi.json'): Promise<void> {
  const target = resolve(out);
  const document = await buildOpenApiDocument();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, serializeOpenApi(document));
  console.log(`wrote ${target}`);
}

main(process.argv[2]).catch((err: Error) => {
  console.error(`openapi: ${err.message}`);
  process.exit(1);
});
