import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventOutbox } from '../callbacks/event-outbox';
import { AuthorizationEntity } from './authorization.entity';
import { RevokeSettlement } from './revoke-settlement';
import { nextTokenState, type TokenEvent, type TokenState, type Transition } from './token-state';

/**
 * Applies state-machine events to authorization rows and writes what each
 * transition asks for (outbox events, the end of a pending revoke) with the
 * same EntityManager, so a token's change and its cancellation event commit
 * together.
 */
@Injectable()
export class TokenTransitions {
  private readonly logger = new Logger(TokenTransitions.name);

  constructor(
    private readonly outbox: EventOutbox,
    private readonly settlement: RevokeSettlement,
  ) {}

  static stateOf(row: AuthorizationEntity | null): TokenState | null {
    return row && { status: row.status, created: row.tokenCreatedAt !== null, cancelSource: row.cancelSource };
  }

  /** Decides the transition for `row` (null: no record yet) and sets the new state on `target`, unsaved. */
  decide(row: AuthorizationEntity | null, target: AuthorizationEntity, event: TokenEvent, now: Date): Transition {
    const t = nextTokenState(TokenTransitions.stateOf(row), event);
    if (t.ignored) this.logger.warn({ msg: 'token event ignored by the state machine', event: event.type, status: row?.status });
    if (t.changed) {
      target.status = t.next.status;
      target.cancelSource = t.next.cancelSource;
      target.updatedAt = now;
      if (t.emitCancellation) target.canceledAt = now;
    }
    return t;
  }

  /** Writes the transition's effects for a row already saved in this transaction; true when its events queued deliveries. */
  async recordEffects(em: EntityManager, row: AuthorizationEntity, t: Transition, now: Date): Promise<boolean> {
    let queuedDeliveries = false;
    for (const type of [t.emitCancellation && 'TOKEN_CANCELED', t.emitCreated && 'TOKEN_CREATED'] as const) {
      if (!type) continue;
      const recorded = await this.outbox.record(em, {
        type,
        subjectKey: row.id,
        authorizationId: row.id,
        merchantId: row.merchantId,
        cancelSource: type === 'TOKEN_CANCELED' ? t.next.cancelSource : null,
        occurredAt: now,
      });
      queuedDeliveries ||= (recorded?.deliveries ?? 0) > 0;
    }
    if (t.settlesRevoke) await this.settlement.settleByNotification(em, row.id, now);
    return queuedDeliveries;
  }

  /** decide + save + recordEffects for an existing, locked row. */
  async apply(em: EntityManager, row: AuthorizationEntity, event: TokenEvent, now: Date): Promise<Transition & { queuedDeliveries: boolean }> {
    const t = this.decide(row, row, event, now);
    if (!t.changed) return { ...t, queuedDeliveries: false };
    await em.update(
      AuthorizationEntity,
      { id: row.id },
      {
        status: row.status,
        cancelSource: row.cancelSource,
        canceledAt: row.canceledAt,
        updatedAt: now,
      },
    );
    return { ...t, queuedDeliveries: await this.recordEffects(em, row, t, now) };
  }
}
