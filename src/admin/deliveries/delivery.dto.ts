import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, MaxLength } from 'class-validator';
import { DELIVERY_STATUSES } from '../../callbacks/delivery.entity';
import { Omittable } from '../http/dto-rules';
import { PageQuery } from '../http/page.dto';

export class DeliveryListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @Omittable()
  @IsIn(DELIVERY_STATUSES, { message: `must be one of ${DELIVERY_STATUSES.join(', ')}` })
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
