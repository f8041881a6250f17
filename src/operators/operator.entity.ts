import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../database/columns';

/** What an operator may do: `admin` everything, `read-only` look (GET, and the look-ups sent as POST). */
export const OPERATOR_ROLES = ['admin', 'read-only'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** A named operator API token. The token itself is never stored: only its keyed hash. */
@Entity('operators')
export class OperatorEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 16 }) role: OperatorRole;
  @Column({ name: 'token_hash', type: 'varchar', length: 64 }) tokenHash: string;
  @Column({ type: 'varchar', length: 16 }) status: 'ACTIVE' | 'REVOKED';
  /** The operator who made this one (`bootstrap` for ADMIN_API_TOKEN). */
  @Column({ name: 'created_by', type: 'varchar', length: 64 }) createdBy: string;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('revoked_at', { nullable: true }) revokedAt: Date | null;
  @TimeColumn('last_used_at', { nullable: true }) lastUsedAt: Date | null;
}

/** A console log-in. Keyed by a hash of the cookie's random id; the id itself is never stored. */
@Entity('console_sessions')
export class ConsoleSessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 }) idHash: string;
  /** Null for the bootstrap ADMIN_API_TOKEN. */
  @Column({ name: 'operator_id', type: 'varchar', length: 36, nullable: true }) operatorId: string | null;
  @Column({ name: 'operator_name', type: 'varchar', length: 64 }) operatorName: string;
  @Column({ name: 'operator_role', type: 'varchar', length: 16 }) operatorRole: OperatorRole;
  @Column({ type: 'varchar', length: 64 }) ip: string;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('expires_at') expiresAt: Date;
}

/** Failed authentications of one subject (a surface and a client address) within the current window. */
@Entity('auth_throttles')
export class AuthThrottleEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 }) subject: string;
  @Column({ type: 'int' }) failures: number;
  @TimeColumn('window_started_at') windowStartedAt: Date;
  @TimeColumn('locked_until', { nullable: true }) lockedUntil: Date | null;
  @TimeColumn('updated_at') updatedAt: Date;
}

/** One operator write, as it happened. Append-only: nothing updates or deletes these rows. */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  /** When it happened (named created_at, as every row's time is, so lists page alike). */
  @TimeColumn('created_at') createdAt: Date;
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true }) actorId: string | null;
  @Column({ name: 'actor_name', type: 'varchar', length: 64 }) actorName: string;
  @Column({ name: 'actor_role', type: 'varchar', length: 16 }) actorRole: string;
  /** `POST /admin/v1/merchants/:id/disable`, `console.login`, ... */
  @Column({ type: 'varchar', length: 160 }) action: string;
  /** The object acted on: its route ids (`merchants/<id>`), and the id of what was created. */
  @Column({ type: 'varchar', length: 256, nullable: true }) target: string | null;
  /** The HTTP status the action was answered with. */
  @Column({ type: 'int' }) status: number;
  @Column({ type: 'varchar', length: 64 }) ip: string;
}
