import type { Route } from './routes';

// What a fuzz request is made of: plain data, turned into bytes only when sent.

/** A time header, made at sending: relative ones shift from now. */
export type TimeSpec =
  { kind: 'iso' | 'epoch' | 'lower' | 'offset' | 'compact-offset' | 'fraction9' | 'rfc1123' | 'space'; shiftMs: number } | { kind: 'fixed'; text: string };

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: number[] }
  /** JSON.stringify(value), with `splice` (raw members) after the opening brace of an object. */
  | { kind: 'json'; value: unknown; splice?: Splice }
  /** A JSON text cut short: never valid JSON. */
  | { kind: 'truncated'; value: unknown; keep: number }
  /** An object padded to exactly `size` bytes (relative to the body limit). */
  | { kind: 'sized'; around: unknown; size: 'limit-1' | 'limit' | 'limit+1' | '2x limit' };

export type Splice =
  { kind: 'deep'; depth: number; shape: 'array' | 'object' } | { kind: 'invalid-utf8' } | { kind: 'huge-numbers' } | { kind: 'proto'; text: string };

export type AuthFault =
  | 'garbage-signature'
  | 'wrong-key'
  | 'other-bytes'
  | 'other-path'
  | 'stale-time'
  | 'unparseable-time'
  | 'wrong-client'
  | 'missing-client'
  | 'missing-signature'
  | 'missing-time';

export interface SignSpec {
  signer: 'alipayplus' | 'merchant';
  /** `none` for a correctly signed request. */
  fault: AuthFault | 'none';
  time: TimeSpec;
  /** How the signature value is written in the header (all accepted). */
  format: 'standard' | 'lowercase-escapes' | 'unencoded' | 'spaces' | 'no-key-version';
  headerCase: 'Title' | 'lower' | 'UPPER';
  /** For `garbage-signature`. */
  garbage?: string;
}

export type Category = 'junk' | 'signed-bad-body' | 'bad-auth' | 'admin' | 'ops' | 'raw';

export interface Plan {
  category: Category;
  route: Route;
  method: string;
  /** As sent (latin1 string of the wire bytes); may be mangled. */
  path: string;
  /** The path is the route's own (a query string aside): the route's contract applies. */
  exact: boolean;
  headers: Array<[string, string | string[]]>;
  contentType: string | null;
  body: BodySpec;
  chunked: boolean;
  sign?: SignSpec;
  /** An unsigned request's Request-Time header. */
  time?: TimeSpec;
  admin?: 'right' | 'wrong' | 'none';
  /** Raw category: bytes written to a socket as they are. */
  raw?: { bytes: number[]; incomplete: boolean; name: string };
  what: string;
}

export interface FuzzContext {
  routes: Route[];
  merchant: { id: string; clientId: string; referenceMerchantId: string; subMerchantId: string; subAccountId: string };
  activeToken: string;
  alipayPlusClientId: string;
}
