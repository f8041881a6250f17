import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InboundRequest,
  readSignatureHeaders,
  signedRequestHeaders,
  signedResponseHeaders,
  signMessage,
  verifyInboundRequest,
  verifyMessage,
} from './message-signer';
import { parseMessageTime } from './message-time';
import { formatSignatureHeader, parseSignatureHeader } from './signature-header';
import { loadPrivateKey, loadPublicKey } from './signing-keys';
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

const privateKeys: Record<string, KeyObject> = {
  'acqp-test-private.pem': loadPrivateKey(pem('acqp-test-private.pem')),
  'alipayplus-test-private.pem': loadPrivateKey(pem('alipayplus-test-private.pem')),
};
const publicKeys: Record<string, KeyObject> = {
  'acqp-test-public.pem': loadPublicKey(pem('acqp-test-public.pem')),
  'alipayplus-test-public.pem': loadPublicKey(pem('alipayplus-test-public.pem')),
};
const ACQP_PRIVATE = privateKeys['acqp-test-private.pem'];
const ACQP_PUBLIC = publicKeys['acqp-test-public.pem'];
const APS_PRIVATE = privateKeys['alipayplus-test-private.pem'];
const APS_PUBLIC = publicKeys['alipayplus-test-public.pem'];

const vectorCases = vectors.map((v) => [v.name, v] as const);
const messageOf = (v: SignatureVector): SignedMessage => ({
  method: v.method,
  path: v.path,
  clientId: v.clientId,
  time: v.time,
  body: v.body,
});
const lowerCaseEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const flipByte = (buf: Buffer, index: number) => {
  const copy = Buffer.from(buf);
  copy[index] ^= 0x01;
  return copy;
};

/** The first vector: ACQP-signed cancelToken request. */
const BASE = vectors[0];
const BASE_MESSAGE = messageOf(BASE);
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

describe(signMessage.name, () => {
  const sut = signMessage;

  it.each(vectorCases)('reproduces the vector signature byte for byte: %s', (_name, vector) => {
    const signature = sut(messageOf(vector), privateKeys[vector.signedBy]);

    expect(signature).toBe(vector.signatureBase64);
    expect(formatSignatureHeader(signature)).toBe(vector.signatureHeader);
  });

  it.each(vectorCases)('gives the same signature for the body as a Buffer: %s', (_name, vector) => {
    const message = { ...messageOf(vector), body: Buffer.from(vector.body, 'utf8') };

    expect(sut(message, privateKeys[vector.signedBy])).toBe(vector.signatureBase64);
  });
});

