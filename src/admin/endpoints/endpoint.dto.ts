import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import type { EndpointStatus } from '../../merchants/callback-endpoint.entity';
import { DEFAULT_SIGNING_SCHEME, SIGNING_SCHEME_NAMES, SIGNING_SCHEMES, type SigningScheme } from '../../protocol/signing-schemes';
import type { EndpointChanges, NewEndpoint } from '../../merchants/merchant.commands';
import { DEFAULT_EVENT_TYPES, EVENT_TYPES, type NotificationType } from '../../protocol/notification-types';
import { Nullable, Omittable, Text } from '../http/dto-rules';
import { PageQuery } from '../http/page.dto';

const SCHEMES = SIGNING_SCHEME_NAMES;
const STATUSES: EndpointStatus[] = ['ACTIVE', 'DISABLED'];
const urlDoc = 'http(s) URL the gateway POSTs events to (https only in production).';

function EventTypes(): PropertyDecorator {
  return applyDecorators(
    IsArray({ message: 'must be an array' }),
    ArrayNotEmpty({ message: 'must name at least one event type' }),
    IsIn(EVENT_TYPES, { each: true, message: `must contain only ${EVENT_TYPES.join(', ')}` }),
  );
}

export class CreateEndpointDto implements NewEndpoint {
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "A sub-merchant of this merchant; absent: the merchant's own endpoint." })
  @Nullable()
  @IsString({ message: 'must be a string' })
  @MaxLength(36, { message: 'must be at most 36 characters' })
  subMerchantId?: string | null;

  @ApiProperty({ maxLength: 2048, description: urlDoc })
  @Text(2048)
  url: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, default: DEFAULT_EVENT_TYPES })
  @Omittable()
  @EventTypes()
  eventTypes?: NotificationType[];

  @ApiPropertyOptional({
    enum: SCHEMES,
    default: DEFAULT_SIGNING_SCHEME,
    description: SCHEMES.map((s) => `${s}: ${SIGNING_SCHEMES[s].description}.`).join(' '),
  })
  @Omittable()
  @IsIn(SCHEMES, { message: `must be one of ${SCHEMES.join(', ')}` })
  signingScheme?: SigningScheme;
}

export class UpdateEndpointDto implements EndpointChanges {
  @ApiPropertyOptional({ maxLength: 2048, description: urlDoc })
  @Omittable()
  @Text(2048)
  url?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true })
  @Omittable()
  @EventTypes()
  eventTypes?: NotificationType[];

  @ApiPropertyOptional({ enum: STATUSES })
  @Omittable()
  @IsIn(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
  status?: EndpointStatus;
}

export class EndpointListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this sub-merchant's endpoints." })
  @Omittable()
  @IsString()
  @MaxLength(36)
  subMerchantId?: string;
}
