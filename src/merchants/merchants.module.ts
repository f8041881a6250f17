import { Module } from '@nestjs/common';
import { CallbackEndpointRepository } from './callback-endpoint.repository';
import { CallbackEndpointService } from './callback-endpoint.service';
import { EndpointUrlPolicy } from './endpoint-url.policy';
import { MerchantDirectory } from './merchant-directory';
import { MerchantRepository } from './merchant.repository';
import { MerchantService } from './merchant.service';
import { SubMerchantRepository } from './sub-merchant.repository';
import { SubMerchantService } from './sub-merchant.service';

@Module({
  providers: [
    MerchantDirectory,
    EndpointUrlPolicy,
    MerchantRepository,
    SubMerchantRepository,
    CallbackEndpointRepository,
    MerchantService,
    SubMerchantService,
    CallbackEndpointService,
  ],
  exports: [MerchantDirectory, EndpointUrlPolicy, MerchantService, SubMerchantService, CallbackEndpointService, SubMerchantRepository],
})
export class MerchantsModule {}
