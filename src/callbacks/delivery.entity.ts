import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/**
 * PENDING: due at `nextAttemptAt`; LEASED: an instance is sending it now (until
 * `leaseExpiresAt`, then the reaper frees it); DELIVERED: the endpoint answered
 * 200 with resultStatus S; FAILED: the schedule ran out, or the endpoint was
 * disabled. Only an explicit answer finalises a delivery.
 */
export const DELIVERY_STATUSES = ['PENDING', 'LEASED', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What one attempt led to; also the `outcome` label of acqp_callback_deliveries_total. */
export type AttemptOutcome = 'SUCCEEDED' | 'RETRY' | 'FAILED' | 'ENDPOINT_DISABLED';

/** The attempt row's spelling: the column holds 16 characters, so ENDPOINT_DISABLED is stored as DISABLED. */
export type StoredAttemptOutcome = Exclude<AttemptOutcome, 'ENDPOINT_DISABLED'> | 'DISABLED';
export const STORED_ATTEMPT_OUTCOMES = ['SUCCEEDED', 'RETRY', 'FAILED', 'DISABLED'] as const satisfies readonly StoredAttemptOutcome[];

export function storedOutcome(outcome: AttemptOutcome): StoredAttemptOutcome {
  return outcome === 'ENDPOINT_DISABLED' ? 'DISABLED' : outcome;
}

/** One event for one callback endpoint: unique per (event, endpoint), so replays never double it. */
@Entity('deliveries')
export class DeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'event_id', type: 'varchar', length: 36 }) eventId: string;
  @Column({ name: 'endpoint_id', type: 'varchar', length: 36 }) endpointId: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36 }) merchantId: string;
  @Column({ type: 'varchar', length: 16 }) status: DeliveryStatus;
  /**
   * Attempts in the current retry series: it picks the next delay from the
   * schedule. An operator's redeliver or recover starts a new series (0);
   * the attempt rows keep the whole history.
   */
  @Column({ name: 'attempt_count', type: 'int', default: 0 }) attemptCount: number;
  @TimeColumn('next_attempt_at') nextAttemptAt: Date;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner: string | null;
  @TimeColumn('lease_expires_at', { nullable: true }) leaseExpiresAt: Date | null;
  /** The fence: bumped by every claim, reap and operator reset; completion needs the version it claimed. */
  @Column({ name: 'lease_version', type: 'int', default: 0 }) leaseVersion: number;
  @Column({ name: 'last_http_status', type: 'int', nullable: true }) lastHttpStatus: number | null;
  @Column({ name: 'last_error', type: 'varchar', length: 256, nullable: true }) lastError: string | null;
  @TimeColumn('delivered_at', { nullable: true }) deliveredAt: Date | null;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}

/** Every attempt, kept: what was sent when, what came back, how long it took. */
@Entity('delivery_attempts')
export class DeliveryAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'delivery_id', type: 'varchar', length: 36 }) deliveryId: string;
  /** 1, 2, 3… over the delivery's whole life, across operator redeliveries. */
  @Column({ name: 'attempt_no', type: 'int' }) attemptNo: number;
  @TimeColumn('started_at') startedAt: Date;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs: number;
  @Column({ name: 'http_status', type: 'int', nullable: true }) httpStatus: number | null;
  /** The first 1 KiB of the answer. */
  @Column({ name: 'response_body', type: 'varchar', length: 1024, nullable: true }) responseBody: string | null;
  @Column({ name: 'error_class', type: 'varchar', length: 64, nullable: true }) errorClass: string | null;
  /** SUCCEEDED, RETRY, FAILED (the last scheduled attempt, or sent to a disabled endpoint), DISABLED (this attempt disabled the endpoint). */
  @Column({ type: 'varchar', length: 16 }) outcome: StoredAttemptOutcome;
}
