import { createHash } from 'node:crypto';
import { AUDIT_SCRIPT } from './audit.script';
import { CONSOLE_CSS } from './console.style';
import { CORE_SCRIPT } from './core.script';
import { DELIVERIES_SCRIPT } from './deliveries.script';
import { HEALTH_SCRIPT } from './health.script';
import { MERCHANTS_SCRIPT } from './merchants.script';
import { TOKENS_SCRIPT } from './tokens.script';

export interface ConsoleAsset {
  readonly body: string;
  readonly contentType: string;
  /** First 12 hex of sha256(body): the `?v=` of its URL. */
  readonly version: string;
}

const JS = 'text/javascript; charset=utf-8';

/**
 * Every file the console loads, compiled into the gateway (the production
 * image ships dist/ only): nothing comes from another origin.
 */
const SOURCES: Record<string, [string, string]> = {
  'console.css': [CONSOLE_CSS, 'text/css; charset=utf-8'],
  'core.js': [CORE_SCRIPT, JS],
  'merchants.js': [MERCHANTS_SCRIPT, JS],
  'tokens.js': [TOKENS_SCRIPT, JS],
  'deliveries.js': [DELIVERIES_SCRIPT, JS],
  'health.js': [HEALTH_SCRIPT, JS],
  'audit.js': [AUDIT_SCRIPT, JS],
};

export const CONSOLE_ASSETS: ReadonlyMap<string, ConsoleAsset> = new Map(
  Object.entries(SOURCES).map(([name, [body, contentType]]) => [
    name,
    { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) },
  ]),
);

/** The URL pages link an asset by: versioned, so a new build is never served from an old cache. */
export function assetUrl(name: string): string {
  const asset = CONSOLE_ASSETS.get(name);
  if (!asset) throw new Error(`no console asset ${name}`);
  return `/console/assets/${name}?v=${asset.version}`;
}
