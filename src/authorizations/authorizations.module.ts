import { Module } from '@nestjs/common';
import { AlipayPlusModule } from '../alipayplus/alipayplus.module';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { AuthorizationRepository } from './authorization.repository';
import { CancelTokenJobRepository } from './cancel-token-job.repository';
import { CancelTokenMetrics } from './cancel-token.metrics';
import { CancelTokenWorker } from './cancel-token.worker';
import { MerchantRequestLog } from './merchant-request.log';
import { RevokeSettlement } from './revoke-settlement';
import { RevokeService } from './revoke.service';
import { TokenStatusService } from './token-status.service';
import { TokenTransitions } from './token-transitions';

@Module({
  imports: [AlipayPlusModule, CallbacksModule],
  providers: [
    AuthorizationRepository,
    RevokeSettlement,
    CancelTokenJobRepository,
    CancelTokenMetrics,
    CancelTokenWorker,
    MerchantRequestLog,
    RevokeService,
    TokenStatusService,
    TokenTransitions,
  ],
  exports: [AuthorizationRepository, RevokeSettlement, RevokeService, TokenStatusService, TokenTransitions, CancelTokenWorker],
})
export class AuthorizationsModule {}
