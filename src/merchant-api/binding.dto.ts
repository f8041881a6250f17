import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsString, ValidateIf } from 'class-validator';
import { GRANT_TYPES, type GrantType } from '../alipayplus/authorization.transformers';
import { MaxChars, OptionalString, RequiredString } from '../common/validation';

export const TERMINAL_TYPES = ['WEB', 'WAP', 'APP', 'MINI_APP'] as const;

/**
 * Antom `consult` (AlipayAuthConsultRequest). Fields the SDKs send that the
 * gateway does not forward (recurringPayment, authMetaData, env, authNotifyUrl)
 * are accepted and left alone: the gateway's own callbacks carry the outcome.
 */
export class ConsultDto {
  /** The wallet, e.g. ALIPAY_CN, GCASH. */
  @RequiredString(64) customerBelongsTo: string;
  @RequiredString(1024) authRedirectUrl: string;
  @ApiProperty({ type: [String], minItems: 1, maxItems: 8, example: ['AGREEMENT_PAY'] })
  @IsArray({ message: 'scopes is required and must be an array of strings' })
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(8)
  @IsString({ each: true, message: 'each scope must be a string' })
  @IsNotEmpty({ each: true, message: 'a scope must not be an empty string' })
  @MaxChars(64, { each: true })
  scopes: string[];
  /** Echoed by Alipay+ in AUTHCODE_CREATED and the redirect: the gateway traces the binding by it. */
  @RequiredString(256) authState: string;
  @ApiProperty({ enum: TERMINAL_TYPES })
  @IsIn(TERMINAL_TYPES, { message: `terminalType must be one of ${TERMINAL_TYPES.join(', ')}` })
  terminalType: string;
  /** The auth client at Alipay+; default the merchant's referenceMerchantId. */
  @OptionalString(64) authClientId?: string | null;
  @OptionalString(16) osType?: string | null;
  @OptionalString(16) osVersion?: string | null;
  @OptionalString(2) merchantRegion?: string | null;
  @OptionalString(64) merchantAccountId?: string | null;
  @OptionalString(2048) extendInfo?: string | null;
}

/** Antom `applyToken` (AlipayAuthApplyTokenRequest): an auth code, or a refresh token, for an access token. */
export class ApplyTokenDto {
  @ApiProperty({ enum: GRANT_TYPES })
  @IsIn(GRANT_TYPES, { message: `grantType must be one of ${GRANT_TYPES.join(', ')}` })
  grantType: GrantType;
  @RequiredString(64) customerBelongsTo: string;
  @ApiPropertyOptional({ description: 'Required with grantType AUTHORIZATION_CODE.' })
  @ValidateIf((o: ApplyTokenDto) => o.grantType === 'AUTHORIZATION_CODE')
  @RequiredString(128)
  authCode?: string;
  @ApiPropertyOptional({ description: 'Required with grantType REFRESH_TOKEN.' })
  @ValidateIf((o: ApplyTokenDto) => o.grantType === 'REFRESH_TOKEN')
  @RequiredString(128)
  refreshToken?: string;
  @OptionalString(2) merchantRegion?: string | null;
  @OptionalString(64) merchantAccountId?: string | null;
  @OptionalString(2048) extendInfo?: string | null;
}
