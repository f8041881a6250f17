import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { readFileSync } from 'node:fs';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The only place that reads `process.env`. An optional `.env` in the working
 * directory fills in what the real environment leaves unset (the real
 * environment always wins, as twelve-factor deployments expect).
 */
export function readEnvironment(cwd = process.cwd()): Environment {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parse(readFileSync(file)) : {};
  return Object.freeze({ ...fromFile, ...process.env });
}
