import fc from 'fast-check';
import { isWithinSkew, parseMessageTime } from './message-time';

describe(parseMessageTime.name, () => {
  const sut = parseMessageTime;

  it.each([
    ['ISO with offset', '2026-11-22T10:15:30+08:00', Date.UTC(2026, 10, 22, 2, 15, 30)],
    ['ISO Z with milliseconds', '2026-11-22T02:15:30.412Z', Date.UTC(2026, 10, 22, 2, 15, 30, 412)],
    ['ISO Z', '2026-11-22T02:15:30Z', Date.UTC(2026, 10, 22, 2, 15, 30)],
    ['ISO negative offset', '2026-11-21T21:15:30-05:00', Date.UTC(2026, 10, 22, 2, 15, 30)],
    ['ISO half-hour offset', '2026-11-22T07:45:30+05:30', Date.UTC(2026, 10, 22, 2, 15, 30)],
    ['ISO offset without colon', '2026-11-22T10:15:30+0800', Date.UTC(2026, 10, 22, 2, 15, 30)],
    ['ISO microseconds (Python isoformat)', '2026-11-22T02:15:30.412345+00:00', Date.UTC(2026, 10, 22, 2, 15, 30, 412)],
    ['ISO one fraction digit', '2026-11-22T02:15:30.4Z', Date.UTC(2026, 10, 22, 2, 15, 30, 400)],
    ['ISO nanoseconds', '2026-11-22T02:15:30.412999999Z', Date.UTC(2026, 10, 22, 2, 15, 30, 412)],
    ['RFC 3339 lower case', '2026-11-22t02:15:30z', Date.UTC(2026, 10, 22, 2, 15, 30)],
    ['leap day', '2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['epoch milliseconds (Java SDK)', '1763777730123', 1763777730123],
  ])('accepts %s', (_case, value, expected) => {
    expect(sut(value)).toBe(expected);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['garbage', 'yesterday'],
    ['ISO without zone', '2026-11-22T10:15:30'],
    ['ISO with fraction, without zone', '2026-11-22T10:15:30.412'],
    ['date only', '2026-11-22'],
    ['space instead of T', '2026-11-22 10:15:30+08:00'],
    ['RFC 1123', 'Sun, 22 Nov 2026 02:15:30 GMT'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February in a common year', '2026-02-29T00:00:00Z'],
    ['hour 24', '2026-11-22T24:00:00Z'],
    ['second 60', '2026-11-22T23:59:60Z'],
    ['offset hour 24', '2026-11-22T10:15:30+24:00'],
    ['hour-only offset', '2026-11-22T10:15:30+08'],
    ['year before 1970', '1969-12-31T23:59:59Z'],
    ['empty fraction', '2026-11-22T02:15:30.Z'],
    ['ten fraction digits', '2026-11-22T02:15:30.1234567890Z'],
    ['12-digit epoch', '176377773012'],
    ['14-digit epoch', '17637777301234'],
    ['epoch seconds', '1763777730'],
    ['epoch with fraction', '1763777730123.5'],
    ['negative epoch', '-1763777730123'],
    ['epoch with leading space', ' 1763777730123'],
    ['epoch with trailing newline', '1763777730123\n'],
    ['exponent', '1.763777730123e12'],
    ['hex', '0x19AAB2C4A4B'],
    ['full-width digits', '１７６３７７７７３０１２３'],
    ['absurdly long', '1'.repeat(10_000)],
  ])('rejects %s', (_case, value) => {
    expect(sut(value)).toBeNull();
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii', maxLength: 40 })), (value) => {
        const parsed = sut(value);
        return parsed === null || Number.isFinite(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any instant written as toISOString()', () => {
    const instant = fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) });

    fc.assert(fc.property(instant, (ms) => sut(new Date(ms).toISOString()) === ms));
  });

  it('round-trips any instant written with any whole-minute offset', () => {
    const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(9998, 0, 1) }).map((ms) => ms - (ms % 1000));
    const offsetMinutes = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });

    fc.assert(
      fc.property(instant, offsetMinutes, (ms, offset) => {
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        return sut(`${local}${zone}`) === ms;
      }),
    );
  });

  it('agrees with a reference regex parser on mutated near-valid input', () => {
    const valid = fc.constantFrom(
      '2026-11-22T10:15:30+08:00',
      '2026-11-22T02:15:30.412Z',
      '2028-02-29T23:59:59.999999-05:30',
      '1999-12-31t00:00:00z',
      '2026-11-22T10:15:30+0800',
    );
    const char = fc.constantFrom(...'0123456789-+:.TtZz \u0660１x'.split(''));
    const mutated = fc.tuple(valid, fc.array(fc.tuple(fc.nat(40), fc.nat(2), char), { minLength: 1, maxLength: 3 })).map(([text, edits]) =>
      edits.reduce<string>((acc, [position, kind, c]) => {
        const at = position % (acc.length + 1);
        if (kind === 0) return acc.slice(0, at) + c + acc.slice(at + 1); // replace
        if (kind === 1) return acc.slice(0, at) + c + acc.slice(at); // insert
        return acc.slice(0, at) + acc.slice(at + 1); // delete
      }, text),
    );

    fc.assert(
      fc.property(fc.oneof(mutated, valid), (text) => sut(text) === referenceParse(text)),
      { numRuns: 5000 },
    );
  });

  it('accepts every 13-digit string as epoch milliseconds and no other digit count', () => {
    fc.assert(fc.property(fc.integer({ min: 1e12, max: 1e13 - 1 }), (ms) => sut(String(ms)) === ms));
    fc.assert(fc.property(fc.stringMatching(/^\d{1,40}$/), (digits) => digits.length === 13 || sut(digits) === null));
  });
});

describe(isWithinSkew.name, () => {
  const sut = isWithinSkew;
  const now = Date.UTC(2026, 10, 22, 2, 15, 30);
  const skew = 5 * 60_000;

  it.each([
    ['exactly now', now, true],
    ['at the past edge', now - skew, true],
    ['at the future edge', now + skew, true],
    ['1 ms too old', now - skew - 1, false],
    ['1 ms too far ahead', now + skew + 1, false],
    ['NaN', Number.NaN, false],
    ['Infinity', Number.POSITIVE_INFINITY, false],
  ])('%s → %s', (_case, time, expected) => {
    expect(sut(time, now, skew)).toBe(expected);
  });

  it('is false when the clock itself is not a number', () => {
    expect(sut(now, Number.NaN, skew)).toBe(false);
  });
});

/** The plain-regex reading of the accepted ISO forms, to check the hand-rolled parser against. */
function referenceParse(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/.exec(text);
  if (m === null) return /^\d{13}$/.test(text) ? Number(text) : null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const probe = new Date(Date.UTC(2000, month - 1, day));
  probe.setUTCFullYear(year);
  const realDate = probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  if (year < 1970 || month < 1 || month > 12 || !realDate || hour > 23 || minute > 59 || second > 59) return null;
  const offsetHours = Number(m[10] ?? 0);
  const offsetMins = Number(m[11] ?? 0);
  if (offsetHours > 23 || offsetMins > 59) return null;
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000;
}
