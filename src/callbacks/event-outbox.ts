import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { UnitOfWork } from '../database/unit-of-work';
import { DeliveryRepository } from './delivery.repository';
import { EventRepository } from './event.repository';
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
 * Writes outbox events inside the caller's transaction, and fans each out to
 * one delivery per subscribed callback endpoint in that same transaction, so
 * an event is never stored without its deliveries (nor they without it). The
 * dedupe key makes a second write for the same subject a no-op, so replays
 * and concurrent duplicates never double a cancellation or its callbacks.
 */
@Injectable()
export class EventOutbox {
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly events: EventRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'callbacks'>,
  ) {}

  /** The event as written and how many deliveries it fanned out to; null when its subject already had one. */
  async record(em: EntityManager, event: NewEvent): Promise<{ event: EventEntity; deliveries: number } | null> {
    const dedupeKey = createHash('sha256').update(`${event.type}\0${event.subjectKey}`).digest('hex');
    const row = Object.assign(new EventEntity(), {
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
    const inserted = await this.events.insertIfFirst(em, row);
    if (!inserted) return null;
    const firstAttemptAt = new Date(this.clock.now().getTime() + (this.config.callbacks.retryScheduleMs[0] ?? 0));
    const deliveries = await this.deliveries.fanOut(em, row, firstAttemptAt);
    // Dispatchers wake once this commits, instead of at their next poll. Not for an event no endpoint
    // subscribes to: a wake is a claim transaction that would find nothing.
    if (deliveries > 0) this.uow.afterCommit(em, () => this.notifyCommitted());
    return { event: row, deliveries };
  }

  /** `listener` runs after every commit that queued deliveries (the dispatcher's wake-up). */
  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }

  private notifyCommitted(): void {
    for (const l of this.listeners) l();
  }
}
