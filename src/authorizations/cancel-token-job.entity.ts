import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/**
 * PENDING: due for a cancelToken attempt at `nextAttemptAt`; LEASED: an
 * instance is calling Alipay+ now; then SUCCEEDED (S, or F INVALID_TOKEN),
 * FAILED (another F), or SETTLED (a TOKEN_CANCELED notification settled it).
 */
export const CANCEL_TOKEN_JOB_STATUSES = ['PENDING', 'LEASED', 'SUCCEEDED', 'FAILED', 'SETTLED'] as const;
export type CancelTokenJobStatus = (typeof CANCEL_TOKEN_JOB_STATUSES)[number];

/** The durable retry state of one merchant revoke; one per token, ever (cancelToken is idempotent on it). */
@Entity('cancel_token_jobs')
export class CancelTokenJobEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'authorization_id', type: 'varchar', length: 36 }) authorizationId: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36 }) merchantId: string;
  @Column({ name: 'merchant_account_id', type: 'varchar', length: 64, nullable: true }) merchantAccountId: string | null;
  @Column({ type: 'varchar', length: 16 }) status: CancelTokenJobStatus;
  @Column({ name: 'pass_through_info', type: 'text', nullable: true }) passThroughInfo: string | null;
  @Column({ name: 'attempt_count', type: 'int', default: 0 }) attemptCount: number;
  @TimeColumn('next_attempt_at') nextAttemptAt: Date;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner: string | null;
  @TimeColumn('lease_expires_at', { nullable: true }) leaseExpiresAt: Date | null;
  @Column({ name: 'lease_version', type: 'int', default: 0 }) leaseVersion: number;
  @Column({ name: 'last_result_status', type: 'varchar', length: 1, nullable: true }) lastResultStatus: string | null;
  @Column({ name: 'last_result_code', type: 'varchar', length: 64, nullable: true }) lastResultCode: string | null;
  @TimeColumn('settled_at', { nullable: true }) settledAt: Date | null;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}

@Entity('cancel_token_attempts')
export class CancelTokenAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'job_id', type: 'varchar', length: 36 }) jobId: string;
  @Column({ name: 'attempt_no', type: 'int' }) attemptNo: number;
  @TimeColumn('started_at') startedAt: Date;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs: number;
  @Column({ name: 'result_status', type: 'varchar', length: 1, nullable: true }) resultStatus: string | null;
  @Column({ name: 'result_code', type: 'varchar', length: 64, nullable: true }) resultCode: string | null;
  @Column({ name: 'error_class', type: 'varchar', length: 64, nullable: true }) errorClass: string | null;
}
