import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';
import type { MerchantStatus } from './merchant.entity';

@Entity('sub_merchants')
export class SubMerchantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36 }) merchantId: string;
  /** The `merchantAccountId` the merchant sends for this sub-merchant. */
  @Column({ name: 'merchant_account_id', type: 'varchar', length: 64 }) merchantAccountId: string;
  @Column({ type: 'varchar', length: 128 }) name: string;
  @Column({ type: 'varchar', length: 16 }) status: MerchantStatus;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
