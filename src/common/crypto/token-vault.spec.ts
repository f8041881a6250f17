import { randomBytes } from 'node:crypto';
import { TokenVault } from './token-vault';

const key = (fill: number, id: string) => ({ id, key: Buffer.alloc(32, fill) });
const vault = (current = key(1, 'k1'), previous: { id: string; key: Buffer }[] = []) =>
  new TokenVault({ tokenEncryption: { current, previous, lookupKey: Buffer.alloc(32, 9) } });

describe(TokenVault.name, () => {
  it('round-trips and never stores the plain text', () => {
    const sut = vault();
    const token = '281010033AB2F588D14B43238637264FCA5A1234';
    const sealed = sut.encrypt(token);
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain(token);
    expect(sut.decrypt(sealed)).toBe(token);
  });

  it('uses a fresh IV each time', () => {
    const sut = vault();
    expect(sut.encrypt('same')).not.toBe(sut.encrypt('same'));
  });

  it('decrypts with a previous key after a rotation and encrypts with the new one', () => {
    const sealedOld = vault(key(1, 'k1')).encrypt('token-a');
    const sut = vault(key(2, 'k2'), [key(1, 'k1')]);
    expect(sut.decrypt(sealedOld)).toBe('token-a');
    expect(sut.encrypt('token-b')).toMatch(/^v1\.k2\./);
  });

  it('refuses tampered ciphertext and unknown keys', () => {
    const sut = vault();
    const sealed = sut.encrypt('token');
    const parts = sealed.split('.');
    parts[3] = randomBytes(5).toString('base64url');
    expect(() => sut.decrypt(parts.join('.'))).toThrow();
    expect(() => vault(key(3, 'k3')).decrypt(sealed)).toThrow(/key id k1/);
  });

  it('hashes deterministically per kind, independent of the encryption key', () => {
    const a = vault(key(1, 'k1'));
    const b = vault(key(2, 'k2'));
    expect(a.lookupHash('access-token', 'x')).toBe(b.lookupHash('access-token', 'x'));
    expect(a.lookupHash('access-token', 'x')).not.toBe(a.lookupHash('auth-code', 'x'));
    expect(a.lookupHash('access-token', 'x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
