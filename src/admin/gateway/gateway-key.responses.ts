import type { KeyObject } from 'node:crypto';
import { ApiProperty } from '@nestjs/swagger';
import { keyFingerprint, publicKeyFromPrivate } from '../../signing';

/**
 * The gateway's public key, which merchants give their Antom SDK as the
 * "Alipay public key": it verifies the gateway's answers and callbacks.
 */
export class GatewayPublicKeyResponse {
  @ApiProperty({ description: 'SPKI PEM, for openssl and for SDKs that take PEM.', example: '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n' })
  pem: string;

  @ApiProperty({
    description: 'The same key as bare base64 of its SPKI DER, one line: what the Java, Go, PHP, .NET and Python SDKs take as alipayPublicKey.',
  })
  base64: string;

  @ApiProperty({ description: 'First 16 hex of sha256(SPKI DER), as shown for merchant keys.', example: '3161073b926d7ba4' })
  fingerprint: string;

  @ApiProperty({ enum: ['RSA256'], description: 'The `algorithm` of every signature the gateway makes (SHA256withRSA).' })
  algorithm: 'RSA256';

  @ApiProperty({ example: '1', description: 'The `keyVersion` the gateway puts in its `signature` headers.' })
  keyVersion: string;

  static from(gatewayKey: KeyObject): GatewayPublicKeyResponse {
    const publicKey = publicKeyFromPrivate(gatewayKey);
    return {
      pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      base64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      fingerprint: keyFingerprint(publicKey),
      algorithm: 'RSA256',
      keyVersion: '1',
    };
  }
}
