import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { MaxChars, OptionalString, RequiredString } from '../common/validation';
import { AUTH_NOTIFY_TYPES, CANCEL_SOURCES, notificationType, typesRequiring, type CancelSource, type NotificationType } from '../protocol/notification-types';
import { IsProtocolTime } from './protocol-time.validator';

export type AuthNotifyType = NotificationType;

/** "Required for X and Y.": the types whose notices must carry `field` (NOTIFICATION_TYPES). */
const requiredFor = (field: Parameters<typeof typesRequiring>[0]) => `Required for ${typesRequiring(field).join(' and ')}.`;

export class WalletLogoDto {
  @OptionalString(128) logoName?: string | null;
  @OptionalString(2048) logoUrl?: string | null;
}

export class WalletForAccountBindingDto {
  @OptionalString(128) walletName?: string | null;
  @OptionalString(128) walletBrandName?: string | null;
  @ApiPropertyOptional({ type: WalletLogoDto, nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => WalletLogoDto)
  walletLogo?: WalletLogoDto | null;
}

/**
 * Alipay+ `authNotify` request body, every scenario of NOTIFICATION_TYPES
 * (alipayplus-authnotify-scenarios), which says what each type requires: the
 * auth code or the access token, and for a cancellation its source. Unknown
 * extra fields are accepted, so a field Alipay+ adds later never turns a
 * notification away.
 */
export class AuthNotifyDto {
  @ApiProperty({ enum: AUTH_NOTIFY_TYPES })
  @IsIn(AUTH_NOTIFY_TYPES, { message: `authorizationNotifyType must be one of ${AUTH_NOTIFY_TYPES.join(', ')}` })
  authorizationNotifyType: AuthNotifyType;

  @OptionalString(64) authClientId?: string | null;
  /** 32 in most editions of the reference, 64 in some: accept 64. */
  @OptionalString(64) referenceMerchantId?: string | null;
  @OptionalString(64) referenceAgreementId?: string | null;
  @OptionalString(64) acquirerId?: string | null;
  @OptionalString(64) pspId?: string | null;
  @OptionalString(64) customerId?: string | null;

  @ApiPropertyOptional({ description: requiredFor('authCode') })
  @ValidateIf((o: AuthNotifyDto) => notificationType(o.authorizationNotifyType)?.subject === 'authCode')
  @RequiredString(128)
  authCode?: string;
  @OptionalString(256) authState?: string | null;

  @ApiPropertyOptional({ description: requiredFor('accessToken') })
  // An unknown type is checked as a token notice too: the answer names every problem at once.
  @ValidateIf((o: AuthNotifyDto) => notificationType(o.authorizationNotifyType)?.subject !== 'authCode')
  @RequiredString(128)
  accessToken?: string;

  @IsProtocolTime() accessTokenExpiryTime?: string | null;
  @OptionalString(128) refreshToken?: string | null;
  @IsProtocolTime() refreshTokenExpiryTime?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 32, nullable: true, example: ['AGREEMENT_PAY', 'USER_LOGIN_ID'] })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxChars(64, { each: true })
  scopes?: string[] | null;

  @OptionalString(64) userLoginId?: string | null;

  @ApiPropertyOptional({ type: WalletForAccountBindingDto, nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => WalletForAccountBindingDto)
  walletForAccountBinding?: WalletForAccountBindingDto | null;

  @ApiPropertyOptional({ enum: CANCEL_SOURCES, description: requiredFor('tokenCancelSource') })
  @ValidateIf((o: AuthNotifyDto) => notificationType(o.authorizationNotifyType)?.requiresCancelSource === true)
  @IsIn(CANCEL_SOURCES, { message: `tokenCancelSource must be ${CANCEL_SOURCES.join(' or ')}` })
  tokenCancelSource?: CancelSource;
}

/** Alipay+ `consultUnbinding` request body: every field required. */
export class ConsultUnbindingDto {
  @RequiredString(64) authClientId: string;
  @RequiredString(64) referenceMerchantId: string;
  @RequiredString(128) accessToken: string;
  @RequiredString(64) acquirerId: string;
  @RequiredString(64) pspId: string;
}
