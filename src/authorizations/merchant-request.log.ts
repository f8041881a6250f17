import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { MerchantRequestRepository } from './merchant-request.repository';

/** Every merchant API call that reached a token, for the support timeline. Best effort: never fails the call. */
@Injectable()
export class MerchantRequestLog {
  private readonly logger = new Logger(MerchantRequestLog.name);

  constructor(private readonly repository: MerchantRequestRepository) {}

  async record(merchantId: string, authorizationId: string | null, api: string, resultStatus: string, resultCode: string, at: Date): Promise<void> {
    try {
      await this.repository.insert({
        id: randomUUID(),
        merchantId,
        authorizationId,
        api,
        resultStatus,
        resultCode,
        receivedAt: at,
      });
    } catch (err) {
      this.logger.warn({ msg: 'could not log a merchant request', err });
    }
  }
}
