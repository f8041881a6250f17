import fc from 'fast-check';
import type { FuzzContext, TimeSpec } from './plan';

// The parts of a request line and its headers, well-formed or not: methods, paths, ids,
// queries, times, signatures, content types.

/** Makes any string sendable by Node's client: its UTF-8 bytes as latin1, control characters escaped. */
export function latin1(s: string, forPath = false): string {
  if ((forPath ? /^[\x21-\x7e]*$/ : /^[\t\x20-\x7e]*$/).test(s)) return s;
  const out: string[] = [];
  for (const byte of Buffer.from(s, 'utf8')) {
    const bad = forPath ? byte < 0x21 || byte === 0x7f : (byte < 0x20 && byte !== 0x09) || byte === 0x7f;
    out.push(bad ? (forPath ? `%${byte.toString(16).padStart(2, '0')}` : '?') : String.fromCharCode(byte));
  }
  return out.join('');
}

export const rawBytes = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: min, maxLength: max }).map((b) => String.fromCharCode(...b));

export const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'MKCOL',
  'SEARCH',
  'QUERY',
  'FOO',
  'LINK',
  'post',
  'Get',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=UTF-8',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json;charset=UTF-8;foo=bar',
  'application/json, text/plain',
  'application/jsonp',
  'application/json-patch+json',
  'application/vnd.api+json',
  'text/json',
  'text/plain',
  'text/plain; charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/xml',
  '*/*',
  'application/*',
  '',
  ' ',
  ';',
  'json',
  '\u00ff\u00fe',
  'application/json; charset="\u00e9"',
];

export const contentType = fc.oneof(
  { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 8 },
  { arbitrary: fc.string({ maxLength: 40 }).map((s) => latin1(s)), weight: 1 },
  { arbitrary: fc.constant(null), weight: 2 },
);

/** Content types the JSON parser takes. */
export const jsonContentType = fc.constantFrom('application/json', 'application/json; charset=UTF-8', 'application/json; charset=utf-8', 'Application/JSON');

const base64ish = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
  fc.constant(null).map(() => Buffer.alloc(256, 0xab).toString('base64')),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.constantFrom('', '=', '==', 'AAAA', 'A', '%', '%2', '%2B%2F%3D', '%2b%2f%3d', '%zz', '%25', '+/=', 'AA==AA==', 'AAAA====', '%E2%82%AC', '%C0%AF', '%FF'),
  fc.integer({ min: 3000, max: 9000 }).map((n) => 'A'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const signatureParam = fc.oneof(
  fc.constantFrom('RSA256', 'rsa256', 'RSA', '', 'SHA256withRSA', 'RSA256 ', ' RSA256', 'RSA2048', 'HS256', 'none').map((v) => `algorithm=${v}`),
  fc.oneof(fc.constantFrom('1', '0', '', '-1', '1.0', 'x'.repeat(40)), fc.string({ maxLength: 8 })).map((v) => `keyVersion=${v}`),
  base64ish.chain((s) => fc.constantFrom(s, encodeURIComponentSafe(s), s.replace(/\+/g, '%2b'))).map((v) => `signature=${v}`),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('signature', 'algorithm', '=', ',,', 'signature==', 'Signature=AAAA', 'algorithm=RSA256,algorithm=RSA2048', 'signature=,'),
);

/** Signature headers from the header's own grammar, mangled: wrong algorithms, versions, encodings, sizes. */
export const garbageSignature: fc.Arbitrary<string> = fc
  .oneof(
    {
      arbitrary: fc.tuple(fc.array(signatureParam, { maxLength: 6 }), fc.constantFrom(',', ', ', ';', ' ', ',\t', '')).map(([ps, sep]) => ps.join(sep)),
      weight: 6,
    },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.integer({ min: 4000, max: 20000 }).map((n) => `algorithm=RSA256,keyVersion=1,signature=${'A'.repeat(n)}`), weight: 1 },
    { arbitrary: fc.constant(`algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(Buffer.alloc(256, 7).toString('base64'))}`), weight: 1 },
  )
  .map((s) => latin1(s));

