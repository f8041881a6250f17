import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ConsoleAsset {
  readonly body: string;
  readonly contentType: string;
  /** First 12 hex of sha256(body): the `?v=` of its URL. */
  readonly version: string;
}

const JS = 'text/javascript; charset=utf-8';

/**
 * Every file the console loads: real .js and .css files beside this module
 * (type-checked and linted by `npm run lint`, copied into dist/ by the build),
 * read once at start-up. Nothing comes from another origin.
 */
const SOURCES: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'core.js': JS,
  'merchants.js': JS,
  'tokens.js': JS,
  'deliveries.js': JS,
  'health.js': JS,
  'audit.js': JS,
};

export const CONSOLE_ASSETS: ReadonlyMap<string, ConsoleAsset> = new Map(
  Object.entries(SOURCES).map(([name, contentType]) => {
    const body = readFileSync(join(__dirname, name), 'utf8');
    return [name, { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) }];
  }),
);

/** The URL pages link an asset by: versioned, so a new build is never served from an old cache. */
export function assetUrl(name: string): string {
  const asset = CONSOLE_ASSETS.get(name);
  if (!asset) throw new Error(`no console asset ${name}`);
  return `/console/assets/${name}?v=${asset.version}`;
}
