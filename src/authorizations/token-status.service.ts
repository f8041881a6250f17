import { Injectable } from '@nestjs/common';
import { DeliveryRepository } from '../callbacks/delivery.repository';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { TokenVault } from '../common/crypto/token-vault';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { AuthorizationRepository } from './authorization.repository';
import type { AuthorizationEntity } from './authorization.entity';
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
    private readonly authorizations: AuthorizationRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {}

  async tokenQuery(merchant: MerchantEntity, accessToken: string): Promise<TokenQueryView> {
    const row = await this.owned(merchant, accessToken);
    return {
      accessToken,
      ...(row.accessTokenExpiryTime ? { accessTokenExpiryTime: row.accessTokenExpiryTime.toISOString() } : {}),
      ...(row.refreshTokenExpiryTime ? { refreshTokenExpiryTime: row.refreshTokenExpiryTime.toISOString() } : {}),
      tokenStatusType: tokenStatusType(row.status, row.accessTokenExpiryTime, this.clock.now()),
    };
  }

  async forMerchant(merchant: MerchantEntity, accessToken: string): Promise<TokenStatusView> {
    const row = await this.owned(merchant, accessToken);
    const deliveries = await this.deliveries.newestForToken(merchant.id, row.id, 20);
    return {
      tokenStatus: row.status,
      ...(row.cancelSource ? { tokenCancelSource: row.cancelSource } : {}),
      ...(row.canceledAt ? { canceledAt: row.canceledAt.toISOString() } : {}),
      ...(row.accessTokenExpiryTime ? { accessTokenExpiryTime: row.accessTokenExpiryTime.toISOString() } : {}),
      callbackDeliveries: deliveries.map((d) => ({
        eventId: d.eventId,
        endpointId: d.endpointId,
        status: d.status,
        attempts: d.attemptCount,
        lastHttpStatus: d.lastHttpStatus,
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
      })),
    };
  }

  private async owned(merchant: MerchantEntity, accessToken: string): Promise<AuthorizationEntity> {
    const row = await this.authorizations.findOwned(merchant, this.vault.lookupHash('access-token', accessToken));
    if (!row) throw new DomainError(ErrorCode.INVALID_ACCESS_TOKEN, 'the access token is invalid');
    return row;
  }
}
