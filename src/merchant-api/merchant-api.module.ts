import { Module } from '@nestjs/common';
import { AuthorizationsModule } from '../authorizations/authorizations.module';
import { BindingsModule } from '../bindings/bindings.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { MerchantApiController } from './merchant-api.controller';
import { MerchantApiHandler } from './merchant-api.handler';
import { MerchantInbound } from './merchant-inbound';
import { MerchantRateLimiter } from './rate-limiter';

@Module({
  imports: [AuthorizationsModule, BindingsModule, MerchantsModule],
  controllers: [MerchantApiController],
  providers: [MerchantApiHandler, MerchantInbound, MerchantRateLimiter],
})
export class MerchantApiModule {}
