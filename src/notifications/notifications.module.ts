import { Module } from '@nestjs/common';
import { AuthorizationsModule } from '../authorizations/authorizations.module';
import { BindingsModule } from '../bindings/bindings.module';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { ApsInbound } from './aps-inbound';
import { AuthNotifyHandler } from './auth-notify.handler';
import { AuthNotifyService } from './auth-notify.service';
import { ConsultUnbindingHandler } from './consult-unbinding.handler';
import { ConsultUnbindingService } from './consult-unbinding.service';
import { NotificationRepository } from './notification.repository';
import { NotificationMetrics } from './notification.metrics';
import { NotificationsController } from './notifications.controller';

@Module({
  imports: [AuthorizationsModule, BindingsModule, CallbacksModule, MerchantsModule],
  controllers: [NotificationsController],
  providers: [NotificationRepository, ApsInbound, AuthNotifyHandler, AuthNotifyService, ConsultUnbindingHandler, ConsultUnbindingService, NotificationMetrics],
})
export class NotificationsModule {}
