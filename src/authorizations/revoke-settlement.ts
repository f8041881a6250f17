import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { CancelTokenJobEntity } from './cancel-token-job.entity';

/** Ends a merchant revoke's cancelToken retries when a TOKEN_CANCELED notification settles it first. */
@Injectable()
export class RevokeSettlement {
  async settleByNotification(em: EntityManager, authorizationId: string, now: Date): Promise<void> {
    await em.update(
      CancelTokenJobEntity,
      { authorizationId, status: In(['PENDING', 'LEASED']) },
      // Bumping the lease version fences out an attempt in flight: its completion will not apply.
      { status: 'SETTLED', settledAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null, leaseVersion: () => 'lease_version + 1' },
    );
  }
}
