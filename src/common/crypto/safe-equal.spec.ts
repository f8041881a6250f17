import fc from 'fast-check';
import { safeEqual } from './safe-equal';

describe(safeEqual.name, () => {
  const sut = safeEqual;

  it.each([
    ['equal strings', 'secret-token', 'secret-token', true],
    ['equal buffers', Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]), true],
    ['a string and its UTF-8 bytes', '用户🙂', Buffer.from('用户🙂', 'utf8'), true],
    ['two empty strings', '', '', true],
    ['one character apart', 'secret-token', 'secret-tokem', false],
    ['a prefix', 'secret-token', 'secret', false],
    ['different lengths', 'a', 'a'.repeat(1000), false],
    ['empty against non-empty', '', 'x', false],
    ['case', 'Secret', 'secret', false],
  ])('%s → %s', (_case, a, b, expected) => {
    expect(sut(a, b)).toBe(expected);
    expect(sut(b, a)).toBe(expected);
  });

  it('agrees with plain equality and never throws, whatever the lengths', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(sut(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(sut(a, a)).toBe(true);
      }),
    );
  });
});
