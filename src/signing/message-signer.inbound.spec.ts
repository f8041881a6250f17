import { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InboundRequest, readSignatureHeaders, verifyInboundRequest } from './message-signer';
import { parseMessageTime } from './message-time';
import { loadPublicKey } from './signing-keys';
import { SignedMessage } from './string-to-sign';

interface SignatureVector extends SignedMessage {
  name: string;
  body: string;
  verifyWith: string;
  signedBy: string;
  stringToSign: string;
  signatureBase64: string;
  signatureHeader: string;
}

const VECTORS_DIR = join(__dirname, '../../test/fixtures/vectors');
const vectors: SignatureVector[] = JSON.parse(readFileSync(join(VECTORS_DIR, 'signature-vectors.json'), 'utf8'));
const pem = (file: string) => readFileSync(join(VECTORS_DIR, file), 'utf8');

const publicKeys: Record<string, KeyObject> = {
  'acqp-test-public.pem': loadPublicKey(pem('acqp-test-public.pem')),
  'alipayplus-test-public.pem': loadPublicKey(pem('alipayplus-test-public.pem')),
};
const ACQP_PUBLIC = publicKeys['acqp-test-public.pem'];
const APS_PUBLIC = publicKeys['alipayplus-test-public.pem'];

const vectorCases = vectors.map((v) => [v.name, v] as const);
const lowerCaseEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const flipByte = (buf: Buffer, index: number) => {
  const copy = Buffer.from(buf);
  copy[index] ^= 0x01;
  return copy;
};

/** The first vector: ACQP-signed cancelToken request. */
const BASE = vectors[0];
const BASE_NOW = parseMessageTime(BASE.time)!;
const SKEW_MS = 5 * 60_000;

function inboundFor(v: SignatureVector, headers: InboundRequest['headers'] = {}): InboundRequest {
  return {
    method: v.method,
    path: v.path,
    headers: { 'client-id': v.clientId, 'request-time': v.time, signature: v.signatureHeader, ...headers },
    rawBody: Buffer.from(v.body, 'utf8'),
  };
}

describe(readSignatureHeaders.name, () => {
  const sut = readSignatureHeaders;

  it('returns the raw time, its instant, the client id and the parsed signature', () => {
    expect(sut(inboundFor(BASE).headers)).toEqual({
      clientId: BASE.clientId,
      time: BASE.time,
      timeMs: BASE_NOW,
      signature: { algorithm: 'RSA256', keyVersion: '1', signature: BASE.signatureBase64 },
    });
  });

  it('takes the first value of a repeated header', () => {
    const headers = { 'client-id': [BASE.clientId, 'OTHER'], 'request-time': [BASE.time], signature: [BASE.signatureHeader] };

    expect(sut(headers)).toMatchObject({ clientId: BASE.clientId, time: BASE.time });
  });

  it('finds headers whose names were not lower-cased', () => {
    const headers = { 'Client-Id': BASE.clientId, 'Request-Time': BASE.time, Signature: BASE.signatureHeader };

    expect(sut(headers)).toMatchObject({ clientId: BASE.clientId, timeMs: BASE_NOW });
  });

  it('reads response-time when asked to', () => {
    const headers = { 'client-id': BASE.clientId, 'response-time': BASE.time, signature: BASE.signatureHeader };

    expect(sut(headers, 'response-time')).toMatchObject({ time: BASE.time });
    expect(sut(headers)).toEqual({ reason: 'MISSING_HEADERS', clientId: BASE.clientId });
  });

  it.each([
    ['client-id missing', { 'client-id': undefined }, { reason: 'MISSING_HEADERS' }],
    ['client-id empty', { 'client-id': '' }, { reason: 'MISSING_HEADERS' }],
    ['client-id an empty array', { 'client-id': [] }, { reason: 'MISSING_HEADERS' }],
    ['request-time missing', { 'request-time': undefined }, { reason: 'MISSING_HEADERS', clientId: BASE.clientId }],
    ['request-time blank', { 'request-time': ' ' }, { reason: 'MISSING_HEADERS', clientId: BASE.clientId }],
    ['request-time unparseable', { 'request-time': 'yesterday' }, { reason: 'MISSING_HEADERS', clientId: BASE.clientId }],
    ['request-time without zone', { 'request-time': '2026-11-22T10:15:30' }, { reason: 'MISSING_HEADERS', clientId: BASE.clientId }],
    ['signature missing', { signature: undefined }, { reason: 'MISSING_HEADERS', clientId: BASE.clientId }],
  ])('%s → %j', (_case, headers, expected) => {
    expect(sut(inboundFor(BASE, headers).headers)).toEqual(expected);
  });
});

