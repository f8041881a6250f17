import { createSecretKey, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidKeyError, keyFingerprint, loadPrivateKey, loadPublicKey, publicKeyFromPrivate } from './signing-keys';

const VECTORS_DIR = join(__dirname, '../../test/fixtures/vectors');
const pem = (file: string) => readFileSync(join(VECTORS_DIR, file), 'utf8');

const PRIVATE_PEM = pem('acqp-test-private.pem');
const PUBLIC_PEM = pem('acqp-test-public.pem');
const OTHER_PRIVATE_PEM = pem('alipayplus-test-private.pem');

/** PEM body without armour and line breaks: the bare base64 DER form Antom hands out. */
const bareBase64 = (pemText: string) => pemText.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
const wrap = (text: string, width: number, eol: string) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join(eol);
const der = (key: KeyObject) => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'der' });

const DATA = Buffer.from('POST /p\nC.2026-11-22T02:15:30Z.{}');
const REFERENCE_SIGNATURE = sign('sha256', DATA, loadPrivateKey(PRIVATE_PEM));

/** Asserts the call throws InvalidKeyError and that no chunk of the key text leaks into its message. */
function expectInvalidKey(load: () => unknown, keyText: string): void {
  let error: unknown;
  try {
    load();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(InvalidKeyError);
  const message = (error as Error).message;
  expect(message.length).toBeGreaterThan(0);
  const compact = bareBase64(keyText);
  for (let i = 0; i + 12 <= compact.length; i += 6) {
    expect(message).not.toContain(compact.slice(i, i + 12));
  }
  if (keyText.trim().length >= 6) expect(message).not.toContain(keyText.trim());
}

describe(loadPrivateKey.name, () => {
  const sut = loadPrivateKey;
  const reference = sut(PRIVATE_PEM);
  const pkcs1Pem = reference.export({ type: 'pkcs1', format: 'pem' }) as string;
  const pkcs1Der = (reference.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64');

  it.each([
    ['PEM PKCS#8', PRIVATE_PEM],
    ['PEM PKCS#1', pkcs1Pem],
    ['PEM with CRLF line ends and surrounding blank lines', `\r\n\n${PRIVATE_PEM.replace(/\n/g, '\r\n')}\n\n`],
    ['PEM with literal \\n escapes (env file)', PRIVATE_PEM.trim().replace(/\n/g, '\\n')],
    ['bare base64 PKCS#8 DER', bareBase64(PRIVATE_PEM)],
    ['bare base64 PKCS#8 DER with newlines inside', wrap(bareBase64(PRIVATE_PEM), 64, '\n')],
    ['bare base64 PKCS#8 DER with CRLF and spaces', `  ${wrap(bareBase64(PRIVATE_PEM), 76, ' \r\n ')}  `],
    ['bare base64 PKCS#1 DER', pkcs1Der],
  ])('loads %s as the same key', (_case, text) => {
    const key = sut(text);

    expect(key.type).toBe('private');
    expect(pkcs1Pem).toContain('BEGIN RSA PRIVATE KEY');
    expect(der(key)).toEqual(der(reference));
    expect(sign('sha256', DATA, key)).toEqual(REFERENCE_SIGNATURE);
  });

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ed25519 = generateKeyPairSync('ed25519');
  const encrypted = reference.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' });

  it.each([
    ['garbage', 'this is not a key at all'],
    ['empty', ''],
    ['blank', '  \n '],
    ['base64 that is not a key', randomBytes(300).toString('base64')],
    ['truncated PEM', PRIVATE_PEM.slice(0, 400) + '\n-----END PRIVATE KEY-----\n'],
    ['a public key', PUBLIC_PEM],
    ['a public key as bare base64', bareBase64(PUBLIC_PEM)],
    ['an encrypted private key', encrypted as string],
    ['an EC key (PEM)', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string],
    ['an EC key (SEC1 PEM)', ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string],
    ['an EC key (bare base64)', (ec.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64')],
    ['an Ed25519 key', ed25519.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string],
    ['a 1024-bit RSA key (PEM)', rsa1024.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string],
    ['a 1024-bit RSA key (bare base64)', (rsa1024.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64')],
  ])('rejects %s with InvalidKeyError, without echoing the key', (_case, text) => {
    expectInvalidKey(() => sut(text), text);
  });

  it('rejects an RSA-PSS key, which cannot make PKCS#1 v1.5 signatures', () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const text = pss.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

    expectInvalidKey(() => sut(text), text);
  });

  it('says why a key is refused', () => {
    expect(() => sut(rsa1024.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(/1024 bits/);
    expect(() => sut(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(/expected an RSA key, got ec/);
    expect(() => sut(PUBLIC_PEM)).toThrow(/PUBLIC KEY/);
  });
});

describe(loadPublicKey.name, () => {
  const sut = loadPublicKey;
  const reference = sut(PUBLIC_PEM);
  const pkcs1Pem = reference.export({ type: 'pkcs1', format: 'pem' }) as string;
  const pkcs1Der = (reference.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64');

  it.each([
    ['PEM SPKI', PUBLIC_PEM],
    ['PEM PKCS#1 (BEGIN RSA PUBLIC KEY)', pkcs1Pem],
    ['PEM with literal \\n escapes (env file)', PUBLIC_PEM.trim().replace(/\n/g, '\\n')],
    ['bare base64 SPKI DER', bareBase64(PUBLIC_PEM)],
    ['bare base64 SPKI DER with newlines inside', wrap(bareBase64(PUBLIC_PEM), 64, '\n')],
    ['bare base64 PKCS#1 DER', pkcs1Der],
  ])('loads %s as the same key', (_case, text) => {
    const key = sut(text);

    expect(key.type).toBe('public');
    expect(pkcs1Pem).toContain('BEGIN RSA PUBLIC KEY');
    expect(der(key)).toEqual(der(reference));
  });

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });

  it.each([
    ['garbage', 'not-a-key'],
    ['base64 that is not a key', randomBytes(270).toString('base64')],
    ['a private key (PEM)', PRIVATE_PEM],
    ['a private key (bare base64)', bareBase64(PRIVATE_PEM)],
    ['an EC public key', ec.publicKey.export({ type: 'spki', format: 'pem' }) as string],
    ['an EC public key (bare base64)', (ec.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64')],
    ['a 1024-bit RSA public key', rsa1024.publicKey.export({ type: 'spki', format: 'pem' }) as string],
    ['a 1024-bit RSA public key (bare base64)', (rsa1024.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64')],
  ])('rejects %s with InvalidKeyError, without echoing the key', (_case, text) => {
    expectInvalidKey(() => sut(text), text);
  });
});

describe(publicKeyFromPrivate.name, () => {
  const sut = publicKeyFromPrivate;

  it('derives the matching public key', () => {
    expect(der(sut(loadPrivateKey(PRIVATE_PEM)))).toEqual(der(loadPublicKey(PUBLIC_PEM)));
  });

  it('returns a public key unchanged', () => {
    const publicKey = loadPublicKey(PUBLIC_PEM);

    expect(sut(publicKey)).toBe(publicKey);
  });

  it('refuses a secret key', () => {
    expect(() => sut(createSecretKey(randomBytes(32)))).toThrow(InvalidKeyError);
  });
});

describe(keyFingerprint.name, () => {
  const sut = keyFingerprint;

  it('is 16 hex chars, the same for a private key and its public half', () => {
    const fromPrivate = sut(loadPrivateKey(PRIVATE_PEM));

    expect(fromPrivate).toMatch(/^[0-9a-f]{16}$/);
    expect(sut(loadPublicKey(PUBLIC_PEM))).toBe(fromPrivate);
  });

  it('differs between keys', () => {
    expect(sut(loadPrivateKey(OTHER_PRIVATE_PEM))).not.toBe(sut(loadPrivateKey(PRIVATE_PEM)));
  });

  it('is not a piece of the key', () => {
    expect(bareBase64(PUBLIC_PEM).toLowerCase()).not.toContain(sut(loadPublicKey(PUBLIC_PEM)));
    expect(der(loadPublicKey(PUBLIC_PEM)).toString('hex')).not.toContain(sut(loadPublicKey(PUBLIC_PEM)));
  });
});
