import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildRequest, usage, UsageError, type ApiRequest } from '../admin/cli/admin-commands';
import { readEnvironment } from '../config/environment';

/**
 * `npm run admin -- <command> [--flags]`: the operator CLI. It calls a running
 * gateway's admin API over HTTP (the same API the console uses), prints the
 * JSON answer, and exits non-zero with the API's error message on a refusal.
 * Exit codes: 0 done, 1 refused or unreachable, 2 bad command line.
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${usage()}\n`);
    return command === undefined ? 2 : 0;
  }
  const env = readEnvironment();
  const { url, tokenFile, field, flags } = splitOptions(parseFlags(rest));
  const baseUrl = (url ?? `http://127.0.0.1:${env.PORT ?? '8080'}`).replace(/\/+$/, '');
  const request = buildRequest(command, flags, (path) => readFileSync(resolve(path), 'utf8'));
  const token = adminToken(tokenFile, env);
  return send(baseUrl, token, request, field);
}

async function send(baseUrl: string, token: string, request: ApiRequest, field: string | undefined): Promise<number> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: { Authorization: `Bearer ${token}`, ...(request.body ? { 'Content-Type': 'application/json' } : {}) },
      body: request.body ? JSON.stringify(request.body) : undefined,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    process.stderr.write(`admin: cannot reach ${baseUrl}: ${cause}\n`);
    return 1;
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    process.stderr.write(`admin: ${res.status} ${error?.code ?? 'ERROR'}: ${error?.message ?? text.slice(0, 200)}\n`);
    return 1;
  }
  if (field === undefined) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const value = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[field] : undefined;
  if (value === undefined) {
    process.stderr.write(`admin: the answer has no field ${field}\n`);
    return 1;
  }
  // A string as it is (a PEM keeps its line breaks), anything else as JSON.
  process.stdout.write(typeof value === 'string' ? (value.endsWith('\n') ? value : `${value}\n`) : `${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

/** --token-file, else ADMIN_API_TOKEN, else the sandbox's generated token. The token is never printed. */
function adminToken(tokenFile: string | undefined, env: ReturnType<typeof readEnvironment>): string {
  if (tokenFile !== undefined) return readFileSync(resolve(tokenFile), 'utf8').trim();
  if (env.ADMIN_API_TOKEN?.trim()) return env.ADMIN_API_TOKEN.trim();
  const sandbox = resolve(env.DATA_DIR ?? 'data', 'sandbox', 'admin-api-token');
  if (existsSync(sandbox)) return readFileSync(sandbox, 'utf8').trim();
  throw new UsageError('no admin token: set ADMIN_API_TOKEN or pass --token-file');
}

/** `--name value` and `--name=value`; a flag given twice is a mistake, not a silent override. */
function parseFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${arg}: flags look like --name value`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (name in flags) throw new UsageError(`--${name} is given twice`);
    flags[name] = value;
  }
  return flags;
}

function splitOptions(all: Record<string, string>) {
  const { url, 'token-file': tokenFile, field, ...flags } = all;
  return { url, tokenFile, field, flags };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`admin: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write('run `npm run admin -- help` for the commands\n');
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
