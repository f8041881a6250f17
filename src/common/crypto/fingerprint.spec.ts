import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { fingerprint, mask } from './fingerprint';

const TOKEN = '281010033AB2F588D14B43238637264FCA5A1234';

describe(fingerprint.name, () => {
  const sut = fingerprint;

  it('shows the first 4 characters and 8 hex of the sha256', () => {
    const hash = createHash('sha256').update(TOKEN).digest('hex');

    expect(sut(TOKEN)).toBe(`2810…${hash.slice(0, 8)}`);
  });

  it('is stable and tells secrets apart', () => {
    expect(sut(TOKEN)).toBe(sut(TOKEN));
    expect(sut(TOKEN)).not.toBe(sut(`${TOKEN.slice(0, -1)}5`));
  });

  it('shows no prefix for a short secret', () => {
    expect(sut('pin1234')).toMatch(/^…[0-9a-f]{8}$/);
    expect(sut('')).toMatch(/^…[0-9a-f]{8}$/);
  });

  it('does not cut an emoji in half', () => {
    expect(sut('🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂').startsWith('🙂🙂🙂🙂…')).toBe(true);
  });

  it('never contains more than 4 characters of the secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 200 }), (secret) => {
        const [prefix] = sut(secret).split('…');
        return Array.from(prefix).length <= 4 && (secret.length < 5 || !sut(secret).includes(secret));
      }),
    );
  });
});

describe(mask.name, () => {
  const sut = mask;

  it.each([
    ['a 40-character token', TOKEN, '2810****1234'],
    ['24 characters', 'abcdefghijklmnopqrstuvwx', 'abcd****uvwx'],
    ['12 characters', 'abcdefghijkl', 'ab****kl'],
    ['6 characters', 'abcdef', 'a****f'],
    ['5 characters', 'abcde', '****'],
    ['empty', '', '****'],
    ['emoji', '🙂😀🙂😀🙂😀🙂😀🙂😀🙂😀', '🙂😀****🙂😀'],
  ])('masks %s', (_case, secret, expected) => {
    expect(sut(secret)).toBe(expected);
  });

  it('reveals at most 4+4 characters and at most a third of the secret', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), (secret) => {
        const shown = Array.from(sut(secret).replace('****', '')).length;
        return shown <= 8 && shown <= Array.from(secret).length / 3;
      }),
    );
  });
});
