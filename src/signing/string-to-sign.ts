/**
 * One signed HTTP message, in either direction. For a response, `method` and
 * `path` are those of the request being answered and `time` is the
 * Response-Time.
 */
export interface SignedMessage {
  /** HTTP method exactly as sent on the wire (upper case in practice). */
  method: string;
  /** Request-URI: path plus query string, no scheme and no host. */
  path: string;
  clientId: string;
  /** Request-Time or Response-Time header value, verbatim. */
  time: string;
  /** Raw body bytes as sent or received; a string is taken as its UTF-8 bytes. */
  body: Buffer | string;
}

/**
 * `<METHOD> <Request-URI>\n<Client-Id>.<time>.<body>`, UTF-8, byte for byte
 * (Alipay+ / Antom "Sign a request" and "Verify a signature" pages).
 *
 * The body is appended as-is: official SDKs send pretty-printed JSON, non-ASCII
 * text and key orders of their own, so re-serialising parsed JSON would break
 * verification.
 */
export function buildStringToSign(m: SignedMessage): Buffer {
  const head = stringToSignHead(m);
  if (typeof m.body === 'string') return Buffer.from(head + m.body, 'utf8');
  // One allocation and one copy, instead of Buffer.concat's array and second pass.
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + m.body.length);
  out.write(head, 0, headLength, 'utf8');
  m.body.copy(out, headLength);
  return out;
}

/** What comes before the body in the string to sign: `<METHOD> <Request-URI>\n<Client-Id>.<time>.` */
export function stringToSignHead(m: Omit<SignedMessage, 'body'>): string {
  return `${m.method} ${m.path}\n${m.clientId}.${m.time}.`;
}
