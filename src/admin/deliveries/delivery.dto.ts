import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { Omittable } from '../http/dto-rules';
import { PageQuery } from '../http/page.dto';

export class DeliveryListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'FAILED', description: 'A delivery status, e.g. PENDING, LEASED, DELIVERED, FAILED.' })
  @Omittable()
  @Matches(/^[A-Z_]{1,16}$/, { message: 'must be a delivery status such as PENDING or FAILED' })
  status?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsString()
  @MaxLength(36)
  endpointId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsString()
  @MaxLength(36)
  merchantId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after (ISO 8601).' })
  @Omittable()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before (ISO 8601).' })
  @Omittable()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  until?: string;
}
