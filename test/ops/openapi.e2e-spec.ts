import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, serializeOpenApi } from '../../src/openapi-document';

const COMMITTED = join(__dirname, '..', '..', 'docs', 'openapi.json');

/** docs/openapi.json is what `npm run openapi` writes today, and describes what the API does. */
describe('the committed OpenAPI document', () => {
  let fresh: any;
  let committed: any;

  beforeAll(async () => {
    fresh = JSON.parse(serializeOpenApi(await buildOpenApiDocument()));
    committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));
  });

  it('is not stale (run `npm run openapi` and commit docs/openapi.json)', () => {
    const differing = [...new Set([...Object.keys(fresh.paths), ...Object.keys(committed.paths)])].filter(
      (path) => JSON.stringify(fresh.paths[path]) !== JSON.stringify(committed.paths[path]),
    );
    expect({ differingPaths: differing }).toEqual({ differingPaths: [] });
    expect(readFileSync(COMMITTED, 'utf8')).toBe(serializeOpenApi(fresh));
  });

  it('gives every field a real type: no bare `type: object` without properties', () => {
    const untyped: string[] = [];
    const walk = (schema: any, at: string) => {
      if (!schema || typeof schema !== 'object') return;
      if (schema.type === 'object' && !schema.properties && !schema.allOf && !schema.$ref && !schema.additionalProperties) untyped.push(at);
      for (const [name, property] of Object.entries(schema.properties ?? {})) walk(property, `${at}.${name}`);
      if (schema.items) walk(schema.items, `${at}[]`);
    };
    for (const [name, schema] of Object.entries(fresh.components.schemas)) walk(schema, name);
    expect(untyped).toEqual([]);
  });

  it('documents each signed protocol route with its body, its signed answer and the signature headers', () => {
    const protocol = Object.entries(fresh.paths as Record<string, any>).filter(([path]) => /^\/(aps|ams)\//.test(path));
    expect(protocol.map(([path]) => path).sort()).toEqual(
      [
        '/aps/api/v1/authorizations/authNotify',
        '/aps/api/v1/authorizations/consultUnbinding',
        ...['revoke', 'query', 'status', 'consult', 'applyToken'].flatMap((api) => [
          `/ams/api/v1/authorizations/${api}`,
          `/ams/sandbox/api/v1/authorizations/${api}`,
        ]),
      ].sort(),
    );
    for (const [path, { post }] of protocol) {
      expect({ path, body: post.requestBody?.content?.['application/json']?.schema?.$ref !== undefined }).toEqual({ path, body: true });
      expect({ path, answer: post.responses['200']?.content?.['application/json']?.schema?.$ref !== undefined }).toEqual({ path, answer: true });
      expect({ path, headers: post.parameters.map((p: any) => p.name) }).toEqual({ path, headers: ['Client-Id', 'Request-Time', 'Signature'] });
    }
    expect(fresh.components.schemas.ProtocolResultResponse.properties.resultStatus.enum).toEqual(['S', 'F', 'U']);
    expect(fresh.components.schemas.TokenQueryResponse.properties.tokenStatusType.enum).toEqual(['ACTIVE', 'CANCELING', 'CANCELED', 'EXPIRED']);
  });

  it('says what a null rateLimitPerSecond means, as the rate limiter applies it', () => {
    expect(fresh.components.schemas.CreateMerchantDto.properties.rateLimitPerSecond).toMatchObject({ type: 'number', nullable: true });
    expect(fresh.components.schemas.CreateMerchantDto.properties.rateLimitPerSecond.description).toContain('null: the default, 50/s');
  });
});
