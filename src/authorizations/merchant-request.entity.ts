import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/** One merchant API call about a token and our answer, for the support timeline. */
@Entity('merchant_requests')
export class MerchantRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36 }) merchantId: string;
  @Column({ name: 'authorization_id', type: 'varchar', length: 36, nullable: true }) authorizationId: string | null;
  @Column({ type: 'varchar', length: 32 }) api: string;
  @Column({ name: 'result_status', type: 'varchar', length: 1 }) resultStatus: string;
  @Column({ name: 'result_code', type: 'varchar', length: 64 }) resultCode: string;
  @TimeColumn('received_at') receivedAt: Date;
}
