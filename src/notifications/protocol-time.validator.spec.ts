import fc from 'fast-check';
import { parseProtocolTime } from '../protocol/protocol-time';

describe(parseProtocolTime.name, () => {
  it.each([
    ['Alipay+ form', '2022-06-06T12:12:12+08:00', Date.UTC(2022, 5, 6, 4, 12, 12)],
    ['Z with milliseconds', '2026-11-22T02:15:30.412Z', Date.UTC(2026, 10, 22, 2, 15, 30, 412)],
    ['leap day', '2028-02-29T23:59:59-05:00', Date.UTC(2028, 2, 1, 4, 59, 59)],
  ])('reads %s', (_case, value, expected) => {
    expect(parseProtocolTime(value)?.getTime()).toBe(expected);
  });

  it.each([
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February in a common year', '2026-02-29T00:00:00+08:00'],
    ['31 April', '2026-04-31T10:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T23:60:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['no zone', '2026-01-01T10:00:00'],
    ['offset without colon', '2026-01-01T10:00:00+0800'],
    ['lower-case t', '2026-01-01t10:00:00Z'],
    ['epoch milliseconds', '1763777730123'],
    ['empty', ''],
  ])('refuses %s rather than rolling it over', (_case, value) => {
    expect(parseProtocolTime(value)).toBeNull();
  });

  it('reads back every instant written in the protocol form, at any offset', () => {
    const offsets = fc.integer({ min: -12 * 60, max: 14 * 60 }).filter((m) => m % 15 === 0);
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), offsets, (date, offset) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        expect(parseProtocolTime(`${local}${zone}`)?.getTime()).toBe(date.getTime());
      }),
    );
  });

  it('accepts only days that exist in their month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1971, max: 2199 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00Z`;
        const exists = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
        expect(parseProtocolTime(value) !== null).toBe(exists);
      }),
    );
  });
});
