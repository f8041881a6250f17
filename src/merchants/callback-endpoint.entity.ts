import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';
import type { SigningScheme } from '../protocol/signing-schemes';

export type EndpointStatus = 'ACTIVE' | 'DISABLED';

@Entity('callback_endpoints')
export class CallbackEndpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36 }) merchantId: string;
  /** Null for the merchant's own endpoint. */
  @Column({ name: 'sub_merchant_id', type: 'varchar', length: 36, nullable: true }) subMerchantId: string | null;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  /** Comma-separated event types, e.g. `TOKEN_CANCELED,TOKEN_CREATED`. */
  @Column({ name: 'event_types', type: 'varchar', length: 128 }) eventTypes: string;
  @Column({ type: 'varchar', length: 16 }) status: EndpointStatus;
  @Column({ name: 'signing_scheme', type: 'varchar', length: 24 }) signingScheme: SigningScheme;
  @Column({ name: 'secret_enc', type: 'text', nullable: true }) secretEnc: string | null;
  @Column({ name: 'previous_secret_enc', type: 'text', nullable: true }) previousSecretEnc: string | null;
  @Column({ name: 'disabled_reason', type: 'varchar', length: 256, nullable: true }) disabledReason: string | null;
  @TimeColumn('disabled_at', { nullable: true }) disabledAt: Date | null;
  @TimeColumn('failing_since', { nullable: true }) failingSince: Date | null;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
