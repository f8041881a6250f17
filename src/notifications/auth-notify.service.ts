import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthCodeEntity } from '../authorizations/auth-code.entity';
import { AuthorizationRepository } from '../authorizations/authorization.repository';
import { TokenTransitions, type TokenIds, type TokenNotice } from '../authorizations/token-transitions';
import { AutoExchangeWorker } from '../bindings/auto-exchange.worker';
import { EventOutbox } from '../callbacks/event-outbox';
import { Clock } from '../common/clock';
import { fingerprint } from '../common/crypto/fingerprint';
import { TokenVault } from '../common/crypto/token-vault';
import { UnitOfWork } from '../database/unit-of-work';
import { MerchantDirectory } from '../merchants/merchant-directory';
import type { AuthNotifyDto } from './auth-notify.dto';
import { NotificationEntity } from './notification.entity';
import { NotificationRepository } from './notification.repository';
import { parseProtocolTime } from '../protocol/protocol-time';
import { NOTIFICATION_TYPES, type NotificationTypeSpec } from '../protocol/notification-types';

export interface ReceivedNotification {
  readonly body: AuthNotifyDto;
  readonly clientId: string;
  readonly requestTime: string;
}

export type ApplyOutcome = 'APPLIED' | 'DUPLICATE';

/**
 * Stores an authNotify and applies it to the authorization record in one
 * transaction: the notification row (unique per type, subject and source),
 * the token's state change, and its outbox event commit together or not at
 * all, so an S answer always means everything is durable.
 */
