import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';
import type { CancelSource } from '../protocol/notification-types';
import type { TokenStatus } from './token-state';

/** One access token, as Alipay+ told us about it. Tokens are stored encrypted and found by hash. */
@Entity('authorizations')
export class AuthorizationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'access_token_hash', type: 'varchar', length: 64 }) accessTokenHash: string;
  @Column({ name: 'access_token_enc', type: 'text' }) accessTokenEnc: string;
  @Column({ name: 'refresh_token_enc', type: 'text', nullable: true }) refreshTokenEnc: string | null;
  /** Finds the token a merchant's refresh names. */
  @Column({ name: 'refresh_token_hash', type: 'varchar', length: 64, nullable: true }) refreshTokenHash: string | null;
  @Column({ name: 'enc_key_id', type: 'varchar', length: 16 }) encKeyId: string;
  @Column({ type: 'varchar', length: 16 }) status: TokenStatus;
  @Column({ name: 'cancel_source', type: 'varchar', length: 16, nullable: true }) cancelSource: CancelSource | null;
  @TimeColumn('canceled_at', { nullable: true }) canceledAt: Date | null;
  /** When TOKEN_CREATED arrived; null for a tombstone (canceled before created). */
  @TimeColumn('token_created_at', { nullable: true }) tokenCreatedAt: Date | null;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36, nullable: true }) merchantId: string | null;
  @Column({ name: 'auth_code_id', type: 'varchar', length: 36, nullable: true }) authCodeId: string | null;
  @Column({ name: 'reference_merchant_id', type: 'varchar', length: 64, nullable: true }) referenceMerchantId: string | null;
  @Column({ name: 'reference_agreement_id', type: 'varchar', length: 64, nullable: true }) referenceAgreementId: string | null;
  @Column({ name: 'customer_id', type: 'varchar', length: 64, nullable: true }) customerId: string | null;
  @Column({ name: 'auth_client_id', type: 'varchar', length: 64, nullable: true }) authClientId: string | null;
  @Column({ name: 'acquirer_id', type: 'varchar', length: 64, nullable: true }) acquirerId: string | null;
  @Column({ name: 'psp_id', type: 'varchar', length: 64, nullable: true }) pspId: string | null;
  /** The wallet, as the merchant named it (Antom's customerBelongsTo) when the token came through our applyToken. */
  @Column({ name: 'customer_belongs_to', type: 'varchar', length: 64, nullable: true }) customerBelongsTo: string | null;
  @Column({ name: 'user_login_id', type: 'varchar', length: 64, nullable: true }) userLoginId: string | null;
  /** Space-separated scopes, e.g. `AGREEMENT_PAY USER_LOGIN_ID`. */
  @Column({ type: 'text', nullable: true }) scopes: string | null;
  /** `walletForAccountBinding` as JSON text. */
  @Column({ type: 'text', nullable: true }) wallet: string | null;
  @TimeColumn('access_token_expiry_time', { nullable: true }) accessTokenExpiryTime: Date | null;
  @TimeColumn('refresh_token_expiry_time', { nullable: true }) refreshTokenExpiryTime: Date | null;
  @VersionColumn({ type: 'int' }) version: number;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
