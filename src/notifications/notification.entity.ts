import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/**
 * One authNotify as received (secrets replaced by fingerprints), unique per
 * (type, subject, cancel source): a duplicate only bumps `duplicateCount`.
 */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'notify_type', type: 'varchar', length: 32 }) notifyType: string;
  @Column({ name: 'dedupe_key', type: 'varchar', length: 64 }) dedupeKey: string;
  /** Look-up hash of the access token or auth code the notification is about. */
  @Column({ name: 'subject_hash', type: 'varchar', length: 64 }) subjectHash: string;
  @Column({ name: 'authorization_id', type: 'varchar', length: 36, nullable: true }) authorizationId: string | null;
  @Column({ name: 'client_id', type: 'varchar', length: 64 }) clientId: string;
  @Column({ name: 'request_time', type: 'varchar', length: 64 }) requestTime: string;
  @Column({ name: 'redacted_body', type: 'text' }) redactedBody: string;
  @Column({ type: 'varchar', length: 32 }) outcome: string;
  @Column({ name: 'duplicate_count', type: 'int', default: 0 }) duplicateCount: number;
  @TimeColumn('received_at') receivedAt: Date;
  @TimeColumn('last_received_at') lastReceivedAt: Date;
}
