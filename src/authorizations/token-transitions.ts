import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventOutbox } from '../callbacks/event-outbox';
import type { AuthorizationEntity } from './authorization.entity';
import { AuthorizationRepository } from './authorization.repository';
import { CancelTokenJobRepository } from './cancel-token-job.repository';
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
    private readonly authorizations: AuthorizationRepository,
    private readonly jobs: CancelTokenJobRepository,
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

  /** Writes the transition's effects for a row already saved in this transaction. */
  async recordEffects(em: EntityManager, row: AuthorizationEntity, t: Transition, now: Date): Promise<void> {
    for (const type of [t.emitCancellation && 'TOKEN_CANCELED', t.emitCreated && 'TOKEN_CREATED'] as const) {
      if (!type) continue;
      await this.outbox.record(em, {
        type,
        subjectKey: row.id,
        authorizationId: row.id,
        merchantId: row.merchantId,
        cancelSource: type === 'TOKEN_CANCELED' ? t.next.cancelSource : null,
        occurredAt: now,
      });
    }
    if (t.settlesRevoke) await this.jobs.settleByNotification(em, row.id, now);
  }

  /** decide + save + recordEffects for an existing, locked row. */
  async apply(em: EntityManager, row: AuthorizationEntity, event: TokenEvent, now: Date): Promise<Transition> {
    const t = this.decide(row, row, event, now);
    if (!t.changed) return t;
    await this.authorizations.update(em, row.id, { status: row.status, cancelSource: row.cancelSource, canceledAt: row.canceledAt, updatedAt: now });
    await this.recordEffects(em, row, t, now);
    return t;
  }
}
