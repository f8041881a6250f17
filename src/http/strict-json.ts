import { isUtf8 } from 'node:buffer';
import { MAX_JSON_DEPTH } from '../common/validation';

export type StrictJson = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Parses a request body the way its signer meant it, or says precisely why
 * not. A signature covers bytes, so the gateway must read exactly one value
 * from them:
 * - the bytes must be valid UTF-8 (decoding would otherwise turn different
 *   byte strings into one U+FFFD-laden value);
 * - no object may name a key twice (`JSON.parse` keeps the last, so
 *   `{"accessToken":"real","accessToken":"made-up"}` would be read as the
 *   made-up one while a reader that keeps the first sees the real one);
 * - `__proto__` and `constructor` keys are refused (prototype poisoning);
 * - nesting stops at MAX_JSON_DEPTH.
 * Called only after the caller is authenticated (protocol signatures, admin
 * tokens): an unauthenticated body is never parsed.
 */
export function parseStrictJson(bytes: Buffer): StrictJson {
  if (!isUtf8(bytes)) return { ok: false, problem: 'body: is not valid UTF-8' };
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'body: is not valid JSON' };
  }
  const problem = scanKeys(text);
  return problem === null ? { ok: true, value } : { ok: false, problem };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;

interface Frame {
  /** An object's keys so far; null for an array. */
  readonly keys: Set<string> | null;
}

/** A message names the top-level field a problem sits under (`body` for the top level itself), as validation does. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * One pass over text that JSON.parse has already accepted, so it only has
 * to tell keys from values: a string directly followed by `:` is a key. The
 * first duplicate, reserved key or over-deep nesting is reported under the
 * top-level field it sits in.
 */
function scanKeys(text: string): string | null {
  const stack: Frame[] = [];
  /** The top-level key whose value is being read; '' outside one. */
  let field = '';
  const where = () => (stack.length > 1 || (stack.length === 1 && field !== '') ? (IDENTIFIER.test(field) ? field : 'body') : 'body');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        } else if (d === QUOTE) break;
      }
      const frame = stack[stack.length - 1];
      if (!frame?.keys || !followedByColon(text, i + 1)) continue;
      const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
      if (stack.length === 1) field = key;
      const shown = JSON.stringify(key);
      if (key === '__proto__' || key === 'constructor') return `${where()}: the key ${shown} is not allowed`;
      if (frame.keys.has(key)) return `${where()}: the key ${shown} appears twice`;
      frame.keys.add(key);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (stack.length >= MAX_JSON_DEPTH) return `${where()}: nests deeper than ${MAX_JSON_DEPTH} levels`;
      stack.push({ keys: c === OPEN_OBJECT ? new Set() : null });
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
    }
  }
  return null;
}

function followedByColon(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return false;
}
