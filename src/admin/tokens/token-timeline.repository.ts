import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { AuthCodeEntity } from '../../authorizations/auth-code.entity';
import { AuthorizationEntity } from '../../authorizations/authorization.entity';
import { CancelTokenAttemptEntity, CancelTokenJobEntity } from '../../authorizations/cancel-token-job.entity';
import { MerchantRequestEntity } from '../../authorizations/merchant-request.entity';
import { ConsultationEntity } from '../../bindings/consultation.entity';
import { EventEntity } from '../../callbacks/event.entity';
import { MerchantEntity } from '../../merchants/merchant.entity';
import type { PageRequest } from '../../common/keyset-page';
import { newestFirst } from '../../database/keyset.query';
import { NotificationEntity } from '../../notifications/notification.entity';
import {
  type ConsultationRecord,
  type CancelTokenJobRecord,
  type EventRecord,
  type MerchantRef,
  type MerchantRequestRecord,
  type NotificationRecord,
} from '../read-models/read-models';

/**
 * Everything recorded about one token, read for operators. Operator-wide on
 * purpose: the admin API answers across tenants, so no merchant id narrows
 * these reads (the caller may still filter by one).
 */
@Injectable()
export class TokenTimelineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get em() {
    return this.dataSource.manager;
  }

  findByTokenHash(accessTokenHash: string): Promise<AuthorizationEntity | null> {
    return this.em.findOne(AuthorizationEntity, { where: { accessTokenHash } });
  }

  findById(id: string): Promise<AuthorizationEntity | null> {
    return this.em.findOne(AuthorizationEntity, { where: { id } });
  }

  pageByCustomer(customerId: string, merchantId: string | undefined, page: PageRequest): Promise<AuthorizationEntity[]> {
    const qb = this.em.createQueryBuilder(AuthorizationEntity, 'a').where('a.customer_id = :customerId', { customerId });
    if (merchantId !== undefined) qb.andWhere('a.merchant_id = :merchantId', { merchantId });
    return newestFirst(qb, 'a', page).getMany();
  }

  async merchants(ids: string[]): Promise<MerchantRef[]> {
    if (ids.length === 0) return [];
    const rows = await this.em.find(MerchantEntity, { where: { id: In(ids) }, select: { id: true, referenceMerchantId: true, name: true } });
    return rows.map((m) => ({ id: m.id, referenceMerchantId: m.referenceMerchantId, name: m.name }));
  }

  findAuthCode(authCodeId: string): Promise<AuthCodeEntity | null> {
    return this.em.findOne(AuthCodeEntity, { where: { id: authCodeId } });
  }

  /** The merchant's latest consult with this authState before the code was seen: where the binding started. */
  async consultations(merchantId: string, authState: string, codeSeenAt: Date): Promise<ConsultationRecord[]> {
    const rows = await this.em.find(ConsultationEntity, {
      where: { merchantId, authState, createdAt: LessThanOrEqual(codeSeenAt) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 1,
    });
    return rows.map((c) => ({
      id: c.id,
      authState: c.authState,
      customerBelongsTo: c.customerBelongsTo,
      resultStatus: c.resultStatus,
      resultCode: c.resultCode,
      createdAt: c.createdAt,
    }));
  }

  /** By subject hash too: a notification about an unknown token is stored before any authorization row links it. */
  async notifications(authorizationId: string, subjectHashes: string[]): Promise<NotificationRecord[]> {
    const rows = await this.em.find(NotificationEntity, {
      where: [{ authorizationId }, { subjectHash: In(subjectHashes) }],
      order: { receivedAt: 'ASC', id: 'ASC' },
    });
    return rows.map((n) => ({
      id: n.id,
      type: n.notifyType,
      outcome: n.outcome,
      receivedAt: n.receivedAt,
      lastReceivedAt: n.lastReceivedAt,
      duplicateCount: n.duplicateCount,
    }));
  }

  async cancelTokenJob(authorizationId: string): Promise<CancelTokenJobRecord | null> {
    const job = await this.em.findOne(CancelTokenJobEntity, { where: { authorizationId } });
    if (!job) return null;
    const attempts = await this.em.find(CancelTokenAttemptEntity, { where: { jobId: job.id }, order: { attemptNo: 'ASC' } });
    return {
      id: job.id,
      status: job.status,
      merchantAccountId: job.merchantAccountId,
      attemptCount: job.attemptCount,
      nextAttemptAt: job.nextAttemptAt,
      lastResultStatus: job.lastResultStatus,
      lastResultCode: job.lastResultCode,
      settledAt: job.settledAt,
      createdAt: job.createdAt,
      attempts: attempts.map((a) => ({
        attemptNo: a.attemptNo,
        startedAt: a.startedAt,
        durationMs: a.durationMs,
        resultStatus: a.resultStatus,
        resultCode: a.resultCode,
        errorClass: a.errorClass,
      })),
    };
  }

  async merchantRequests(authorizationId: string): Promise<MerchantRequestRecord[]> {
    const rows = await this.em.find(MerchantRequestEntity, { where: { authorizationId }, order: { receivedAt: 'ASC', id: 'ASC' } });
    return rows.map((r) => ({ id: r.id, api: r.api, resultStatus: r.resultStatus, resultCode: r.resultCode, receivedAt: r.receivedAt }));
  }

  /** The token's own events, and the AUTHCODE_CREATED of the code it was exchanged from. */
  async events(authorizationId: string, authCodeId: string | null): Promise<EventRecord[]> {
    const where = authCodeId === null ? [{ authorizationId }] : [{ authorizationId }, { authCodeId }];
    const rows = await this.em.find(EventEntity, { where, order: { occurredAt: 'ASC', id: 'ASC' } });
    return rows.map((e) => ({ id: e.id, type: e.eventType, cancelSource: e.cancelSource, occurredAt: e.occurredAt }));
  }
}
