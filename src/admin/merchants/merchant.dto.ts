import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ConsultPolicy, MerchantStatus } from '../../merchants/merchant.entity';
import type { MerchantChanges, NewMerchant } from '../../merchants/merchant.commands';
import { DEFAULT_MERCHANT_RATE_PER_SECOND } from '../../merchant-api/rate-limiter';
import { Nullable, Omittable, Text } from '../http/dto-rules';

const CONSULT_POLICIES: ConsultPolicy[] = ['ALLOW', 'DENY', 'ASK'];
const STATUSES: MerchantStatus[] = ['ACTIVE', 'DISABLED'];
/** A 4096-bit key in PEM is about 800 characters; this leaves room for PKCS#1 and line breaks. */
const MAX_KEY_LENGTH = 8192;
/** Far above any real per-merchant limit; guards against a typo of extra zeros. */
const MAX_RATE_LIMIT = 100_000;

const keyDoc = 'RSA public key, 2048 bits or more: PEM (SPKI or PKCS#1) or bare base64 DER as the Antom dashboard shows it.';
const consultDoc = 'ALLOW/DENY answer Alipay+ consultUnbinding at once; ASK asks the merchant at consultUrl.';
const autoExchangeDoc =
  "true: the gateway exchanges this merchant's AUTHCODE_CREATED codes for tokens itself (Alipay+ applyToken) and sends TOKEN_CREATED callbacks. Default false.";
const rateDoc = `Signed API requests per second, per gateway instance, from 1 to ${MAX_RATE_LIMIT}; null: the default, ${DEFAULT_MERCHANT_RATE_PER_SECOND}/s.`;

function RateLimit(): PropertyDecorator {
  return applyDecorators(
    IsInt({ message: 'must be a whole number' }),
    Min(1, { message: `must be from 1 to ${MAX_RATE_LIMIT}` }),
    Max(MAX_RATE_LIMIT, { message: `must be from 1 to ${MAX_RATE_LIMIT}` }),
  );
}

export class CreateMerchantDto implements NewMerchant {
  @ApiProperty({ maxLength: 64, description: "The merchant's id at Alipay+ (unique)." })
  @Text(64)
  referenceMerchantId: string;

  @ApiProperty({ maxLength: 128 })
  @Text(128)
  name: string;

  @ApiProperty({ maxLength: 64, description: 'The `client-id` the merchant signs its API calls under (unique).' })
  @Text(64)
  clientId: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: keyDoc })
  @Nullable()
  @IsString({ message: 'must be a string' })
  @MaxLength(MAX_KEY_LENGTH, { message: `must be at most ${MAX_KEY_LENGTH} characters` })
  publicKey?: string | null;

  @ApiPropertyOptional({ enum: CONSULT_POLICIES, default: 'ALLOW', description: consultDoc })
  @Omittable()
  @IsIn(CONSULT_POLICIES, { message: `must be one of ${CONSULT_POLICIES.join(', ')}` })
  consultPolicy?: ConsultPolicy;

  @ApiPropertyOptional({ type: String, maxLength: 2048, nullable: true, description: 'http(s) URL (https in production); required for ASK.' })
  @Nullable()
  @Text(2048)
  consultUrl?: string | null;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_RATE_LIMIT, nullable: true, description: rateDoc })
  @Nullable()
  @RateLimit()
  rateLimitPerSecond?: number | null;

  @ApiPropertyOptional({ type: Boolean, description: autoExchangeDoc })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  autoExchange?: boolean;
}

export class UpdateMerchantDto implements MerchantChanges {
  @ApiPropertyOptional({ maxLength: 128 })
  @Omittable()
  @Text(128)
  name?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @Omittable()
  @IsIn(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
  status?: MerchantStatus;

  @ApiPropertyOptional({ enum: CONSULT_POLICIES, description: consultDoc })
  @Omittable()
  @IsIn(CONSULT_POLICIES, { message: `must be one of ${CONSULT_POLICIES.join(', ')}` })
  consultPolicy?: ConsultPolicy;

  @ApiPropertyOptional({ type: String, maxLength: 2048, nullable: true, description: 'null clears it (not allowed while consultPolicy is ASK).' })
  @Nullable()
  @Text(2048)
  consultUrl?: string | null;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_RATE_LIMIT, nullable: true, description: rateDoc })
  @Nullable()
  @RateLimit()
  rateLimitPerSecond?: number | null;

  @ApiPropertyOptional({ type: Boolean, description: autoExchangeDoc })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  autoExchange?: boolean;
}

export class RotateKeyDto {
  @ApiProperty({ description: `${keyDoc} The current key stays accepted as the previous one until the rotation ends.` })
  @IsString({ message: 'must be a string' })
  @MaxLength(MAX_KEY_LENGTH, { message: `must be at most ${MAX_KEY_LENGTH} characters` })
  publicKey: string;
}
