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
      redact: {
        paths: REDACT_PATHS,
        censor: (value) => (typeof value === 'string' ? `[redacted ${fingerprint(value)}]` : '[redacted]'),
      },
    },
    destination,
  );
}
