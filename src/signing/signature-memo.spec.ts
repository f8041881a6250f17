import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signedResponseHeaders, signMessage } from './message-signer';
import { parseMessageTime } from './message-time';
import { formatResponseTime, SignatureMemo } from './signature-memo';
import { loadPrivateKey } from './signing-keys';
import type { SignedMessage } from './string-to-sign';

const VECTORS_DIR = join(__dirname, '../../test/fixtures/vectors');
const KEY = loadPrivateKey(readFileSync(join(VECTORS_DIR, 'acqp-test-private.pem'), 'utf8'));
const OTHER_KEY = loadPrivateKey(readFileSync(join(VECTORS_DIR, 'alipayplus-test-private.pem'), 'utf8'));

const S_BODY = Buffer.from(JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } }));
const ANSWER: SignedMessage = {
  method: 'POST',
  path: '/aps/api/v1/authorizations/authNotify',
  clientId: 'ACQP_CLIENT',
  time: '2026-11-22T06:15:30Z',
  body: S_BODY,
};

describe(SignatureMemo.name, () => {
  it('gives byte for byte the signature of a fresh signing, first and when reused', () => {
    const sut = new SignatureMemo(KEY);
    const fresh = signMessage(ANSWER, KEY);
    expect(sut.sign(ANSWER)).toBe(fresh);
    expect(sut.sign({ ...ANSWER, body: Buffer.from(S_BODY) })).toBe(fresh);
  });

  it.each<[string, Partial<SignedMessage>]>([
    ['method', { method: 'PUT' }],
    ['path', { path: '/aps/api/v1/authorizations/consultUnbinding' }],
    ['client id', { clientId: 'ANOTHER_CLIENT' }],
    ['body', { body: Buffer.from('{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U"}}') }],
    ['body given as a string', { body: '{"a":"é"}' }],
    ['time', { time: '2026-11-22T06:15:31Z' }],
  ])('signs afresh when the %s differs', (_what, change) => {
    const sut = new SignatureMemo(KEY);
    sut.sign(ANSWER);
    const other = { ...ANSWER, ...change };
    expect(sut.sign(other)).toBe(signMessage(other, KEY));
    expect(sut.sign(ANSWER)).toBe(signMessage(ANSWER, KEY));
  });

  it('never mixes keys: each memo signs with its own', () => {
    const sut = new SignatureMemo(OTHER_KEY);
    expect(sut.sign(ANSWER)).toBe(signMessage(ANSWER, OTHER_KEY));
    expect(sut.sign(ANSWER)).not.toBe(signMessage(ANSWER, KEY));
  });

  it('stays correct past its capacity', () => {
    const sut = new SignatureMemo(KEY, 2);
    const messages = ['a', 'b', 'c', 'd'].map((b) => ({ ...ANSWER, body: b }));
    for (const m of [...messages, ...messages]) expect(sut.sign(m)).toBe(signMessage(m, KEY));
  });

  it('signs response headers exactly as with the bare key', () => {
    const memo = new SignatureMemo(KEY);
    signedResponseHeaders(ANSWER, memo);
    expect(signedResponseHeaders(ANSWER, memo)).toEqual(signedResponseHeaders(ANSWER, KEY));
  });
});

describe(formatResponseTime.name, () => {
  it('formats to the whole second in UTC, in a form our own verifier accepts', () => {
    const now = new Date('2026-11-22T06:15:30.987Z');
    expect(formatResponseTime(now)).toBe('2026-11-22T06:15:30Z');
    expect(parseMessageTime(formatResponseTime(now))).toBe(Date.parse('2026-11-22T06:15:30Z'));
  });
});