describe(verifyInboundRequest.name, () => {
  const sut = verifyInboundRequest;
  const optionsFor = (v: SignatureVector) => ({
    publicKeys: [publicKeys[v.verifyWith]],
    nowMs: parseMessageTime(v.time)!,
    skewMs: SKEW_MS,
  });
  const OPTIONS = optionsFor(BASE);

  it.each(vectorCases)('accepts the vector as an inbound request: %s', (_name, vector) => {
    expect(sut(inboundFor(vector), optionsFor(vector))).toEqual({
      ok: true,
      clientId: vector.clientId,
      timeMs: parseMessageTime(vector.time),
    });
  });

  it('accepts both ISO and epoch-millisecond request times', () => {
    const iso = vectors.find((v) => v.time.includes('T'))!;
    const epoch = vectors.find((v) => /^\d{13}$/.test(v.time))!;

    expect(sut(inboundFor(iso), optionsFor(iso)).ok).toBe(true);
    expect(sut(inboundFor(epoch), optionsFor(epoch))).toMatchObject({ ok: true, timeMs: 1763777730123 });
  });

  it('accepts lower-case percent escapes and an un-encoded signature', () => {
    const lower = inboundFor(BASE, { signature: lowerCaseEscapes(BASE.signatureHeader) });
    const raw = inboundFor(BASE, { signature: `algorithm=RSA256, keyVersion=1, signature=${BASE.signatureBase64}` });

    expect(sut(lower, OPTIONS).ok).toBe(true);
    expect(sut(raw, OPTIONS).ok).toBe(true);
  });

  it.each([
    ['no signature=', 'algorithm=RSA256,keyVersion=1'],
    ['empty signature', 'algorithm=RSA256,keyVersion=1,signature='],
    ['no algorithm', `keyVersion=1,signature=${encodeURIComponent(BASE.signatureBase64)}`],
    ['wrong algorithm', `algorithm=RSA512,keyVersion=1,signature=${encodeURIComponent(BASE.signatureBase64)}`],
    ['garbage', 'garbage'],
  ])('answers MALFORMED_SIGNATURE for a signature header with %s', (_case, signature) => {
    expect(sut(inboundFor(BASE, { signature }), OPTIONS)).toEqual({
      ok: false,
      reason: 'MALFORMED_SIGNATURE',
      clientId: BASE.clientId,
    });
  });

  it.each([
    ['client-id', { 'client-id': undefined }],
    ['request-time', { 'request-time': undefined }],
    ['signature', { signature: undefined }],
  ])('answers MISSING_HEADERS without %s', (_case, headers) => {
    expect(sut(inboundFor(BASE, headers), OPTIONS)).toMatchObject({ ok: false, reason: 'MISSING_HEADERS' });
  });

  it.each([
    ['too old', BASE_NOW + SKEW_MS + 1],
    ['from the future', BASE_NOW - SKEW_MS - 1],
  ])('answers STALE_TIME for a request %s', (_case, nowMs) => {
    expect(sut(inboundFor(BASE), { ...OPTIONS, nowMs })).toEqual({
      ok: false,
      reason: 'STALE_TIME',
      clientId: BASE.clientId,
    });
  });

  it('accepts a request exactly at the edge of the window', () => {
    expect(sut(inboundFor(BASE), { ...OPTIONS, nowMs: BASE_NOW + SKEW_MS }).ok).toBe(true);
    expect(sut(inboundFor(BASE), { ...OPTIONS, nowMs: BASE_NOW - SKEW_MS }).ok).toBe(true);
  });

  it('checks the time window before the signature', () => {
    const wrongKeyAndStale = { ...OPTIONS, publicKeys: [APS_PUBLIC], nowMs: BASE_NOW + SKEW_MS + 1 };

    expect(sut(inboundFor(BASE), wrongKeyAndStale)).toMatchObject({ reason: 'STALE_TIME' });
  });

  it('checks the signature header shape before the time window', () => {
    const request = inboundFor(BASE, { signature: 'garbage' });

    expect(sut(request, { ...OPTIONS, nowMs: 0 })).toMatchObject({ reason: 'MALFORMED_SIGNATURE' });
  });

  it.each([
    ['the wrong key', { publicKeys: [APS_PUBLIC] }, {}],
    ['no key', { publicKeys: [] }, {}],
    ['a tampered body', {}, { rawBody: flipByte(Buffer.from(BASE.body), 10) }],
    ['another client id', {}, { headers: { ...inboundFor(BASE).headers, 'client-id': 'SANDBOX_OTHER' } }],
    ['another path', {}, { path: '/aps/api/v1/authorizations/authNotify' }],
    ['another method', {}, { method: 'PUT' }],
    ['a shifted request-time', {}, { headers: { ...inboundFor(BASE).headers, 'request-time': '2026-11-22T10:15:31+08:00' } }],
  ])('answers INVALID_SIGNATURE with %s', (_case, options, request) => {
    const result = sut({ ...inboundFor(BASE), ...request }, { ...OPTIONS, ...options });

    expect(result).toMatchObject({ ok: false, reason: 'INVALID_SIGNATURE' });
  });

  it('verifies with [current, previous] while keys rotate', () => {
    const rotating = { ...OPTIONS, publicKeys: [APS_PUBLIC, ACQP_PUBLIC] };

    expect(sut(inboundFor(BASE), rotating)).toMatchObject({ ok: true, clientId: BASE.clientId });
  });
});
