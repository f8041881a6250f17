import { Module } from '@nestjs/common';
import { AlipayPlusModule } from '../alipayplus/alipayplus.module';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { AuthorizationRepository } from './authorization.repository';
import { CancelTokenJobRepository } from './cancel-token-job.repository';
import { CancelTokenMetrics } from './cancel-token.metrics';
import { CancelTokenWorker } from './cancel-token.worker';
import { MerchantRequestLog } from './merchant-request.log';
import { MerchantRequestRepository } from './merchant-request.repository';
import { MerchantsModule } from '../merchants/merchants.module';
import { RevokeService } from './revoke.service';
import { TokenStatusService } from './token-status.service';
import { TokenTransitions } from './token-transitions';

@Module({
  imports: [AlipayPlusModule, CallbacksModule, MerchantsModule],
  providers: [
    AuthorizationRepository,
    CancelTokenJobRepository,
    CancelTokenMetrics,
    CancelTokenWorker,
    MerchantRequestLog,
    MerchantRequestRepository,
    RevokeService,
    TokenStatusService,
    TokenTransitions,
  ],
  exports: [AuthorizationRepository, MerchantRequestLog, RevokeService, TokenStatusService, TokenTransitions, CancelTokenWorker],
})
export class AuthorizationsModule {}
