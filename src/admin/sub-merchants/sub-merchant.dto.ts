import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { MerchantStatus } from '../../merchants/merchant.entity';
import type { NewSubMerchant, SubMerchantChanges } from '../../merchants/merchant.commands';
import { Omittable, Text } from '../http/dto-rules';

const STATUSES: MerchantStatus[] = ['ACTIVE', 'DISABLED'];

export class CreateSubMerchantDto implements NewSubMerchant {
  @ApiProperty({ maxLength: 64, description: 'The `merchantAccountId` the merchant sends for this sub-merchant (unique per merchant).' })
  @Text(64)
  merchantAccountId: string;

  @ApiProperty({ maxLength: 128 })
  @Text(128)
  name: string;
}

export class UpdateSubMerchantDto implements SubMerchantChanges {
  @ApiPropertyOptional({ maxLength: 128 })
  @Omittable()
  @Text(128)
  name?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @Omittable()
  @IsIn(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
  status?: MerchantStatus;
}