@Injectable()
export class AuthNotifyService {
  private readonly logger = new Logger(AuthNotifyService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly uow: UnitOfWork,
    private readonly authorizations: AuthorizationRepository,
    private readonly merchants: MerchantDirectory,
    private readonly outbox: EventOutbox,
    private readonly transitions: TokenTransitions,
    private readonly autoExchange: AutoExchangeWorker,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {}

  async apply(n: ReceivedNotification): Promise<ApplyOutcome> {
    const outcome = await this.uow.run((em) => this.applyIn(em, n), { retryOnDuplicateKey: true });
    if (outcome.dedupeKey) await this.countDuplicate(outcome.dedupeKey);
    if (outcome.exchangeDue) this.autoExchange.kick();
    return outcome.result;
  }

  /**
   * Outside the transaction: bumping the counter under the duplicate's shared
   * key lock would deadlock concurrent twins (S→X upgrades). It is a support
   * statistic; the notification itself is already safe.
   */
  private async countDuplicate(dedupeKey: string): Promise<void> {
    try {
      await this.notifications.countDuplicate(dedupeKey, this.clock.now());
    } catch (err) {
      this.logger.warn({ msg: 'could not count a duplicate notification', err });
    }
  }

  private async applyIn(em: EntityManager, n: ReceivedNotification): Promise<{ result: ApplyOutcome; dedupeKey?: string; exchangeDue?: boolean }> {
    const now = this.clock.now();
    const body = n.body;
    const spec: NotificationTypeSpec = NOTIFICATION_TYPES[body.authorizationNotifyType];
    const authCode = spec.applies === 'AUTH_CODE';
    const subjectHash = this.vault.lookupHash(spec.subject === 'authCode' ? 'auth-code' : 'access-token', body[spec.subject]!);
    const dedupeKey = sha256(`${body.authorizationNotifyType}\0${subjectHash}\0${body.tokenCancelSource ?? ''}`);

    // A token's row is locked before the notification is written, so the notification row can carry
    // its authorization id from the start (no second statement), and every token notification takes
    // its locks in one order: the token's row, then the notification's unique key.
    const row = authCode ? null : await this.authorizations.findByTokenHashForUpdate(em, subjectHash);
    const authorizationId = authCode ? null : (row?.id ?? randomUUID());

    // One statement decides first-or-duplicate; a concurrent twin waits on the unique key, then sees ours.
    const fresh = await this.notifications.insertIfFirst(
      em,
      Object.assign(new NotificationEntity(), {
        id: randomUUID(),
        notifyType: body.authorizationNotifyType,
        dedupeKey,
        subjectHash,
        authorizationId,
        clientId: n.clientId,
        requestTime: n.requestTime,
        redactedBody: JSON.stringify(redact(body)),
        outcome: 'APPLIED',
        duplicateCount: 0,
        receivedAt: now,
        lastReceivedAt: now,
      }),
    );
    if (!fresh) return { result: 'DUPLICATE', dedupeKey };

    const merchantId = body.referenceMerchantId ? await this.merchants.idForReference(em, body.referenceMerchantId) : null;
    switch (spec.applies) {
      case 'AUTH_CODE':
        return { result: 'APPLIED', exchangeDue: await this.authCodeCreated(em, body, subjectHash, merchantId, now) };
      case 'TOKEN_CREATED':
      case 'TOKEN_CANCELED':
        await this.transitions.apply(em, row, this.tokenNotice(body, spec.applies, { id: authorizationId!, accessTokenHash: subjectHash }, merchantId), now);
        break;
    }
    return { result: 'APPLIED' };
  }

  /**
   * Stores the code, due for the automatic exchange when its merchant turned
   * that on; true when it is. A code a merchant's applyToken brought first is
   * already stored (and being exchanged): the notice fills in what it lacks.
   */
  private async authCodeCreated(em: EntityManager, body: AuthNotifyDto, authCodeHash: string, merchantId: string | null, now: Date): Promise<boolean> {
    const autoExchange = merchantId !== null && (await this.merchants.autoExchanges(em, merchantId));
    const code = Object.assign(new AuthCodeEntity(), {
      id: randomUUID(),
      authCodeHash,
      authCodeEnc: this.vault.encrypt(body.authCode!),
      encKeyId: this.vault.currentKeyId,
      authState: body.authState ?? null,
      merchantId,
      ...ids(body),
      createdAt: now,
      ...(autoExchange ? { exchangeStatus: 'PENDING' as const, nextExchangeAt: now } : {}),
    });
    const inserted = await this.authorizations.insertAuthCodeIfAbsent(em, code);
    // Brought first by the merchant's applyToken: what Alipay+ tells now (authState, ids) completes it.
    const authCodeId = inserted ? code.id : await this.authorizations.completeAuthCode(em, code);
    await this.outbox.record(em, {
      type: body.authorizationNotifyType,
      subjectKey: authCodeHash,
      authCodeId,
      merchantId,
      occurredAt: now,
    });
    return inserted && autoExchange;
  }

  /** The notice as the token's writer takes it: what the body says, times parsed, the wallet as stored. */
  private tokenNotice(
    body: AuthNotifyDto,
    applies: 'TOKEN_CREATED' | 'TOKEN_CANCELED',
    fresh: { id: string; accessTokenHash: string },
    merchantId: string | null,
  ): TokenNotice {
    return {
      kind: 'notice',
      event: applies === 'TOKEN_CREATED' ? { type: 'TOKEN_CREATED' } : { type: 'TOKEN_CANCELED', source: body.tokenCancelSource! },
      accessToken: body.accessToken!,
      accessTokenHash: fresh.accessTokenHash,
      newId: fresh.id,
      merchantId,
      ids: ids(body),
      details:
        applies === 'TOKEN_CREATED'
          ? {
              refreshToken: body.refreshToken ?? null,
              accessTokenExpiryTime: body.accessTokenExpiryTime ? parseProtocolTime(body.accessTokenExpiryTime) : null,
              refreshTokenExpiryTime: body.refreshTokenExpiryTime ? parseProtocolTime(body.refreshTokenExpiryTime) : null,
              scopes: body.scopes ?? null,
              userLoginId: body.userLoginId ?? null,
              wallet: body.walletForAccountBinding ? JSON.stringify(knownWalletFields(body.walletForAccountBinding)) : null,
            }
          : undefined,
    };
  }
}

function ids(body: AuthNotifyDto): TokenIds {
  return {
    referenceMerchantId: body.referenceMerchantId ?? null,
    referenceAgreementId: body.referenceAgreementId ?? null,
    customerId: body.customerId ?? null,
    authClientId: body.authClientId ?? null,
    acquirerId: body.acquirerId ?? null,
    pspId: body.pspId ?? null,
  };
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The wallet as documented (unknown extra fields are accepted but not stored: they could outgrow the column). */
function knownWalletFields(w: NonNullable<AuthNotifyDto['walletForAccountBinding']>) {
  return {
    walletName: w.walletName ?? null,
    walletBrandName: w.walletBrandName ?? null,
    walletLogo: w.walletLogo ? { logoName: w.walletLogo.logoName ?? null, logoUrl: w.walletLogo.logoUrl ?? null } : null,
  };
}

/** The documented fields of a notification; each is bounded by the DTO, so the stored copy fits its column. */
const STORED_FIELDS = [
  'authorizationNotifyType',
  'authClientId',
  'referenceMerchantId',
  'referenceAgreementId',
  'acquirerId',
  'pspId',
  'customerId',
  'authCode',
  'authState',
  'accessToken',
  'accessTokenExpiryTime',
  'refreshToken',
  'refreshTokenExpiryTime',
  'scopes',
  'userLoginId',
  'tokenCancelSource',
] as const;

/** The notification as stored for support look-ups: documented fields only, secrets replaced by fingerprints. */
function redact(body: AuthNotifyDto): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.fromEntries(STORED_FIELDS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]));
  if (body.walletForAccountBinding) copy.walletForAccountBinding = knownWalletFields(body.walletForAccountBinding);
  for (const field of ['accessToken', 'refreshToken', 'authCode'] as const) {
    if (typeof copy[field] === 'string') copy[field] = fingerprint(copy[field]);
  }
  return copy;
}
