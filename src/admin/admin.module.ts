import { Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module';
import { DeliveryListController } from './deliveries/delivery-list.controller';
import { DeliveryListService } from './deliveries/delivery-list.service';
import { CallbackEndpointsController } from './endpoints/callback-endpoints.controller';
import { GatewayKeyController } from './gateway/gateway-key.controller';
import { AdminBodyGuard } from './http/admin-body.guard';
import { AdminAccessGuard } from './http/admin-access.guard';
import { AdminAuditInterceptor } from './http/admin-audit.interceptor';
import { AdminGate } from './http/admin-gate';
import { MerchantsController } from './merchants/merchants.controller';
import { AuditController, OperatorsController } from './operators/operators.controller';
import { DeliveryReadRepository } from './read-models/delivery-read.repository';
import { TokenTimelineRepository } from './read-models/token-timeline.repository';
import { SubMerchantsController } from './sub-merchants/sub-merchants.controller';
import { TokenLookupService } from './tokens/token-lookup.service';
import { TokensController } from './tokens/tokens.controller';

/** The operator API under /admin/v1: bearer-token guarded, validated, documented in the OpenAPI. */
@Module({
  imports: [MerchantsModule],
  controllers: [
    MerchantsController,
    SubMerchantsController,
    CallbackEndpointsController,
    TokensController,
    DeliveryListController,
    GatewayKeyController,
    OperatorsController,
    AuditController,
  ],
  // Admin controllers in other modules (e.g. the callbacks module's delivery actions) need not import this
  // module: @AdminController brings the guards, interceptor, pipe and filter, which depend on global providers only.
  providers: [
    AdminGate,
    AdminAccessGuard,
    AdminAuditInterceptor,
    AdminBodyGuard,
    TokenTimelineRepository,
    DeliveryReadRepository,
    TokenLookupService,
    DeliveryListService,
  ],
})
export class AdminModule {}
