import { Injectable } from '@nestjs/common';
import type { AuthorizationEntity } from '../../authorizations/authorization.entity';
import { mask } from '../../common/crypto/fingerprint';
import { TokenVault } from '../../common/crypto/token-vault';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import { pageRequest, toPage, type Page } from '../../common/keyset-page';
import { DeliveryReadRepository } from '../deliveries/delivery-read.repository';
import type {
  AuthCodeRecord,
  CancelTokenJobRecord,
  ConsultationRecord,
  DeliveryAttemptRecord,
  DeliveryRecord,
  EventRecord,
  MerchantRef,
  MerchantRequestRecord,
  NotificationRecord,
} from '../read-models/read-models';
import { TokenTimelineRepository } from './token-timeline.repository';

/** A token as operators see it: masked, never whole. */
export interface TokenSummary {
  readonly id: string;
  /** `2810****1234`, from mask(). */
  readonly accessToken: string;
  readonly status: string;
  readonly cancelSource: string | null;
  readonly canceledAt: Date | null;
  readonly tokenCreatedAt: Date | null;
  readonly merchant: MerchantRef | null;
  readonly referenceMerchantId: string | null;
  readonly customerId: string | null;
  readonly pspId: string | null;
  readonly scopes: string[];
  readonly accessTokenExpiryTime: Date | null;
  readonly refreshTokenExpiryTime: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DeliveryWithAttempts extends DeliveryRecord {
  readonly attempts: DeliveryAttemptRecord[];
}

export interface EventWithDeliveries extends EventRecord {
  readonly deliveries: DeliveryWithAttempts[];
}

/** Each part in time order: what Alipay+ told us, what the merchant asked, what we did about it. */
export interface TokenTimeline {
  /** The consult that started the binding (matched on the auth code's authState), when it went through the gateway. */
  readonly consultations: ConsultationRecord[];
  readonly authCode: AuthCodeRecord | null;
  readonly notifications: NotificationRecord[];
  readonly merchantRequests: MerchantRequestRecord[];
  readonly cancelTokenJob: CancelTokenJobRecord | null;
  readonly events: EventWithDeliveries[];
}

export interface TokenDetail {
  readonly token: TokenSummary;
  readonly timeline: TokenTimeline;
}

/** Operator look-up of tokens, by value (through the keyed hash), by id, or by customer. */
@Injectable()
export class TokenLookupService {
  constructor(
    private readonly tokens: TokenTimelineRepository,
    private readonly deliveries: DeliveryReadRepository,
    private readonly vault: TokenVault,
  ) {}

  async byAccessToken(accessToken: string): Promise<TokenDetail> {
    const row = await this.tokens.findByTokenHash(this.vault.lookupHash('access-token', accessToken));
    // The answer never repeats the token: an operator pasting it into a ticket should not get it back.
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'no token with this value is known');
    return this.detail(row);
  }

  async byId(id: string): Promise<TokenDetail> {
    const row = await this.tokens.findById(id);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'token not found');
    return this.detail(row);
  }

  async byCustomer(customerId: string, merchantId?: string, limit?: number, cursor?: string): Promise<Page<TokenSummary>> {
    const request = pageRequest(limit, cursor);
    const rows = await this.tokens.pageByCustomer(customerId, merchantId, request);
    const merchants = await this.merchantsOf(rows);
    return toPage(rows, request, (row) => this.summary(row, merchants));
  }

  private async detail(row: AuthorizationEntity): Promise<TokenDetail> {
    const code = row.authCodeId === null ? null : await this.tokens.findAuthCode(row.authCodeId);
    const subjects = code === null ? [row.accessTokenHash] : [row.accessTokenHash, code.authCodeHash];
    const merchantId = row.merchantId ?? code?.merchantId ?? null;
    const [consultations, merchants, notifications, merchantRequests, cancelTokenJob, events] = await Promise.all([
      merchantId && code?.authState ? this.tokens.consultations(merchantId, code.authState, code.createdAt) : Promise.resolve([]),
      this.merchantsOf([row]),
      this.tokens.notifications(row.id, subjects),
      this.tokens.merchantRequests(row.id),
      this.tokens.cancelTokenJob(row.id),
      this.tokens.events(row.id, row.authCodeId),
    ]);
    return {
      token: this.summary(row, merchants),
      timeline: {
        consultations,
        authCode: code && {
          id: code.id,
          authState: code.authState,
          createdAt: code.createdAt,
          exchangeStatus: code.exchangeStatus,
          exchangeAttempts: code.exchangeAttempts,
          exchangeResultCode: code.exchangeResultCode,
        },
        notifications,
        merchantRequests,
        cancelTokenJob,
        events: await this.withDeliveries(events),
      },
    };
  }

  private async withDeliveries(events: EventRecord[]): Promise<EventWithDeliveries[]> {
    const deliveries = await this.deliveries.forEvents(events.map((e) => e.id));
    const attempts = await this.deliveries.attempts(deliveries.map((d) => d.id));
    const withAttempts = deliveries.map((d) => ({ ...d, attempts: attempts.filter((a) => a.deliveryId === d.id) }));
    return events.map((e) => ({ ...e, deliveries: withAttempts.filter((d) => d.eventId === e.id) }));
  }

  private async merchantsOf(rows: AuthorizationEntity[]): Promise<Map<string, MerchantRef>> {
    const ids = [...new Set(rows.map((r) => r.merchantId).filter((id): id is string => id !== null))];
    return new Map((await this.tokens.merchants(ids)).map((m) => [m.id, m]));
  }

  private summary(row: AuthorizationEntity, merchants: Map<string, MerchantRef>): TokenSummary {
    return {
      id: row.id,
      accessToken: this.masked(row.accessTokenEnc),
      status: row.status,
      cancelSource: row.cancelSource,
      canceledAt: row.canceledAt,
      tokenCreatedAt: row.tokenCreatedAt,
      merchant: (row.merchantId && merchants.get(row.merchantId)) || null,
      referenceMerchantId: row.referenceMerchantId,
      customerId: row.customerId,
      pspId: row.pspId,
      scopes: row.scopes ? row.scopes.split(' ').filter((s) => s !== '') : [],
      accessTokenExpiryTime: row.accessTokenExpiryTime,
      refreshTokenExpiryTime: row.refreshTokenExpiryTime,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  /** A row sealed under a key no longer configured still shows up, just fully masked. */
  private masked(sealed: string): string {
    try {
      return mask(this.vault.decrypt(sealed));
    } catch {
      return mask('');
    }
  }
}
