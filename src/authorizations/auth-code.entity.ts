import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/** Where exchanging a code for a token stands: due (automatic exchange), being asked, done, refused for good. */
export type AuthCodeExchangeStatus = 'PENDING' | 'EXCHANGING' | 'EXCHANGED' | 'FAILED';

/**
 * An auth code: announced by Alipay+ (AUTHCODE_CREATED, kept against its
 * authState) or brought by a merchant's applyToken, and its exchange for a
 * token (leased, so one caller at a time asks Alipay+).
 */
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
  /** null: nobody has asked for the exchange yet. */
  @Column({ name: 'exchange_status', type: 'varchar', length: 16, nullable: true }) exchangeStatus: AuthCodeExchangeStatus | null;
  /** While EXCHANGING: the lease; past it, another caller may ask again. Also the fence of the settling write. */
  @TimeColumn('exchange_lease_until', { nullable: true }) exchangeLeaseUntil: Date | null;
  /** PENDING: when the automatic exchange is due. */
  @TimeColumn('next_exchange_at', { nullable: true }) nextExchangeAt: Date | null;
  @Column({ name: 'exchange_attempts', type: 'int', default: 0 }) exchangeAttempts: number;
  @Column({ name: 'exchange_result_code', type: 'varchar', length: 64, nullable: true }) exchangeResultCode: string | null;
  /** The token the code was exchanged for. */
  @Column({ name: 'authorization_id', type: 'varchar', length: 36, nullable: true }) authorizationId: string | null;
  /** The wallet, as the merchant's applyToken named it. */
  @Column({ name: 'customer_belongs_to', type: 'varchar', length: 64, nullable: true }) customerBelongsTo: string | null;
}
