import fc from 'fast-check';
import type { Plan } from './plan';
import type { Route } from './routes';
import { METHODS } from './wire-grammar';

// Raw bytes on a socket: what Node's client refuses to send.
const CRLF = '\r\n';
const RAW_REQUESTS: Array<{ name: string; text: string; incomplete?: boolean }> = [
  { name: 'http/0.9', text: `GET /health/live${CRLF}`, incomplete: true },
  { name: 'http/2 preface', text: `PRI * HTTP/2.0${CRLF}${CRLF}SM${CRLF}${CRLF}` },
  { name: 'no version', text: `GET /health/live${CRLF}${CRLF}` },
  { name: 'bad version', text: `GET /health/live HTTP/9.9${CRLF}Host: x${CRLF}${CRLF}` },
  { name: 'lower-case method', text: `get /health/live HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}` },
  { name: 'unknown method', text: `BREW /health/live HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}` },
  { name: 'space in path', text: `GET /health /live HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}` },
  { name: 'control char in path', text: `GET /health/\u0001live HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}` },
  { name: 'invalid utf-8 path', text: `GET /health/\u00ff\u00c3( HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}` },
  { name: 'absolute-form', text: `GET http://evil.example/health/live HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}` },
  { name: 'header without colon', text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}Nonsense${CRLF}${CRLF}` },
  { name: 'obs-fold header', text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}X-A: a${CRLF} folded${CRLF}${CRLF}` },
  { name: 'NUL in header', text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}X-A: a\u0000b${CRLF}${CRLF}` },
  { name: 'space before colon', text: `GET /health/live HTTP/1.1${CRLF}Host : x${CRLF}${CRLF}` },
  {
    name: 'CL and TE',
    text: `POST /aps/api/v1/authorizations/authNotify HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Content-Length: 4${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}0${CRLF}${CRLF}`,
  },
  {
    name: 'two content-lengths',
    text: `POST /admin/v1/merchants HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Content-Length: 2${CRLF}Content-Length: 3${CRLF}${CRLF}{}`,
  },
  { name: 'negative content-length', text: `POST /admin/v1/merchants HTTP/1.1${CRLF}Host: x${CRLF}Content-Length: -1${CRLF}${CRLF}` },
  {
    name: 'huge content-length',
    text: `POST /aps/api/v1/authorizations/authNotify HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Content-Length: 99999999999999999999${CRLF}${CRLF}{}`,
  },
  {
    name: 'content-length over the limit',
    text: `POST /ams/api/v1/authorizations/revoke HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Content-Length: 5000000${CRLF}${CRLF}{`,
    incomplete: true,
  },
  {
    name: 'short body',
    text: `POST /ams/api/v1/authorizations/revoke HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Content-Length: 100${CRLF}${CRLF}{"accessToken":`,
    incomplete: true,
  },
  {
    name: 'bad chunk size',
    text: `POST /aps/api/v1/authorizations/authNotify HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}zz${CRLF}{}${CRLF}0${CRLF}${CRLF}`,
  },
  {
    name: 'huge chunk extension',
    text: `POST /aps/api/v1/authorizations/authNotify HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}2;${'e'.repeat(20000)}${CRLF}{}${CRLF}0${CRLF}${CRLF}`,
  },
  {
    name: 'chunked with trailer',
    text: `POST /aps/api/v1/authorizations/authNotify HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}2${CRLF}{}${CRLF}0${CRLF}Signature: x${CRLF}${CRLF}`,
  },
  { name: 'TE gzip, chunked', text: `POST /admin/v1/merchants HTTP/1.1${CRLF}Host: x${CRLF}Transfer-Encoding: gzip, chunked${CRLF}${CRLF}0${CRLF}${CRLF}` },
  { name: 'TE identity', text: `POST /admin/v1/merchants HTTP/1.1${CRLF}Host: x${CRLF}Transfer-Encoding: identity${CRLF}Content-Length: 2${CRLF}${CRLF}{}` },
  {
    name: 'expect 100-continue',
    text: `POST /aps/api/v1/authorizations/authNotify HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Expect: 100-continue${CRLF}Content-Length: 2${CRLF}${CRLF}{}`,
  },
  {
    name: 'expect unknown',
    text: `POST /aps/api/v1/authorizations/authNotify HTTP/1.1${CRLF}Host: x${CRLF}Expect: 418-teapot${CRLF}Content-Length: 2${CRLF}${CRLF}{}`,
  },
  { name: 'upgrade websocket', text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}Connection: Upgrade${CRLF}Upgrade: websocket${CRLF}${CRLF}` },
  {
    name: 'upgrade h2c',
    text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}Connection: Upgrade, HTTP2-Settings${CRLF}Upgrade: h2c${CRLF}HTTP2-Settings: AAMAAABkAAQAAP__${CRLF}${CRLF}`,
  },
  { name: 'CONNECT', text: `CONNECT 127.0.0.1:9 HTTP/1.1${CRLF}Host: 127.0.0.1:9${CRLF}${CRLF}` },
  {
    name: 'pipelined',
    text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}GET /metrics HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}GET /nope HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`,
  },
  {
    name: 'smuggled after body',
    text: `POST /admin/v1/merchants HTTP/1.1${CRLF}Host: x${CRLF}Content-Length: 2${CRLF}${CRLF}{}GET /health/ready HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`,
  },
  { name: 'bare LF', text: `GET /health/live HTTP/1.1\nHost: x\n\n` },
  { name: 'CR only', text: `GET /health/live HTTP/1.1\rHost: x\r\r` },
  { name: 'many headers', text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}${Array.from({ length: 3000 }, (_, i) => `X-${i}: y${CRLF}`).join('')}${CRLF}` },
  { name: 'long header line', text: `GET /health/live HTTP/1.1${CRLF}Host: x${CRLF}X-Long: ${'z'.repeat(70_000)}${CRLF}${CRLF}` },
  { name: 'no host', text: `GET /health/live HTTP/1.1${CRLF}${CRLF}` },
  { name: 'two hosts', text: `GET /health/live HTTP/1.1${CRLF}Host: a${CRLF}Host: b${CRLF}${CRLF}` },
  { name: 'empty request', text: `${CRLF}${CRLF}` },
  { name: 'TLS hello', text: '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003' },
];

export function raw(): fc.Arbitrary<Plan> {
  const route: Route = { method: 'RAW', template: '(raw socket)', kind: 'unknown' };
  const curated = fc.constantFrom(...RAW_REQUESTS).map((r) => ({ name: r.name, bytes: [...Buffer.from(r.text, 'latin1')], incomplete: !!r.incomplete }));
  const random = fc.uint8Array({ minLength: 1, maxLength: 400 }).map((b) => ({ name: 'random bytes', bytes: [...b, 13, 10, 13, 10], incomplete: true }));
  const requestLine = fc
    .tuple(
      fc.constantFrom(...METHODS, 'GE T', ''),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/1', 'HTTP/1.1 ', ''),
    )
    .map(([m, p, v]) => ({ name: 'random request line', bytes: [...Buffer.from(`${m} /${p} ${v}\r\nHost: x\r\n\r\n`, 'utf8')], incomplete: true }));
  return fc.oneof({ arbitrary: curated, weight: 3 }, { arbitrary: random, weight: 1 }, { arbitrary: requestLine, weight: 1 }).map((r): Plan => ({
    category: 'raw',
    route,
    method: 'RAW',
    path: '',
    exact: false,
    headers: [],
    contentType: null,
    body: { kind: 'none' },
    chunked: false,
    raw: r,
    what: r.name,
  }));
}
