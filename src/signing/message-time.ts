/**
 * ISO 8601 with a mandatory zone: `Z` or `±hh:mm` (`±hhmm` tolerated), optional
 * fraction of 1-9 digits, lower-case `t`/`z` as RFC 3339 allows. A time without
 * a zone is refused: it would be read in the server's local zone and open or
 * shut the replay window by hours.
 */
const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
/** Epoch milliseconds as the Antom Java SDK sends them: exactly 13 digits (years 2001-2286). */
const EPOCH_MILLIS = /^\d{13}$/;
/** Longest legal form is `2026-11-22T10:15:30.123456789+08:00` (35 chars). */
const MAX_LENGTH = 40;

/**
 * Parses a Request-Time / Response-Time header into epoch milliseconds.
 * Alipay+ sends ISO 8601 with an offset; the Antom Java SDK sends epoch
 * milliseconds. Returns null for anything else; never throws.
 */
export function parseMessageTime(value: string | undefined): number | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (EPOCH_MILLIS.test(value)) return Number(value);

  const m = ISO_WITH_ZONE.exec(value);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  // Sub-millisecond digits are truncated: the skew window is minutes wide.
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  // Date.UTC maps years 0-99 to 1900-1999; nothing in this protocol predates 1970.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;

  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** True when `timeMs` is within ±`skewMs` of `nowMs` (bounds included). */
export function isWithinSkew(timeMs: number, nowMs: number, skewMs: number): boolean {
  return Number.isFinite(timeMs) && Number.isFinite(nowMs) && Math.abs(timeMs - nowMs) <= skewMs;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}
