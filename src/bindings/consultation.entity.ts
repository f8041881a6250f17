import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/** A merchant's consult (Alipay+ prepare) and our answer; found again by the authState AUTHCODE_CREATED echoes. */
@Entity('consultations')
export class ConsultationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36 }) merchantId: string;
  @Column({ name: 'auth_state', type: 'varchar', length: 256 }) authState: string;
  @Column({ name: 'customer_belongs_to', type: 'varchar', length: 64 }) customerBelongsTo: string;
  @Column({ name: 'psp_id', type: 'varchar', length: 64, nullable: true }) pspId: string | null;
  /** Space-separated, as on authorizations. */
  @Column({ type: 'text', nullable: true }) scopes: string | null;
  @Column({ name: 'merchant_account_id', type: 'varchar', length: 64, nullable: true }) merchantAccountId: string | null;
  @Column({ name: 'result_status', type: 'varchar', length: 1 }) resultStatus: string;
  @Column({ name: 'result_code', type: 'varchar', length: 64 }) resultCode: string;
  @TimeColumn('created_at') createdAt: Date;
}
