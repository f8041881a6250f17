import pino, { type Logger } from 'pino';
import { fingerprint } from '../crypto/fingerprint';

/**
 * Fields that hold secrets wherever they appear in a log object (one and two
 * levels deep, and in request/response headers). Their values are replaced by
 * a short fingerprint, enough to correlate lines, never enough to use.
 */
const SECRET_FIELDS = [
  'accessToken',
  'refreshToken',
  'authCode',
  'token',
  'signature',
  'privateKey',
  'secret',
  'password',
  'adminApiToken',
  'authorization',
  'cookie',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
  'req.headers.signature',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'res.headers.signature',
  'res.headers["set-cookie"]',
];

export function createRootLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'acqp-gateway' },
      messageKey: 'msg',
      errorKey: 'err',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
      redact: {
        paths: REDACT_PATHS,
        censor: (value) => (typeof value === 'string' ? `[redacted ${fingerprint(value)}]` : '[redacted]'),
      },
    },
    destination,
  );
}

/**
 * Errors with their stack, minus what a database error carries of our data:
 * TypeORM's `query`/`parameters` and the driver's `sql` hold encrypted tokens,
 * hashes and customer ids.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>) };
  for (const key of ['query', 'parameters', 'sql']) delete out[key];
  if (out.driverError && typeof out.driverError === 'object') {
    const { sql: _sql, ...driver } = out.driverError as Record<string, unknown>;
    out.driverError = driver;
  }
  return out;
}
