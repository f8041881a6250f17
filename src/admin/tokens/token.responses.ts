import { ApiProperty } from '@nestjs/swagger';
import { CANCEL_TOKEN_JOB_STATUSES } from '../../authorizations/cancel-token-job.entity';
import { TOKEN_STATUSES } from '../../authorizations/token-state';
import { RESULT_STATUSES } from '../../http/signed-reply';
import type { Page } from '../../common/keyset-page';
import { DeliveryAttemptResponse, DeliveryResponse } from '../deliveries/delivery.responses';
import type { CancelTokenJobRecord, MerchantRef, MerchantRequestRecord, NotificationRecord } from '../read-models/read-models';
import type { DeliveryWithAttempts, EventWithDeliveries, TokenDetail, TokenSummary } from './token-lookup.service';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class MerchantRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() referenceMerchantId: string;
  @ApiProperty() name: string;
}

export class TokenSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2810****1234', description: 'Masked: at most 4 characters each side.' }) accessToken: string;
  @ApiProperty({ enum: TOKEN_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String, example: 'PSP' }) cancelSource: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) canceledAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) tokenCreatedAt: string | null;
  @ApiProperty({ nullable: true, type: MerchantRefResponse }) merchant: MerchantRefResponse | null;
  @ApiProperty({ nullable: true, type: String }) referenceMerchantId: string | null;
  @ApiProperty({ nullable: true, type: String }) customerId: string | null;
  @ApiProperty({ nullable: true, type: String }) pspId: string | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) accessTokenExpiryTime: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) refreshTokenExpiryTime: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(t: TokenSummary): TokenSummaryResponse {
    const merchant: MerchantRef | null = t.merchant;
    return {
      id: t.id,
      accessToken: t.accessToken,
      status: t.status,
      cancelSource: t.cancelSource,
      canceledAt: iso(t.canceledAt),
      tokenCreatedAt: iso(t.tokenCreatedAt),
      merchant: merchant && { id: merchant.id, referenceMerchantId: merchant.referenceMerchantId, name: merchant.name },
      referenceMerchantId: t.referenceMerchantId,
      customerId: t.customerId,
      pspId: t.pspId,
      scopes: t.scopes,
      accessTokenExpiryTime: iso(t.accessTokenExpiryTime),
      refreshTokenExpiryTime: iso(t.refreshTokenExpiryTime),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}

export class NotificationEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'TOKEN_CANCELED' }) type: string;
  @ApiProperty({ example: 'APPLIED' }) outcome: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ format: 'date-time' }) lastReceivedAt: string;
  @ApiProperty({ description: 'How many identical notifications arrived after the first.' }) duplicateCount: number;
}

export class ConsultationEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "The merchant's authState, echoed by Alipay+ in AUTHCODE_CREATED." }) authState: string;
  @ApiProperty({ example: 'ALIPAY_CN' }) customerBelongsTo: string;
  @ApiProperty({ enum: RESULT_STATUSES }) resultStatus: string;
  @ApiProperty({ example: 'SUCCESS' }) resultCode: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AuthCodeEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) authState: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    nullable: true,
    enum: ['PENDING', 'EXCHANGING', 'EXCHANGED', 'FAILED'],
    description: 'Its exchange for a token (Alipay+ applyToken); null: never asked.',
  })
  exchangeStatus: string | null;
  @ApiProperty() exchangeAttempts: number;
  @ApiProperty({ nullable: true, type: String }) exchangeResultCode: string | null;
}

export class MerchantRequestEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'revoke' }) api: string;
  @ApiProperty({ enum: RESULT_STATUSES }) resultStatus: string;
  @ApiProperty({ example: 'SUCCESS' }) resultCode: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
}

export class CancelTokenAttemptResponse {
  @ApiProperty() attemptNo: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty() durationMs: number;
  @ApiProperty({ nullable: true, enum: RESULT_STATUSES, description: 'null when no answer came (timeout, network)' }) resultStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) resultCode: string | null;
  @ApiProperty({ nullable: true, type: String }) errorClass: string | null;
}

export class CancelTokenJobResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CANCEL_TOKEN_JOB_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) merchantAccountId: string | null;
  @ApiProperty() attemptCount: number;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, enum: RESULT_STATUSES }) lastResultStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) lastResultCode: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) settledAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [CancelTokenAttemptResponse] }) attempts: CancelTokenAttemptResponse[];
}

