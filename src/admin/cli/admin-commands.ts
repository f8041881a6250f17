/**
 * The admin CLI's commands: each is one admin API call, so the CLI and the
 * console can never disagree about what an operation does. Pure: the CLI
 * entry point (src/cli/admin.cli.ts) does the I/O.
 */
type FlagKind = 'string' | 'number' | 'list' | 'file' | 'nullable-string' | 'nullable-number';

interface Flag {
  readonly kind: FlagKind;
  readonly to: 'path' | 'query' | 'body';
  readonly required?: boolean;
  /** The API field, when it is not the camelCase of the flag (`--public-key-file` sends `publicKey`). */
  readonly field?: string;
}

interface Command {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, Flag>>;
}

const id: Flag = { kind: 'string', to: 'path', required: true };
const merchantId: Flag = { kind: 'string', to: 'path', required: true };
const page = { limit: { kind: 'number', to: 'query' }, cursor: { kind: 'string', to: 'query' } } as const;
const body = (kind: FlagKind, required = false, field?: string): Flag => ({ kind, to: 'body', required, field });
const M = '/admin/v1/merchants';

export const COMMANDS: Readonly<Record<string, Command>> = {
  'merchants:create': {
    method: 'POST',
    path: M,
    summary: 'create a merchant',
    flags: {
      'reference-merchant-id': body('string', true),
      name: body('string', true),
      'client-id': body('string', true),
      'public-key-file': body('file', false, 'publicKey'),
      'consult-policy': body('string'),
      'consult-url': body('string'),
      'rate-limit-per-second': body('number'),
    },
  },
  'merchants:list': { method: 'GET', path: M, summary: 'list merchants, newest first', flags: page },
  'merchants:get': { method: 'GET', path: `${M}/:id`, summary: 'show a merchant', flags: { id } },
  'merchants:update': {
    method: 'PATCH',
    path: `${M}/:id`,
    summary: 'change a merchant (`null` clears consult-url and rate-limit-per-second)',
    flags: {
      id,
      name: body('string'),
      status: body('string'),
      'consult-policy': body('string'),
      'consult-url': body('nullable-string'),
      'rate-limit-per-second': body('nullable-number'),
    },
  },
  'merchants:disable': { method: 'POST', path: `${M}/:id/disable`, summary: 'disable a merchant', flags: { id } },
  'merchants:rotate-key': {
    method: 'POST',
    path: `${M}/:id/keys`,
    summary: 'start a key rotation (the current key stays accepted)',
    flags: { id, 'public-key-file': body('file', true, 'publicKey') },
  },
  'merchants:end-rotation': { method: 'DELETE', path: `${M}/:id/keys/previous`, summary: 'stop accepting the previous key', flags: { id } },
  'sub-merchants:create': {
    method: 'POST',
    path: `${M}/:merchant-id/sub-merchants`,
    summary: 'create a sub-merchant',
    flags: { 'merchant-id': merchantId, 'merchant-account-id': body('string', true), name: body('string', true) },
  },
  'sub-merchants:list': {
    method: 'GET',
    path: `${M}/:merchant-id/sub-merchants`,
    summary: "list a merchant's sub-merchants",
    flags: { 'merchant-id': merchantId, ...page },
  },
  'sub-merchants:update': {
    method: 'PATCH',
    path: `${M}/:merchant-id/sub-merchants/:id`,
    summary: 'change a sub-merchant',
    flags: { 'merchant-id': merchantId, id, name: body('string'), status: body('string') },
  },
  'sub-merchants:disable': {
    method: 'POST',
    path: `${M}/:merchant-id/sub-merchants/:id/disable`,
    summary: 'disable a sub-merchant',
    flags: { 'merchant-id': merchantId, id },
  },
  'endpoints:create': {
    method: 'POST',
    path: `${M}/:merchant-id/endpoints`,
    summary: 'add a callback endpoint (prints a STANDARD_WEBHOOKS secret once)',
    flags: {
      'merchant-id': merchantId,
      'sub-merchant-id': body('string'),
      // `--url` is the gateway's address, so the endpoint's own URL takes a longer name.
      'endpoint-url': body('string', true, 'url'),
      'event-types': body('list'),
      'signing-scheme': body('string'),
    },
  },
  'endpoints:list': {
    method: 'GET',
    path: `${M}/:merchant-id/endpoints`,
    summary: "list a merchant's callback endpoints",
    flags: { 'merchant-id': merchantId, 'sub-merchant-id': { kind: 'string', to: 'query' }, ...page },
  },
  'endpoints:update': {
    method: 'PATCH',
    path: `${M}/:merchant-id/endpoints/:id`,
    summary: 'change a callback endpoint',
    flags: { 'merchant-id': merchantId, id, 'endpoint-url': body('string', false, 'url'), 'event-types': body('list'), status: body('string') },
  },
  'endpoints:disable': {
    method: 'POST',
    path: `${M}/:merchant-id/endpoints/:id/disable`,
    summary: 'disable an endpoint',
    flags: { 'merchant-id': merchantId, id },
  },
  'endpoints:enable': {
    method: 'POST',
    path: `${M}/:merchant-id/endpoints/:id/enable`,
    summary: 'enable an endpoint',
    flags: { 'merchant-id': merchantId, id },
  },
  'endpoints:rotate-secret': {
    method: 'POST',
    path: `${M}/:merchant-id/endpoints/:id/secret`,
    summary: 'rotate a STANDARD_WEBHOOKS secret (prints the new one once)',
    flags: { 'merchant-id': merchantId, id },
  },
  'tokens:lookup': {
    method: 'POST',
    path: '/admin/v1/tokens/lookup',
    summary: 'look a token up by value (sent in the body, not the URL): masked token and timeline',
    flags: { 'access-token': body('string', true) },
  },
  'tokens:list': {
    method: 'GET',
    path: '/admin/v1/tokens',
    summary: "a customer's tokens, masked",
    flags: { 'customer-id': { kind: 'string', to: 'query', required: true }, 'merchant-id': { kind: 'string', to: 'query' }, ...page },
  },
  'deliveries:list': {
    method: 'GET',
    path: '/admin/v1/deliveries',
    summary: 'callback deliveries, newest first',
    flags: Object.fromEntries(
      ['status', 'endpoint-id', 'merchant-id', 'since', 'until', 'limit', 'cursor'].map((f) => [f, { kind: f === 'limit' ? 'number' : 'string', to: 'query' }]),
    ),
  },
  'deliveries:redeliver': { method: 'POST', path: '/admin/v1/deliveries/:id/redeliver', summary: 'send one delivery again now', flags: { id } },
  'endpoints:recover': {
    method: 'POST',
    path: '/admin/v1/endpoints/:id/recover',
    summary: 'send again every failed delivery of an endpoint since a time (ISO 8601)',
    flags: { id, since: body('string', true) },
  },
  'operators:create': {
    method: 'POST',
    path: '/admin/v1/operators',
    summary: 'create a named operator token (prints the token once: store it now)',
    flags: { name: body('string', true), role: body('string', true) },
  },
  'operators:list': { method: 'GET', path: '/admin/v1/operators', summary: 'operators, newest first (never their tokens)', flags: page },
  'operators:revoke': { method: 'POST', path: '/admin/v1/operators/:id/revoke', summary: "revoke an operator's token at once", flags: { id } },
  'operators:me': { method: 'GET', path: '/admin/v1/operators/me', summary: 'who the token in use is', flags: {} },
  'audit:list': {
    method: 'GET',
    path: '/admin/v1/audit',
    summary: 'the audit trail of operator writes, newest first',
    flags: Object.fromEntries(['actor', 'since', 'until', 'limit', 'cursor'].map((f) => [f, { kind: f === 'limit' ? 'number' : 'string', to: 'query' }])),
  },
  'gateway:public-key': {
    method: 'GET',
    path: '/admin/v1/gateway/public-key',
    summary: "the gateway's public key for merchants' SDKs (--field pem or --field base64 prints it alone)",
    flags: {},
  },
  'endpoints:health': { method: 'GET', path: '/admin/v1/endpoints/:id/health', summary: "an endpoint's success rate, last error and state", flags: { id } },
};

