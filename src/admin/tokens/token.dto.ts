import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Omittable, Text } from '../http/dto-rules';
import { PageQuery } from '../http/page.dto';

/** Alipay+ accessToken is at most 128 characters. */
const MAX_TOKEN_LENGTH = 128;

export class TokenLookupDto {
  @ApiProperty({ maxLength: MAX_TOKEN_LENGTH, description: 'The whole access token; it is hashed for the look-up and never echoed.' })
  @Text(MAX_TOKEN_LENGTH)
  accessToken: string;
}

export class TokenListQuery extends PageQuery {
  @ApiProperty({ maxLength: 64, description: "The wallet's customerId." })
  @Text(64)
  customerId: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this merchant's tokens." })
  @Omittable()
  @IsString()
  @MaxLength(36)
  merchantId?: string;
}