describe(verifyMessage.name, () => {
  const sut = verifyMessage;

  it.each(vectorCases)('verifies the vector signature with the verifyWith key: %s', (_name, vector) => {
    expect(sut(messageOf(vector), vector.signatureBase64, [publicKeys[vector.verifyWith]])).toBe(true);
  });

  it.each(vectorCases)('verifies the signature decoded from the vector header: %s', (_name, vector) => {
    const parsed = parseSignatureHeader(vector.signatureHeader);

    expect(sut(messageOf(vector), parsed!.signature, [publicKeys[vector.verifyWith]])).toBe(true);
  });

  it.each(vectorCases)('fails the vector against the other key: %s', (_name, vector) => {
    const otherKey = vector.verifyWith === 'acqp-test-public.pem' ? APS_PUBLIC : ACQP_PUBLIC;

    expect(sut(messageOf(vector), vector.signatureBase64, [otherKey])).toBe(false);
  });

  it.each(vectorCases)('fails when any single body byte changes: %s', (_name, vector) => {
    const body = Buffer.from(vector.body, 'utf8');
    for (const index of [0, Math.floor(body.length / 2), body.length - 1]) {
      const tampered = { ...messageOf(vector), body: flipByte(body, index) };

      expect(sut(tampered, vector.signatureBase64, [publicKeys[vector.verifyWith]])).toBe(false);
    }
  });

  it.each([
    ['time', { time: '2026-11-22T10:15:31+08:00' }],
    ['time, same instant written in another zone', { time: '2026-11-22T02:15:30Z' }],
    ['client id', { clientId: 'SANDBOX_5YC47N2ZQHJ004125' }],
    ['path', { path: '/aps/api/v1/authorizations/authNotify' }],
    ['path, query string added', { path: '/aps/api/v1/authorizations/cancelToken?x=1' }],
    ['method', { method: 'PUT' }],
    ['method case', { method: 'post' }],
    ['body, re-serialised with a trailing newline', { body: `${BASE.body}\n` }],
    ['body, re-serialised pretty-printed', { body: JSON.stringify(JSON.parse(BASE.body), null, 3) }],
  ])('fails when the %s differs', (_case, change) => {
    expect(sut({ ...BASE_MESSAGE, ...change }, BASE.signatureBase64, [ACQP_PUBLIC])).toBe(false);
  });

  it('fails with the right key when the signature has one bit flipped', () => {
    const flipped = flipByte(Buffer.from(BASE.signatureBase64, 'base64'), 17).toString('base64');

    expect(sut(BASE_MESSAGE, flipped, [ACQP_PUBLIC])).toBe(false);
  });

  it('verifies during a rotation when signed by the previous key', () => {
    const current = APS_PUBLIC;
    const previous = ACQP_PUBLIC;

    expect(sut(BASE_MESSAGE, BASE.signatureBase64, [current, previous])).toBe(true);
    expect(sut(BASE_MESSAGE, BASE.signatureBase64, [current])).toBe(false);
  });

  it('accepts a private key in the list, as Node derives its public half', () => {
    expect(sut(BASE_MESSAGE, BASE.signatureBase64, [ACQP_PRIVATE])).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['not base64', '!!!not-base64!!!'],
    ['base64 with a space', BASE.signatureBase64.replace('/', ' ')],
    ['still URL-encoded', encodeURIComponent(BASE.signatureBase64)],
    ['base64url', Buffer.from(BASE.signatureBase64, 'base64').toString('base64url')],
    ['valid base64 of the wrong length', 'AAAA'],
    ['truncated', BASE.signatureBase64.slice(0, 340)],
  ])('returns false, without throwing, for a malformed signature: %s', (_case, signature) => {
    expect(sut(BASE_MESSAGE, signature, [ACQP_PUBLIC])).toBe(false);
  });

  it('returns false, without throwing, with no keys or a key of another type', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;

    expect(sut(BASE_MESSAGE, BASE.signatureBase64, [])).toBe(false);
    expect(sut(BASE_MESSAGE, BASE.signatureBase64, [ec])).toBe(false);
    expect(sut(BASE_MESSAGE, BASE.signatureBase64, [ec, ACQP_PUBLIC])).toBe(true);
  });

  it('returns false, without throwing, for a non-string signature', () => {
    expect(sut(BASE_MESSAGE, undefined as unknown as string, [ACQP_PUBLIC])).toBe(false);
  });
});

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

describe(signedResponseHeaders.name, () => {
  const sut = signedResponseHeaders;
  const response: SignedMessage = {
    method: 'POST',
    path: '/aps/api/v1/authorizations/authNotify',
    clientId: 'SANDBOX_5YC47N2ZQHJ004124',
    time: '2026-11-22T02:15:30.412Z',
    body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}',
  };

  it('reproduces the acknowledgement vector, with lower-case header names only', () => {
    const ack = vectors.find((v) => v.name.startsWith('authNotify acknowledgement'))!;

    const headers = sut(messageOf(ack), ACQP_PRIVATE);

    expect(headers).toEqual({
      'client-id': ack.clientId,
      'response-time': ack.time,
      signature: ack.signatureHeader,
      'content-type': 'application/json; charset=UTF-8',
    });
    for (const name of Object.keys(headers)) expect(name).toBe(name.toLowerCase());
  });

  it('writes the key version and is verified as a response', () => {
    const headers = sut(response, APS_PRIVATE, '2');
    const received: InboundRequest = { method: 'POST', path: response.path, headers, rawBody: Buffer.from(response.body) };

    expect(headers.signature).toMatch(/^algorithm=RSA256,keyVersion=2,signature=/);
    expect(
      verifyInboundRequest(received, {
        publicKeys: [APS_PUBLIC],
        nowMs: parseMessageTime(response.time)!,
        skewMs: SKEW_MS,
        timeHeader: 'response-time',
      }),
    ).toMatchObject({ ok: true });
  });
});

describe(signedRequestHeaders.name, () => {
  const sut = signedRequestHeaders;

  it.each(vectorCases)('reproduces the vector headers: %s', (_name, vector) => {
    expect(sut(messageOf(vector), privateKeys[vector.signedBy])).toEqual({
      'Content-Type': 'application/json; charset=UTF-8',
      'Client-Id': vector.clientId,
      'Request-Time': vector.time,
      Signature: vector.signatureHeader,
    });
  });

  it('is verified once Node has lower-cased the names', () => {
    const headers = sut(BASE_MESSAGE, ACQP_PRIVATE);
    const lowered = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    const received: InboundRequest = { method: BASE.method, path: BASE.path, headers: lowered, rawBody: Buffer.from(BASE.body) };

    expect(verifyInboundRequest(received, { publicKeys: [ACQP_PUBLIC], nowMs: BASE_NOW, skewMs: SKEW_MS })).toMatchObject({
      ok: true,
    });
  });
});
