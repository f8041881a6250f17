import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { EncryptionKey, GatewayConfig, TokenEncryptionConfig } from '../../config/gateway-config';

/** What a look-up hash is of; part of the HMAC input so equal values of different kinds never collide. */
export type SecretKind = 'access-token' | 'auth-code' | 'refresh-token' | 'endpoint-secret' | 'operator-token' | 'console-session' | 'console-csrf';

/**
 * Tokens and auth codes at rest: AES-256-GCM under the current key, with the
 * key id in the ciphertext so older keys keep decrypting during a rotation,
 * and an HMAC-SHA256 look-up hash so a record is found without decrypting.
 *
 * Ciphertext format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
@Injectable()
export class TokenVault {
  private readonly keys: Map<string, Buffer>;
  private readonly current: EncryptionKey;
  private readonly lookupKey: Buffer;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig | { tokenEncryption: TokenEncryptionConfig }) {
    const enc = config.tokenEncryption;
    this.current = enc.current;
    this.lookupKey = enc.lookupKey;
    this.keys = new Map([enc.current, ...enc.previous].map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return `v1.${this.current.id}.${parts.join('.')}`;
  }

  decrypt(sealed: string): string {
    const [version, keyId, iv, body, tag] = sealed.split('.');
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (version !== 'v1' || !key || iv === undefined || body === undefined || tag === undefined) {
      throw new Error(`cannot decrypt: unknown format or key id ${keyId ?? '?'}`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash for look-ups: 64 hex characters. */
  lookupHash(kind: SecretKind, value: string): string {
    return createHmac('sha256', this.lookupKey).update(kind).update('\0').update(value).digest('hex');
  }
}
