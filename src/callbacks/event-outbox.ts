import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventEntity, type EventType } from './event.entity';

export interface NewEvent {
  type: EventType;
  /** What makes the event unique: one cancellation per token, one created event per token or code. */
  subjectKey: string;
  authorizationId?: string | null;
  authCodeId?: string | null;
  merchantId: string | null;
  cancelSource?: string | null;
  occurredAt: Date;
}

/**
 * Writes outbox events inside the caller's transaction. The dedupe key makes
 * a second write for the same subject a no-op, so replays and concurrent
 * duplicates never double a cancellation.
 */
@Injectable()
export class EventOutbox {
  private readonly listeners: Array<() => void> = [];

  async record(em: EntityManager, event: NewEvent): Promise<EventEntity | null> {
    const dedupeKey = createHash('sha256').update(`${event.type}\0${event.subjectKey}`).digest('hex');
    const existing = await em.findOne(EventEntity, { where: { dedupeKey }, select: { id: true } });
    if (existing) return null;
    const row = em.create(EventEntity, {
      id: randomUUID(),
      eventType: event.type,
      dedupeKey,
      authorizationId: event.authorizationId ?? null,
      authCodeId: event.authCodeId ?? null,
      merchantId: event.merchantId,
      cancelSource: event.cancelSource ?? null,
      occurredAt: event.occurredAt,
      createdAt: event.occurredAt,
    });
    await em.insert(EventEntity, row);
    return row;
  }

  /** Called after a commit that wrote events, so dispatchers wake without waiting for their poll. */
  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }

  notifyCommitted(): void {
    for (const l of this.listeners) l();
  }
}
