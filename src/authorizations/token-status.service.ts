import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { TokenVault } from '../common/crypto/token-vault';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { AuthorizationRepository } from './authorization.repository';
import type { AuthorizationEntity } from './authorization.entity';
import { ownedBy } from './revoke.service';
import { tokenStatusType, type TokenStatus, type TokenStatusType } from './token-state';

export interface TokenStatusView {
  tokenStatus: TokenStatus;
  tokenCancelSource?: string;
  canceledAt?: string;
  accessTokenExpiryTime?: string;
  callbackDeliveries: Array<{
    eventId: string;
    endpointId: string;
    status: string;
    attempts: number;
    lastHttpStatus: number | null;
    deliveredAt: string | null;
  }>;
}

/**
 * Antom `query` (AlipayAuthQueryTokenResponse). The refresh token is never
 * answered: the gateway keeps it, as it keeps it out of callbacks.
 */
export interface TokenQueryView {
  accessToken: string;
  accessTokenExpiryTime?: string;
  refreshTokenExpiryTime?: string;
  tokenStatusType: TokenStatusType;
}

/** What a merchant may see of its own token; another merchant's token is as unknown as a made-up one. */
@Injectable()
export class TokenStatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly authorizations: AuthorizationRepository,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {}

  async query(merchant: MerchantEntity, accessToken: string): Promise<TokenQueryView> {
    const row = await this.owned(merchant, accessToken);
    return {
      accessToken,
      ...(row.accessTokenExpiryTime ? { accessTokenExpiryTime: row.accessTokenExpiryTime.toISOString() } : {}),
      ...(row.refreshTokenExpiryTime ? { refreshTokenExpiryTime: row.refreshTokenExpiryTime.toISOString() } : {}),
      tokenStatusType: tokenStatusType(row.status, row.accessTokenExpiryTime, this.clock.now()),
    };
  }

  async forMerchant(merchant: MerchantEntity, accessToken: string): Promise<TokenStatusView> {
    const em = this.dataSource.manager;
    const row = await this.owned(merchant, accessToken);
    const deliveries: Array<Record<string, unknown>> = await em.query(
      `SELECT d.event_id, d.endpoint_id, d.status, d.attempt_count, d.last_http_status, d.delivered_at
         FROM events e JOIN deliveries d ON d.event_id = e.id
        WHERE e.authorization_id = ? AND d.merchant_id = ?
        ORDER BY d.created_at DESC LIMIT 20`,
      [row.id, merchant.id],
    );
    return {
      tokenStatus: row.status,
      ...(row.cancelSource ? { tokenCancelSource: row.cancelSource } : {}),
      ...(row.canceledAt ? { canceledAt: row.canceledAt.toISOString() } : {}),
      ...(row.accessTokenExpiryTime ? { accessTokenExpiryTime: row.accessTokenExpiryTime.toISOString() } : {}),
      callbackDeliveries: deliveries.map((d) => ({
        eventId: String(d.event_id),
        endpointId: String(d.endpoint_id),
        status: String(d.status),
        attempts: Number(d.attempt_count),
        lastHttpStatus: d.last_http_status === null ? null : Number(d.last_http_status),
        deliveredAt: d.delivered_at === null ? null : new Date(d.delivered_at as string).toISOString(),
      })),
    };
  }

  private async owned(merchant: MerchantEntity, accessToken: string): Promise<AuthorizationEntity> {
    const row = await this.authorizations.findByTokenHash(this.dataSource.manager, this.vault.lookupHash('access-token', accessToken));
    if (!row || !ownedBy(row, merchant)) throw new DomainError(ErrorCode.INVALID_ACCESS_TOKEN, 'the access token is invalid');
    return row;
  }
}
