import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InboundRequest, signedRequestHeaders, signedResponseHeaders, signMessage, verifyInboundRequest, verifyMessage } from './message-signer';
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
