import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SandboxMaterial {
  readonly dir: string;
  readonly acqpPrivatePem: string;
  readonly acqpPublicPem: string;
  readonly simulatorPrivatePem: string;
  readonly simulatorPublicPem: string;
  readonly gatewayPrivatePem: string;
  readonly gatewayPublicPem: string;
  readonly tokenEncryptionKey: string;
  readonly adminToken: string;
}

/**
 * Sandbox keys and secrets, generated on first start and reused after, so a
 * restart keeps decrypting what it stored and merchants keep their keys.
 * Development only: `NODE_ENV=production` never reaches this.
 */
export function ensureSandboxMaterial(dir: string): SandboxMaterial {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPair = (name: string): [string, string] => {
    const privatePath = join(dir, `${name}-private.pem`);
    const publicPath = join(dir, `${name}-public.pem`);
    if (!existsSync(privatePath) || !existsSync(publicPath)) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      writeFileSync(privatePath, privateKey, { mode: 0o600 });
      writeFileSync(publicPath, publicKey, { mode: 0o644 });
    }
    return [readFileSync(privatePath, 'utf8'), readFileSync(publicPath, 'utf8')];
  };
  const secret = (name: string, make: () => string): string => {
    const path = join(dir, name);
    if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600 });
    return readFileSync(path, 'utf8').trim();
  };
  const [acqpPrivatePem, acqpPublicPem] = keyPair('acqp');
  const [simulatorPrivatePem, simulatorPublicPem] = keyPair('alipayplus-simulator');
  const [gatewayPrivatePem, gatewayPublicPem] = keyPair('gateway');
  return {
    dir,
    acqpPrivatePem,
    acqpPublicPem,
    simulatorPrivatePem,
    simulatorPublicPem,
    gatewayPrivatePem,
    gatewayPublicPem,
    tokenEncryptionKey: secret('token-encryption.key', () => randomBytes(32).toString('base64')),
    adminToken: secret('admin-api-token', () => randomBytes(24).toString('base64url')),
  };
}
