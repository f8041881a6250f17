import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOKEN_STATUS_TYPES, TOKEN_STATUSES } from '../authorizations/token-state';
import { CANCEL_SOURCES } from '../protocol/notification-types';
import { DELIVERY_STATUSES } from '../callbacks/delivery.entity';
import { ProtocolResultResponse } from '../http/protocol-route.decorator';

/** Antom `query` (AlipayAuthQueryTokenResponse); the token fields only with an S result. */
export class TokenQueryResponse {
  @ApiProperty({ type: ProtocolResultResponse }) result: ProtocolResultResponse;
  @ApiPropertyOptional({ description: 'The token asked about.' }) accessToken?: string;
  @ApiPropertyOptional({ format: 'date-time' }) accessTokenExpiryTime?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'The refresh token itself is never answered: the gateway keeps it.' })
  refreshTokenExpiryTime?: string;
  @ApiPropertyOptional({ enum: TOKEN_STATUS_TYPES, description: 'CANCELING: a revoke is being settled with Alipay+; EXPIRED: past accessTokenExpiryTime.' })
  tokenStatusType?: string;
}

export class CallbackDeliverySummaryResponse {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: Number, nullable: true }) lastHttpStatus: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
}

/** Our `status` extension; the token fields only with an S result. */
export class TokenStatusResponse {
  @ApiProperty({ type: ProtocolResultResponse }) result: ProtocolResultResponse;
  @ApiPropertyOptional({ enum: TOKEN_STATUSES }) tokenStatus?: string;
  @ApiPropertyOptional({ enum: CANCEL_SOURCES }) tokenCancelSource?: string;
  @ApiPropertyOptional({ format: 'date-time' }) canceledAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) accessTokenExpiryTime?: string;
  @ApiPropertyOptional({ type: [CallbackDeliverySummaryResponse], description: 'The latest 20 callback deliveries about this token.' })
  callbackDeliveries?: CallbackDeliverySummaryResponse[];
}

/** Antom `consult` (AlipayAuthConsultResponse); the URLs only with an S result. */
export class ConsultResponse {
  @ApiProperty({ type: ProtocolResultResponse }) result: ProtocolResultResponse;
  @ApiPropertyOptional({ description: "The wallet's authorization page: send the user there." }) authUrl?: string;
  @ApiPropertyOptional() normalUrl?: string;
  @ApiPropertyOptional() schemeUrl?: string;
  @ApiPropertyOptional() applinkUrl?: string;
  @ApiPropertyOptional() appIdentifier?: string;
}

/** Antom `applyToken` (AlipayAuthApplyTokenResponse); the token fields only with an S result. */
export class ApplyTokenResponse {
  @ApiProperty({ type: ProtocolResultResponse }) result: ProtocolResultResponse;
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional({ format: 'date-time' }) accessTokenExpiryTime?: string;
  @ApiPropertyOptional({ description: 'For applyToken with grantType REFRESH_TOKEN, before refreshTokenExpiryTime.' }) refreshToken?: string;
  @ApiPropertyOptional({ format: 'date-time' }) refreshTokenExpiryTime?: string;
  @ApiPropertyOptional() userLoginId?: string;
}
