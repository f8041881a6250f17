import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStringToSign, SignedMessage } from './string-to-sign';

interface SignatureVector extends SignedMessage {
  name: string;
  body: string;
  stringToSign: string;
}

const VECTORS_DIR = join(__dirname, '../../test/fixtures/vectors');
const vectors: SignatureVector[] = JSON.parse(readFileSync(join(VECTORS_DIR, 'signature-vectors.json'), 'utf8'));

describe(buildStringToSign.name, () => {
  const sut = buildStringToSign;

  it.each(vectors.map((v) => [v.name, v] as const))('reproduces the vector string to sign: %s', (_name, vector) => {
    expect(sut(vector)).toEqual(Buffer.from(vector.stringToSign, 'utf8'));
  });

  it.each(vectors.map((v) => [v.name, v] as const))('gives the same bytes for a Buffer body: %s', (_name, vector) => {
    const fromBuffer = sut({ ...vector, body: Buffer.from(vector.body, 'utf8') });

    expect(fromBuffer).toEqual(Buffer.from(vector.stringToSign, 'utf8'));
  });

  it('keeps the query string in the Request-URI', () => {
    const result = sut({ method: 'GET', path: '/a/b?x=1&y=%2F', clientId: 'C', time: 'T', body: '' });

    expect(result.toString('utf8')).toBe('GET /a/b?x=1&y=%2F\nC.T.');
  });

  it('appends body bytes as they are, even when they are not valid UTF-8', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0xe4, 0xb8, 0x7d]);

    const result = sut({ method: 'POST', path: '/p', clientId: 'C', time: 'T', body });

    expect(result.subarray(result.length - body.length)).toEqual(body);
    expect(result.subarray(0, result.length - body.length).toString('utf8')).toBe('POST /p\nC.T.');
  });

  it('encodes non-ASCII text in every part as UTF-8', () => {
    const result = sut({ method: 'POST', path: '/路径', clientId: '客户', time: 'T', body: '{"a":"用户解绑😀"}' });

    expect(result).toEqual(Buffer.from('POST /路径\n客户.T.{"a":"用户解绑😀"}', 'utf8'));
  });

  it('does not normalise whitespace or line endings in the body', () => {
    const body = '{\r\n   "a": 1,\t"b" : [ ]\n}\n';

    const result = sut({ method: 'POST', path: '/p', clientId: 'C', time: 'T', body });

    expect(result.toString('utf8')).toBe(`POST /p\nC.T.${body}`);
  });
});
