import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

import type { NotificationType } from '../protocol/notification-types';

/** An outbox event is named after the notification type it announces (NOTIFICATION_TYPES). */
export type EventType = NotificationType;

/**
 * The outbox: written in the same transaction as the state change it
 * announces, unique per subject (one cancellation per token, ever), and fanned
 * out to one delivery per subscribed callback endpoint. Its id is the event id
 * merchants see, stable across retries and replays.
 */
@Entity('events')
export class EventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'event_type', type: 'varchar', length: 32 }) eventType: EventType;
  @Column({ name: 'dedupe_key', type: 'varchar', length: 64 }) dedupeKey: string;
  @Column({ name: 'authorization_id', type: 'varchar', length: 36, nullable: true }) authorizationId: string | null;
  @Column({ name: 'auth_code_id', type: 'varchar', length: 36, nullable: true }) authCodeId: string | null;
  @Column({ name: 'merchant_id', type: 'varchar', length: 36, nullable: true }) merchantId: string | null;
  @Column({ name: 'cancel_source', type: 'varchar', length: 16, nullable: true }) cancelSource: string | null;
  @TimeColumn('occurred_at') occurredAt: Date;
  @TimeColumn('created_at') createdAt: Date;
}
