import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../common/keyset-page';
import type { MerchantStatus } from '../../merchants/merchant.entity';
import type { SubMerchantView } from '../../merchants/merchant.views';

export class SubMerchantResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) merchantId: string;
  @ApiProperty() merchantAccountId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status: MerchantStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(v: SubMerchantView): SubMerchantResponse {
    return {
      id: v.id,
      merchantId: v.merchantId,
      merchantAccountId: v.merchantAccountId,
      name: v.name,
      status: v.status,
      createdAt: v.createdAt.toISOString(),
      updatedAt: v.updatedAt.toISOString(),
    };
  }
}

export class SubMerchantPageResponse {
  @ApiProperty({ type: [SubMerchantResponse] }) items: SubMerchantResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;

  static from(page: Page<SubMerchantView>): SubMerchantPageResponse {
    return { items: page.items.map((v) => SubMerchantResponse.from(v)), nextCursor: page.nextCursor };
  }
}