export class TimelineDeliveryResponse extends DeliveryResponse {
  @ApiProperty({ type: [DeliveryAttemptResponse] }) attempts: DeliveryAttemptResponse[];
}

export class EventEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'TOKEN_CANCELED' }) type: string;
  @ApiProperty({ nullable: true, type: String }) cancelSource: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: [TimelineDeliveryResponse] }) deliveries: TimelineDeliveryResponse[];
}

export class TokenTimelineResponse {
  @ApiProperty({ type: [ConsultationEntryResponse], description: 'The consult that started the binding, when it went through the gateway.' })
  consultations: ConsultationEntryResponse[];
  @ApiProperty({ nullable: true, type: AuthCodeEntryResponse, description: 'The auth code the token was exchanged from.' })
  authCode: AuthCodeEntryResponse | null;
  @ApiProperty({ type: [NotificationEntryResponse] }) notifications: NotificationEntryResponse[];
  @ApiProperty({ type: [MerchantRequestEntryResponse], description: "The merchant's applyToken, refresh and revoke calls." })
  merchantRequests: MerchantRequestEntryResponse[];
  @ApiProperty({ nullable: true, type: CancelTokenJobResponse, description: 'The cancelToken retry job, if a revoke started one.' })
  cancelTokenJob: CancelTokenJobResponse | null;
  @ApiProperty({ type: [EventEntryResponse] }) events: EventEntryResponse[];
}

export class TokenDetailResponse {
  @ApiProperty({ type: TokenSummaryResponse }) token: TokenSummaryResponse;
  @ApiProperty({ type: TokenTimelineResponse }) timeline: TokenTimelineResponse;

  static from(d: TokenDetail): TokenDetailResponse {
    const t = d.timeline;
    return {
      token: TokenSummaryResponse.from(d.token),
      timeline: {
        consultations: t.consultations.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
        authCode: t.authCode && { ...t.authCode, createdAt: t.authCode.createdAt.toISOString() },
        notifications: t.notifications.map(notification),
        merchantRequests: t.merchantRequests.map(merchantRequest),
        cancelTokenJob: t.cancelTokenJob && cancelTokenJob(t.cancelTokenJob),
        events: t.events.map(event),
      },
    };
  }
}

export class TokenPageResponse {
  @ApiProperty({ type: [TokenSummaryResponse] }) items: TokenSummaryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;

  static from(page: Page<TokenSummary>): TokenPageResponse {
    return { items: page.items.map((t) => TokenSummaryResponse.from(t)), nextCursor: page.nextCursor };
  }
}

function notification(n: NotificationRecord): NotificationEntryResponse {
  return {
    id: n.id,
    type: n.type,
    outcome: n.outcome,
    receivedAt: n.receivedAt.toISOString(),
    lastReceivedAt: n.lastReceivedAt.toISOString(),
    duplicateCount: n.duplicateCount,
  };
}

function merchantRequest(r: MerchantRequestRecord): MerchantRequestEntryResponse {
  return { id: r.id, api: r.api, resultStatus: r.resultStatus, resultCode: r.resultCode, receivedAt: r.receivedAt.toISOString() };
}

function cancelTokenJob(j: CancelTokenJobRecord): CancelTokenJobResponse {
  return {
    id: j.id,
    status: j.status,
    merchantAccountId: j.merchantAccountId,
    attemptCount: j.attemptCount,
    nextAttemptAt: j.nextAttemptAt.toISOString(),
    lastResultStatus: j.lastResultStatus,
    lastResultCode: j.lastResultCode,
    settledAt: iso(j.settledAt),
    createdAt: j.createdAt.toISOString(),
    attempts: j.attempts.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() })),
  };
}

function event(e: EventWithDeliveries): EventEntryResponse {
  return { id: e.id, type: e.type, cancelSource: e.cancelSource, occurredAt: e.occurredAt.toISOString(), deliveries: e.deliveries.map(delivery) };
}

function delivery(d: DeliveryWithAttempts): TimelineDeliveryResponse {
  return { ...DeliveryResponse.from(d), attempts: d.attempts.map((a) => DeliveryAttemptResponse.from(a)) };
}
