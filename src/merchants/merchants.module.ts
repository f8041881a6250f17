import { Module } from '@nestjs/common';
import { MerchantDirectory } from './merchant-directory';

@Module({
  providers: [MerchantDirectory],
  exports: [MerchantDirectory],
})
export class MerchantsModule {}
