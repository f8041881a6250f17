import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventOutbox } from '../callbacks/event-outbox';
import { TokenVault } from '../common/crypto/token-vault';
import { AuthorizationEntity } from './authorization.entity';
import { AuthorizationRepository } from './authorization.repository';
import { CancelTokenJobRepository } from './cancel-token-job.repository';
import { nextTokenState, type TokenEvent, type TokenState, type Transition } from './token-state';

/** Who a token belongs to and where it came from, as Alipay+ names them. */
export interface TokenIds {
  readonly referenceMerchantId: string | null;
  readonly referenceAgreementId: string | null;
  readonly customerId: string | null;
  readonly authClientId: string | null;
  readonly acquirerId: string | null;
  readonly pspId: string | null;
}

/** What a TOKEN_CREATED tells beyond the token itself (times already parsed, the wallet as its stored JSON). */
export interface TokenDetails {
  readonly refreshToken: string | null;
  readonly accessTokenExpiryTime: Date | null;
  readonly refreshTokenExpiryTime: Date | null;
  readonly scopes: readonly string[] | null;
  readonly userLoginId: string | null;
  readonly wallet: string | null;
}

/** A token notice from Alipay+, as the notifications module read it from its body. */
export interface TokenNotice {
  readonly kind: 'notice';
  readonly event: Extract<TokenEvent, { type: 'TOKEN_CREATED' | 'TOKEN_CANCELED' }>;
  readonly accessToken: string;
  readonly accessTokenHash: string;
  /** The id a token seen for the first time gets: chosen before the notification row, which carries it. */
  readonly newId: string;
  readonly merchantId: string | null;
  readonly ids: TokenIds;
  /** TOKEN_CREATED only. */
  readonly details?: TokenDetails;
  /** Our own applyToken: the auth code the token was exchanged from, and the wallet the merchant named. */
  readonly exchangedFrom?: { readonly authCodeId: string; readonly customerBelongsTo: string | null };
}

/** A merchant revoke's own step: requested, or settled by Alipay+ cancelToken. */
export type RevokeStep = Extract<TokenEvent, { type: 'REVOKE_REQUESTED' | 'REVOKE_SUCCEEDED' | 'REVOKE_FAILED' }>;

/**
 * The one writer of authorization rows: applies a notice from Alipay+ or a
 * revoke's step through the state machine (token-state.ts), writes the row,
 * and writes what the transition asks for (outbox events, the end of a
 * pending revoke) with the same EntityManager, so a token's change and its
 * cancellation event commit together.
 */
@Injectable()
export class TokenTransitions {
  private readonly logger = new Logger(TokenTransitions.name);

  constructor(
    private readonly outbox: EventOutbox,
    private readonly authorizations: AuthorizationRepository,
    private readonly jobs: CancelTokenJobRepository,
    private readonly vault: TokenVault,
  ) {}

  /**
   * Applies `change` to the token's row, locked by the caller in this
   * transaction (`row`; null for a notice about a token not seen before).
   */
  async apply(em: EntityManager, row: AuthorizationEntity, change: RevokeStep, now: Date): Promise<Transition>;
  async apply(em: EntityManager, row: AuthorizationEntity | null, change: TokenNotice, now: Date): Promise<Transition>;
  async apply(em: EntityManager, row: AuthorizationEntity | null, change: RevokeStep | TokenNotice, now: Date): Promise<Transition> {
    if ('kind' in change) return this.applyNotice(em, row, change, now);
    return this.applyStep(em, row!, change, now);
  }

  static stateOf(row: AuthorizationEntity | null): TokenState | null {
    return row && { status: row.status, created: row.tokenCreatedAt !== null, cancelSource: row.cancelSource };
  }

