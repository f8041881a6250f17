import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

export type MerchantStatus = 'ACTIVE' | 'DISABLED';
export type ConsultPolicy = 'ALLOW' | 'DENY' | 'ASK';

@Entity('merchants')
export class MerchantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  /** The merchant's id at Alipay+; tokens created under it belong to this merchant. */
  @Column({ name: 'reference_merchant_id', type: 'varchar', length: 64 }) referenceMerchantId: string;
  @Column({ type: 'varchar', length: 128 }) name: string;
  @Column({ type: 'varchar', length: 16 }) status: MerchantStatus;
  /** The `client-id` the merchant signs its API calls under. */
  @Column({ name: 'client_id', type: 'varchar', length: 64 }) clientId: string;
  @Column({ name: 'public_key', type: 'text', nullable: true }) publicKey: string | null;
  /** Still accepted during a key rotation. */
  @Column({ name: 'previous_public_key', type: 'text', nullable: true }) previousPublicKey: string | null;
  @Column({ name: 'consult_policy', type: 'varchar', length: 16 }) consultPolicy: ConsultPolicy;
  @Column({ name: 'consult_url', type: 'varchar', length: 2048, nullable: true }) consultUrl: string | null;
  @Column({ name: 'rate_limit_per_second', type: 'int', nullable: true }) rateLimitPerSecond: number | null;
  /** The gateway exchanges this merchant's AUTHCODE_CREATED codes for tokens itself (1), or leaves it to the merchant's applyToken (0). */
  @Column({ name: 'auto_exchange', type: 'int', default: 0 }) autoExchange: number;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
