import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { toPage, type Page, type PageRequest } from '../common/keyset-page';
import type { Operator } from './operator';
import type { AuditEventEntity } from './operator.entity';
import { AuditRepository } from './operators.repository';

export interface AuditEntry {
  readonly actor: Operator;
  /** `POST /admin/v1/merchants/:id/disable`, `console.login`, ... */
  readonly action: string;
  /** The object acted on, secret-free: route ids, the id of what was created. */
  readonly target: string | null;
  /** The HTTP status the action was answered with. */
  readonly status: number;
  readonly ip: string;
}

export interface AuditView extends AuditEntry {
  readonly id: string;
  readonly at: Date;
}

/**
 * Who did what, to which object, when and from where: one append-only row
 * per operator write (nothing updates or deletes them), and the same as an
 * info log line, so a log pipeline has it even if the database is lost.
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const row: AuditEventEntity = {
      id: randomUUID(),
      createdAt: this.clock.now(),
      actorId: entry.actor.id,
      actorName: entry.actor.name,
      actorRole: entry.actor.role,
      action: entry.action.slice(0, 160),
      target: entry.target?.slice(0, 256) ?? null,
      status: entry.status,
      ip: entry.ip.slice(0, 64),
    };
    this.logger.log({
      msg: 'operator action',
      actor: row.actorName,
      role: row.actorRole,
      action: row.action,
      target: row.target,
      status: row.status,
      ip: row.ip,
    });
    await this.audit.insert(row);
  }

  async page(filter: { actor?: string; since?: Date; until?: Date }, request: PageRequest): Promise<Page<AuditView>> {
    return toPage(await this.audit.page(filter, request), request, (r) => ({
      id: r.id,
      at: r.createdAt,
      actor: { id: r.actorId, name: r.actorName, role: r.actorRole as Operator['role'] },
      action: r.action,
      target: r.target,
      status: r.status,
      ip: r.ip,
    }));
  }
}
