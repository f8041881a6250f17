import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventOutbox } from '../callbacks/event-outbox';
import type { AuthorizationEntity } from './authorization.entity';
import { nextTokenState, type TokenEvent, type Transition } from './token-state';

/**
 * Applies a state-machine event to a locked authorization row and writes what
 * the transition asks for (the outbox event) with the same EntityManager, so
 * a token's change and its cancellation event commit together.
 */
@Injectable()
export class TokenTransitions {
  private readonly logger = new Logger(TokenTransitions.name);

  constructor(private readonly outbox: EventOutbox) {}

  async apply(em: EntityManager, row: AuthorizationEntity, event: TokenEvent, now: Date): Promise<Transition & { wroteEvent: boolean }> {
    const t = nextTokenState({ status: row.status, created: row.tokenCreatedAt !== null, cancelSource: row.cancelSource }, event);
    if (t.ignored) this.logger.warn({ msg: 'token event ignored by the state machine', event: event.type, status: row.status });
    if (!t.changed) return { ...t, wroteEvent: false };
    const changes: Partial<AuthorizationEntity> = { status: t.next.status, cancelSource: t.next.cancelSource, updatedAt: now };
    if (t.emitCancellation) changes.canceledAt = now;
    await em.update('AuthorizationEntity', { id: row.id }, changes);
    Object.assign(row, changes);
    let wroteEvent = false;
    if (t.emitCancellation) {
      wroteEvent =
        (await this.outbox.record(em, {
          type: 'TOKEN_CANCELED',
          subjectKey: row.id,
          authorizationId: row.id,
          merchantId: row.merchantId,
          cancelSource: t.next.cancelSource,
          occurredAt: now,
        })) !== null;
    }
    return { ...t, wroteEvent };
  }
}
