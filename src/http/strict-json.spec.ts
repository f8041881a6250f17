import fc from 'fast-check';
import { MAX_JSON_DEPTH } from '../common/validation';
import { parseStrictJson } from './strict-json';

const sut = (text: string | Buffer) => parseStrictJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

describe(parseStrictJson.name, () => {
  it('reads what JSON.parse reads when every key is unique', () => {
    expect(sut('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}],"d":"x\\"y"}')).toEqual({
      ok: true,
      value: { a: 1, b: { a: 2 }, c: [{ a: 3 }, { a: 4 }], d: 'x"y' },
    });
    expect(sut('  [1, "two", null]  ')).toEqual({ ok: true, value: [1, 'two', null] });
  });

  it.each([
    ['{"accessToken":"real","accessToken":"made-up"}', 'accessToken: the key "accessToken" appears twice'],
    // The same key spelled with an escape is the same key.
    ['{"accessToken":"real","access\\u0054oken":"made-up"}', 'accessToken: the key "accessToken" appears twice'],
    ['{"w":{"walletName":"a","walletName":"b"}}', 'w: the key "walletName" appears twice'],
    ['{"s":[{"k":1},{"k":1,"k":2}]}', 's: the key "k" appears twice'],
    ['[{"k":1,"k":2}]', 'body: the key "k" appears twice'],
    ['{"a b":{"k":1,"k":2}}', 'body: the key "k" appears twice'],
    ['{"__proto__":{"admin":true}}', '__proto__: the key "__proto__" is not allowed'],
    ['{"a":{"constructor":{"prototype":1}}}', 'a: the key "constructor" is not allowed'],
    ['{"a":', 'body: is not valid JSON'],
  ])('refuses %s naming the problem', (text, problem) => {
    expect(sut(text)).toEqual({ ok: false, problem });
  });

  it('refuses bytes that are not UTF-8 instead of reading them as U+FFFD', () => {
    const lone = Buffer.concat([Buffer.from('{"accessToken":"ab'), Buffer.from([0xff]), Buffer.from('"}')]);
    const overlong = Buffer.concat([Buffer.from('{"accessToken":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
    expect(sut(lone)).toEqual({ ok: false, problem: 'body: is not valid UTF-8' });
    expect(sut(overlong)).toEqual({ ok: false, problem: 'body: is not valid UTF-8' });
    expect(sut('{"name":"用户解绑 ✓"}')).toEqual({ ok: true, value: { name: '用户解绑 ✓' } });
  });

  it(`refuses nesting past ${MAX_JSON_DEPTH} levels, and accepts it up to there`, () => {
    expect(sut(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`).ok).toBe(true);
    expect(sut(`{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`)).toEqual({
      ok: false,
      problem: `a: nests deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });

  it('agrees with JSON.parse on every JSON text without repeated keys, and refuses every one with', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value);
        fc.pre(!text.includes('"__proto__"') && !text.includes('"constructor"'));
        expect(sut(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }), (object) => {
        const key = Object.keys(object)[0];
        const text = `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(key)}:null}`;
        fc.pre(!text.includes('"__proto__"') && !text.includes('"constructor"'));
        const result = sut(text);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problem).toContain('appears twice');
      }),
    );
  });
});