export function encodeURIComponentSafe(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

const ODD_TIMES = [
  '',
  ' ',
  'now',
  '0',
  '-1',
  '9999999999999',
  '0000000000000',
  '00000000000000',
  '1'.repeat(14),
  '2026-11-22 10:15:30',
  '2026-11-22T10:15:30',
  '2026-02-30T00:00:00Z',
  '2026-11-22T10:15:60Z',
  '2026-11-22T24:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '2026-11-22T10:15:30.1234567890Z',
  '2026-11-22T10:15:30+24:00',
  '2026-11-22T10:15:30+08',
  'T'.repeat(40),
  '\u0661\u0662\u0663',
  'Infinity',
  'NaN',
  '1e12',
];

/** A Request-Time that cannot verify: unparseable, or far outside the skew window. */
export const badTime: fc.Arbitrary<TimeSpec> = fc.oneof(
  fc.constantFrom(...ODD_TIMES).map((text): TimeSpec => ({ kind: 'fixed', text: latin1(text) })),
  fc.string({ maxLength: 42 }).map((text): TimeSpec => ({ kind: 'fixed', text: latin1(text) })),
  fc
    .tuple(
      fc.constantFrom('iso', 'epoch', 'lower', 'offset', 'fraction9') as fc.Arbitrary<'iso'>,
      fc.integer({ min: 301_000, max: 400 * 86_400_000 }),
      fc.boolean(),
    )
    .map(([kind, shift, past]): TimeSpec => ({ kind, shiftMs: past ? -shift : shift })),
);

/** A Request-Time that verifies: every accepted form, within the skew window. */
export const goodTime: fc.Arbitrary<TimeSpec> = fc
  .tuple(
    fc.constantFrom('iso', 'iso', 'epoch', 'lower', 'offset', 'compact-offset', 'fraction9') as fc.Arbitrary<'iso'>,
    fc.integer({ min: -60_000, max: 60_000 }),
  )
  .map(([kind, shiftMs]) => ({ kind, shiftMs }));

/** Any Request-Time at all, for unsigned junk. */
export const anyTime = fc.oneof(goodTime, badTime, fc.constantFrom<TimeSpec>({ kind: 'rfc1123', shiftMs: 0 }, { kind: 'space', shiftMs: 0 }));

export function timeText(spec: TimeSpec, nowMs: number): string {
  if (spec.kind === 'fixed') return spec.text;
  const ms = nowMs + spec.shiftMs;
  const iso = new Date(ms).toISOString();
  switch (spec.kind) {
    case 'iso':
      return iso;
    case 'epoch':
      return String(ms);
    case 'lower':
      return iso.replace('T', 't').replace('Z', 'z');
    case 'offset':
    case 'compact-offset': {
      const local = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 23);
      return `${local}${spec.kind === 'offset' ? '+08:00' : '+0800'}`;
    }
    case 'fraction9':
      return `${iso.slice(0, 23)}456789Z`;
    case 'rfc1123':
      return new Date(ms).toUTCString();
    case 'space':
      return iso.replace('T', ' ');
  }
}

const HEADER_NAMES = [
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-real-ip',
  'origin',
  'referer',
  'cookie',
  'authorization',
  'client-id',
  'request-time',
  'signature',
  'response-time',
  'x-http-method-override',
  'range',
  'if-none-match',
  'content-encoding',
  'content-language',
  'forwarded',
  'host',
];

export const headerValue = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }).map((s) => latin1(s)), weight: 6 },
  { arbitrary: rawBytes(1, 12), weight: 2 },
  { arbitrary: fc.integer({ min: 1000, max: 9000 }).map((n) => 'v'.repeat(n)), weight: 1 },
  { arbitrary: fc.constantFrom('', ' ', 'gzip', 'br, deflate', 'bytes=0-1', '*', 'null', '../../etc/passwd', '${jndi:ldap://x}', "' OR 1=1 --"), weight: 2 },
);

