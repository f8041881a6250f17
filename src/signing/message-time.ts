/** Epoch milliseconds as the Antom Java SDK sends them: exactly 13 digits (years 2001-2286). */
const EPOCH_MILLIS_LENGTH = 13;
/** Shortest ISO form accepted: `2026-11-22T02:15:30Z`. */
const MIN_ISO_LENGTH = 20;
/** Longest legal form is `2026-11-22T10:15:30.123456789+08:00` (35 chars). */
const MAX_LENGTH = 40;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const LOWER_T = 0x74;
const LOWER_Z = 0x7a;

/**
 * Parses a Request-Time / Response-Time header into epoch milliseconds, or
 * null (never throws). Alipay+ sends ISO 8601 with an offset; the Antom Java
 * SDK sends epoch milliseconds.
 *
 * ISO must carry a zone: `Z` or `±hh:mm` (`±hhmm` tolerated), with an optional
 * 1-9 digit fraction, and lower-case `t`/`z` as RFC 3339 allows. A time without
 * a zone would be read in the server's local zone and open or shut the replay
 * window by hours, so it is refused.
 *
 * Hand-rolled over char codes rather than a regex with eleven groups: it runs
 * on every inbound request (bench/signing.bench.ts).
 */
export function parseMessageTime(value: string | undefined): number | null {
  if (typeof value !== 'string') return null;
  const length = value.length;
  if (length === EPOCH_MILLIS_LENGTH) return digits(value, 0, EPOCH_MILLIS_LENGTH) < 0 ? null : Number(value);
  if (length < MIN_ISO_LENGTH || length > MAX_LENGTH) return null;

  if (
    value.charCodeAt(4) !== DASH ||
    value.charCodeAt(7) !== DASH ||
    (value.charCodeAt(10) | 0x20) !== LOWER_T ||
    value.charCodeAt(13) !== COLON ||
    value.charCodeAt(16) !== COLON
  ) {
    return null;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  // Date.UTC maps years 0-99 to 1900-1999; nothing in this protocol predates 1970.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;

  let i = 19;
  let millis = 0;
  if (value.charCodeAt(i) === DOT) {
    const start = ++i;
    while (i < length && isDigit(value.charCodeAt(i))) i++;
    const count = i - start;
    if (count < 1 || count > 9) return null;
    // Sub-millisecond digits are truncated: the skew window is minutes wide.
    millis = digits(value, start, Math.min(count, 3)) * (count === 1 ? 100 : count === 2 ? 10 : 1);
  }

  const offsetMinutes = zoneOffsetMinutes(value, i);
  if (offsetMinutes === null) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** True when `timeMs` is within ±`skewMs` of `nowMs` (bounds included). */
export function isWithinSkew(timeMs: number, nowMs: number, skewMs: number): boolean {
  return Number.isFinite(timeMs) && Number.isFinite(nowMs) && Math.abs(timeMs - nowMs) <= skewMs;
}

/** `Z`, `±hh:mm` or `±hhmm` filling the rest of the value from `i`, as signed minutes; else null. */
function zoneOffsetMinutes(value: string, i: number): number | null {
  const rest = value.length - i;
  const sign = value.charCodeAt(i);
  if (rest === 1) return (sign | 0x20) === LOWER_Z ? 0 : null;
  if (sign !== PLUS && sign !== DASH) return null;
  const hours = digits(value, i + 1, 2);
  let minutes: number;
  if (rest === 6 && value.charCodeAt(i + 3) === COLON) minutes = digits(value, i + 4, 2);
  else if (rest === 5) minutes = digits(value, i + 3, 2);
  else return null;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return null;
  return (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
}

/** The decimal number in `value[start, start + count)`, or -1 if any char is not an ASCII digit. */
function digits(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}
