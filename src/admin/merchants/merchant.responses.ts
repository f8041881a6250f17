import { ApiProperty } from '@nestjs/swagger';
import { DEFAULT_MERCHANT_RATE_PER_SECOND, effectiveRatePerSecond } from '../../merchant-api/rate-limiter';
import type { ConsultPolicy, MerchantStatus } from '../../merchants/merchant.entity';
import type { Page } from '../../common/keyset-page';
import type { MerchantView } from '../../merchants/merchant.views';

export class MerchantResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() referenceMerchantId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status: MerchantStatus;
  @ApiProperty() clientId: string;
  @ApiProperty({ nullable: true, type: String, description: 'First 16 hex of sha256(SPKI DER); the key itself is never returned.' })
  publicKeyFingerprint: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Set while a rotation is in progress: still accepted.' })
  previousPublicKeyFingerprint: string | null;
  @ApiProperty({ enum: ['ALLOW', 'DENY', 'ASK'] }) consultPolicy: ConsultPolicy;
  @ApiProperty({ nullable: true, type: String }) consultUrl: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'As set; null: the default applies.' }) rateLimitPerSecond: number | null;
  @ApiProperty({ description: `The limit that applies: rateLimitPerSecond, or the default ${DEFAULT_MERCHANT_RATE_PER_SECOND}/s (per instance).` })
  effectiveRateLimitPerSecond: number;
  @ApiProperty({ description: 'The gateway exchanges AUTHCODE_CREATED codes for tokens itself and sends TOKEN_CREATED callbacks.' }) autoExchange: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(v: MerchantView): MerchantResponse {
    return {
      id: v.id,
      referenceMerchantId: v.referenceMerchantId,
      name: v.name,
      status: v.status,
      clientId: v.clientId,
      publicKeyFingerprint: v.publicKeyFingerprint,
      previousPublicKeyFingerprint: v.previousPublicKeyFingerprint,
      consultPolicy: v.consultPolicy,
      consultUrl: v.consultUrl,
      rateLimitPerSecond: v.rateLimitPerSecond,
      effectiveRateLimitPerSecond: effectiveRatePerSecond(v.rateLimitPerSecond),
      autoExchange: v.autoExchange,
      createdAt: v.createdAt.toISOString(),
      updatedAt: v.updatedAt.toISOString(),
    };
  }
}

export class MerchantPageResponse {
  @ApiProperty({ type: [MerchantResponse] }) items: MerchantResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;

  static from(page: Page<MerchantView>): MerchantPageResponse {
    return { items: page.items.map((v) => MerchantResponse.from(v)), nextCursor: page.nextCursor };
  }
}