export interface ApiRequest {
  readonly method: string;
  /** Path and query string. */
  readonly path: string;
  readonly body?: Record<string, unknown>;
}

/** A mistake in the command line (exit 2), as opposed to an API refusal (exit 1). */
export class UsageError extends Error {}

/** Turns `command --flag value ...` into one admin API request. */
export function buildRequest(name: string, flags: Record<string, string>, readFile: (path: string) => string): ApiRequest {
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command ${name}`);
  for (const flag of Object.keys(flags)) {
    if (!command.flags[flag]) throw new UsageError(`${name} takes no --${flag} (it takes ${describeFlags(command)})`);
  }
  let path = command.path;
  const query = new URLSearchParams();
  const payload: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(command.flags)) {
    const raw = flags[flag];
    if (raw === undefined) {
      if (spec.required) throw new UsageError(`${name} needs --${flag}`);
      continue;
    }
    if (spec.to === 'path') path = path.replace(`:${flag}`, encodeURIComponent(raw));
    else if (spec.to === 'query') query.set(camel(flag), raw);
    else payload[spec.field ?? camel(flag)] = convert(flag, spec.kind, raw, readFile);
  }
  const qs = query.toString();
  const withBody = command.method === 'POST' || command.method === 'PATCH';
  return { method: command.method, path: qs ? `${path}?${qs}` : path, body: withBody ? payload : undefined };
}

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(24)} ${c.summary}\n  ${''.padEnd(24)} ${describeFlags(c)}`);
  return [
    'usage: npm run admin -- <command> [--flag value ...] [--url http://127.0.0.1:8080] [--token-file path] [--field name]',
    'The admin token comes from --token-file, else ADMIN_API_TOKEN, else data/sandbox/admin-api-token.',
    '--field prints one field of the answer alone, a string as it is (e.g. gateway:public-key --field pem).',
    '',
    ...lines,
  ].join('\n');
}

function describeFlags(c: Command): string {
  const flags = Object.entries(c.flags).map(([f, s]) => (s.required ? `--${f}` : `[--${f}]`));
  return flags.length ? flags.join(' ') : 'no flags';
}

function convert(flag: string, kind: FlagKind, raw: string, readFile: (path: string) => string): unknown {
  if ((kind === 'nullable-string' || kind === 'nullable-number') && raw === 'null') return null;
  if (kind === 'file') return readFile(raw);
  if (kind === 'list')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (kind === 'number' || kind === 'nullable-number') {
    // Sent as a number, so the API's own validation judges the value.
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${flag} must be a number`);
    return n;
  }
  return raw;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
