import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { SandboxSimulatorModule } from './alipayplus/simulator/sandbox-simulator.module';
import { OutboundModule } from './outbound/outbound.module';
import type { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import type { GatewayConfig } from './config/gateway-config';
import { ConsoleModule } from './console/console.module';
import { DatabaseModule } from './database/database.module';
import { MerchantApiModule } from './merchant-api/merchant-api.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OperatorsModule } from './operators/operators.module';
import { OpsModule } from './ops/ops.module';

export interface AppModuleOptions {
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(options.clock),
        DatabaseModule,
        OpsModule,
        OperatorsModule,
        OutboundModule,
        NotificationsModule,
        MerchantApiModule,
        AdminModule,
        ConsoleModule,
        ...(config.mode === 'sandbox' ? [SandboxSimulatorModule] : []),
      ],
    };
  }
}