  /** Decides the transition for `row` (null: no record yet) and sets the new state on `target`, unsaved. */
  private decide(row: AuthorizationEntity | null, target: AuthorizationEntity, event: TokenEvent, now: Date): Transition {
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

  /**
   * Writes the transition's effects for a row already saved in this
   * transaction. `settleJobs`: a cancellation that did not come from the
   * token's own cancelToken job ends that job's retries.
   */
  private async recordEffects(em: EntityManager, row: AuthorizationEntity, t: Transition, now: Date, settleJobs: boolean): Promise<void> {
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
    if (t.settlesRevoke && settleJobs) await this.jobs.settleByNotification(em, row.id, now);
  }

  /** A revoke's step on an existing, locked row. */
  private async applyStep(em: EntityManager, row: AuthorizationEntity, event: RevokeStep, now: Date): Promise<Transition> {
    const t = this.decide(row, row, event, now);
    if (!t.changed) return t;
    await this.authorizations.update(em, row.id, { status: row.status, cancelSource: row.cancelSource, canceledAt: row.canceledAt, updatedAt: now });
    // A revoke's step is the job's own completion (one job per token): nothing else to settle.
    await this.recordEffects(em, row, t, now, false);
    return t;
  }

  /** A notice on its row (`row`, locked), or on a new record under `notice.newId`. */
  private async applyNotice(em: EntityManager, row: AuthorizationEntity | null, notice: TokenNotice, now: Date): Promise<Transition> {
    // A copy, so the update writes only what changed.
    const record = row ? Object.assign(new AuthorizationEntity(), row) : this.newRecord(notice, now);
    const t = this.decide(row, record, notice.event, now);
    // A tombstone learns its details from the late TOKEN_CREATED (the state machine keeps it canceled).
    const linkAgreement = notice.details && record.tokenCreatedAt === null ? this.fillCreatedDetails(record, notice, notice.details, now) : undefined;
    record.merchantId ??= notice.merchantId;
    if (notice.exchangedFrom) {
      record.authCodeId ??= notice.exchangedFrom.authCodeId;
      record.customerBelongsTo ??= notice.exchangedFrom.customerBelongsTo;
    }
    if (!row) await this.authorizations.insert(em, Object.assign(record, { updatedAt: now }), linkAgreement);
    else {
      const changes = changedColumns(row, record);
      // A notice that changes nothing (Alipay+'s echo of our own cancel) writes nothing.
      if (Object.keys(changes).length > 0 || linkAgreement !== undefined)
        await this.authorizations.update(em, record.id, { ...changes, updatedAt: now }, linkAgreement);
    }
    await this.recordEffects(em, record, t, now, true);
    return t;
  }

  /**
   * A refresh (Alipay+ applyToken, REFRESH_TOKEN): Alipay+ rotates the pair
   * and deactivates the old one, so the token's row takes the new pair in
   * place and its story goes on. `renewed`: written; `superseded`: a
   * concurrent refresh of the same pair wrote first (Alipay+ answers a repeat
   * with the same pair); `gone`: the token stopped being ACTIVE meanwhile.
   */
  async renew(
    em: EntityManager,
    id: string,
    refreshTokenHash: string,
    pair: { accessToken: string; refreshToken: string | null; accessTokenExpiryTime: Date | null; refreshTokenExpiryTime: Date | null },
    now: Date,
  ): Promise<{ kind: 'renewed' | 'superseded'; row: AuthorizationEntity } | { kind: 'gone' }> {
    const row = await this.authorizations.findByIdForUpdate(em, id);
    if (!row || row.status !== 'ACTIVE') return { kind: 'gone' };
    if (row.refreshTokenHash !== refreshTokenHash) return { kind: 'superseded', row };
    const changes: Partial<AuthorizationEntity> = {
      accessTokenHash: this.vault.lookupHash('access-token', pair.accessToken),
      accessTokenEnc: this.vault.encrypt(pair.accessToken),
      refreshTokenHash: pair.refreshToken ? this.vault.lookupHash('refresh-token', pair.refreshToken) : null,
      refreshTokenEnc: pair.refreshToken ? this.vault.encrypt(pair.refreshToken) : null,
      encKeyId: this.vault.currentKeyId,
      accessTokenExpiryTime: pair.accessTokenExpiryTime,
      refreshTokenExpiryTime: pair.refreshTokenExpiryTime,
      updatedAt: now,
    };
    await this.authorizations.update(em, id, changes);
    return { kind: 'renewed', row: Object.assign(row, changes) };
  }

  private newRecord(notice: TokenNotice, now: Date): AuthorizationEntity {
    return Object.assign(new AuthorizationEntity(), {
      id: notice.newId,
      accessTokenHash: notice.accessTokenHash,
      accessTokenEnc: this.vault.encrypt(notice.accessToken),
      refreshTokenEnc: null,
      refreshTokenHash: null,
      customerBelongsTo: null,
      encKeyId: this.vault.currentKeyId,
      canceledAt: null,
      tokenCreatedAt: null,
      merchantId: notice.merchantId,
      authCodeId: null,
      ...notice.ids,
      userLoginId: null,
      scopes: null,
      wallet: null,
      accessTokenExpiryTime: null,
      refreshTokenExpiryTime: null,
      createdAt: now,
    });
  }

  /** Sets what TOKEN_CREATED tells; returns the agreement whose auth code the row is to be linked to, if it has none yet. */
  private fillCreatedDetails(record: AuthorizationEntity, notice: TokenNotice, details: TokenDetails, now: Date): string | undefined {
    record.tokenCreatedAt = now;
    record.refreshTokenEnc = details.refreshToken ? this.vault.encrypt(details.refreshToken) : null;
    record.refreshTokenHash = details.refreshToken ? this.vault.lookupHash('refresh-token', details.refreshToken) : null;
    record.accessTokenExpiryTime = details.accessTokenExpiryTime;
    record.refreshTokenExpiryTime = details.refreshTokenExpiryTime;
    record.scopes = details.scopes?.length ? details.scopes.join(' ') : null;
    record.userLoginId = details.userLoginId;
    record.wallet = details.wallet;
    Object.assign(record, Object.fromEntries(Object.entries(notice.ids).filter(([, v]) => v !== null)));
    return notice.ids.referenceAgreementId && !record.authCodeId && !notice.exchangedFrom ? notice.ids.referenceAgreementId : undefined;
  }
}

/** The columns a notice changed on an existing row (save() would re-read the row first). */
function changedColumns(before: AuthorizationEntity, after: AuthorizationEntity): Partial<AuthorizationEntity> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    const old = (before as unknown as Record<string, unknown>)[key];
    const same = value instanceof Date && old instanceof Date ? value.getTime() === old.getTime() : value === old;
    if (!same && key !== 'id') changes[key] = value;
  }
  return changes;
}