const headerName = fc.oneof(
  { arbitrary: fc.constantFrom(...HEADER_NAMES), weight: 4 },
  { arbitrary: fc.stringMatching(/^[a-zA-Z0-9!#$%&'*+.^_`|~-]{1,24}$/), weight: 1 },
);

/** Extra headers, some repeated; Node's client takes only one Host (the raw category sends two). */
export const extraHeaders = fc
  .array(
    fc.tuple(headerName, fc.oneof({ arbitrary: headerValue, weight: 5 }, { arbitrary: fc.array(headerValue, { minLength: 2, maxLength: 3 }), weight: 1 })),
    {
      maxLength: 4,
    },
  )
  .map((hs) => hs.map(([name, value]): [string, string | string[]] => [name, name === 'host' && Array.isArray(value) ? value[0] : value]))
  .map((hs) => hs.filter(([name], i) => name !== 'host' || hs.findIndex(([n]) => n === 'host') === i));

export const clientIdHeader = (ctx: FuzzContext): fc.Arbitrary<string | string[] | null> =>
  fc.oneof(
    fc.constant(null),
    fc.constantFrom(ctx.alipayPlusClientId, ctx.merchant.clientId, '', ' ', 'SANDBOX_SOMEONE_ELSE', ctx.merchant.clientId.toLowerCase()),
    fc.constant<string[]>([ctx.alipayPlusClientId, ctx.alipayPlusClientId]),
    fc.constant<string[]>([ctx.merchant.clientId, 'MERCHANT_OTHER']),
    headerValue,
  );

const GARBAGE_IDS = [
  '',
  '..',
  '%2e%2e',
  '%2e%2e%2f%2e%2e',
  '..%2f..%2fadmin',
  '00000000-0000-0000-0000-000000000000',
  "1' OR '1'='1",
  '1;DROP TABLE merchants',
  '%00',
  '%ff%fe',
  '%',
  '%zz',
  'null',
  'undefined',
  '{}',
  '[]',
  '-1',
  '1e400',
  'NaN',
  '__proto__',
  'constructor',
  '\u00e9\u00e8',
  'a'.repeat(300),
  '%E4%B8%AD%E6%96%87',
];

export type IdKind = 'random' | 'garbage' | 'seeded-merchant' | 'seeded-sub' | 'active-token';

export function idFor(kind: IdKind, ctx: FuzzContext): fc.Arbitrary<string> {
  switch (kind) {
    case 'random':
      return fc.uuid();
    case 'garbage':
      return fc.oneof(
        fc.constantFrom(...GARBAGE_IDS).map((s) => latin1(s, true)),
        fc.string({ maxLength: 40 }).map((s) => encodeURIComponentSafe(s)),
        rawBytes(1, 6),
      );
    case 'seeded-merchant':
      return fc.constant(ctx.merchant.id);
    case 'seeded-sub':
      return fc.constant(ctx.merchant.subMerchantId);
    case 'active-token':
      return fc.constant(encodeURIComponent(ctx.activeToken));
  }
}

export function fillTemplate(template: string, ids: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? 'x');
}

export function paramsOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

/** Paths made from the route's own: traversal, encoded bytes, case, slashes, length. */
export function mangled(path: string): fc.Arbitrary<string> {
  const segments = path.split('/');
  return fc.oneof(
    fc.constantFrom(
      `${path}/`,
      path.toUpperCase(),
      path.replace(/\//g, '//'),
      `${path}/..`,
      `/..${path}`,
      `${path}/../../../../etc/passwd`,
      `${path}/%2e%2e/%2e%2e/`,
      `${path}%2f..%2f..%2f`,
      `${path}%00`,
      `${path}%`,
      `${path}%zz`,
      `${path}%c0%ae%c0%ae/`,
      `${path}\u00ff\u00fe`,
      `${path};jsessionid=1`,
      `${path}#frag`,
      `${path}\\..\\..\\`,
      `${path}/.`,
      `/.${path}`,
      `/./${path.slice(1)}`,
      `${segments.slice(0, -1).join('/')}/%2e%2e/${segments.at(-1)}`,
      path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
      path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      `http://127.0.0.1${path}`,
      `*`,
    ),
    fc.integer({ min: 100, max: 20_000 }).map((n) => `${path}/${'a'.repeat(n)}`),
    fc.string({ maxLength: 30 }).map((s) => `${path}/${latin1(s, true)}`),
    fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.map((p) => latin1(p, true)).join('/')}`),
  );
}

/** A query string: junk, repeated keys, huge. */
export const junkQuery = fc.oneof(
  fc
    .dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 })), {
      maxKeys: 4,
    })
    .map(queryString),
  fc.constantFrom('a', '=', '&&&', 'a[b]=1', 'a[__proto__][x]=1', '__proto__[x]=1', 'constructor[prototype][x]=1', '%zz=%zz', 'a=%ff', 'limit=1&limit=2', '?'),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => `q=${'b'.repeat(n)}`),
);

export function queryString(values: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponentSafe(k)}=${encodeURIComponentSafe(String(item))}`);
  }
  return parts.join('&');
}
