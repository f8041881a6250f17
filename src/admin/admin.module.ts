import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { DeliveriesAdminController } from './deliveries/delivery-actions.controller';
import { DeliveryDetailController } from './deliveries/delivery-detail.controller';
import { DeliveryDetailService } from './deliveries/delivery-detail.service';
import { DeliveryReadRepository } from './deliveries/delivery-read.repository';
import { EndpointDeliveriesAdminController } from './endpoints/endpoint-deliveries.controller';
import { StatsController } from './stats/stats.controller';
import { StatsRepository } from './stats/stats.repository';
import { StatsService } from './stats/stats.service';
import { TokenTimelineRepository } from './tokens/token-timeline.repository';
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
import { SubMerchantsController } from './sub-merchants/sub-merchants.controller';
import { TokenLookupService } from './tokens/token-lookup.service';
import { TokensController } from './tokens/tokens.controller';

/** The operator API under /admin/v1: bearer-token guarded, validated, documented in the OpenAPI. */
@Module({
  imports: [MerchantsModule, CallbacksModule],
  controllers: [
    MerchantsController,
    SubMerchantsController,
    CallbackEndpointsController,
    TokensController,
    DeliveryListController,
    DeliveryDetailController,
    DeliveriesAdminController,
    EndpointDeliveriesAdminController,
    StatsController,
    GatewayKeyController,
    OperatorsController,
    AuditController,
  ],
  // Every /admin/v1 controller is here, under src/admin/<resource>/; domain modules export the services they call.
  providers: [
    AdminGate,
    AdminAccessGuard,
    AdminAuditInterceptor,
    AdminBodyGuard,
    TokenTimelineRepository,
    DeliveryReadRepository,
    TokenLookupService,
    DeliveryListService,
    DeliveryDetailService,
    StatsRepository,
    StatsService,
  ],
})
export class AdminModule {}
