import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/** An auth code Alipay+ announced (AUTHCODE_CREATED), kept against its authState. */
@Entity('auth_codes')
export class AuthCodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'auth_code_hash', type: 'varchar', length: 64 }) authCodeHash: string;
  @Column({ name: 'auth_code_enc', type: 'text' }) authCodeEnc: string;
  @Column({ name: 'enc_key_id', type: 'varchar', length: 16 }) encKeyId: string;
  @Column({ name: 'auth_state', type: 'varchar', length: 256, nullable: true }) authState: string | null;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36, nullable: true }) merchantId: string | null;
  @Column({ name: 'reference_merchant_id', type: 'varchar', length: 64, nullable: true }) referenceMerchantId: string | null;
  @Column({ name: 'reference_agreement_id', type: 'varchar', length: 64, nullable: true }) referenceAgreementId: string | null;
  @Column({ name: 'customer_id', type: 'varchar', length: 64, nullable: true }) customerId: string | null;
  @Column({ name: 'auth_client_id', type: 'varchar', length: 64, nullable: true }) authClientId: string | null;
  @Column({ name: 'acquirer_id', type: 'varchar', length: 64, nullable: true }) acquirerId: string | null;
  @Column({ name: 'psp_id', type: 'varchar', length: 64, nullable: true }) pspId: string | null;
  @TimeColumn('created_at') createdAt: Date;
}
