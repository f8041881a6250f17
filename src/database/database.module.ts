import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { dataSourceOptions } from './data-source-options';
import { UnitOfWork } from './unit-of-work';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        ...dataSourceOptions(config.database),
        // Embedded mode migrates itself so `npm start` needs nothing else; on MySQL the
        // operator runs `npm run migration:run` unless DATABASE_MIGRATE_ON_START says otherwise.
        migrationsRun: config.database.kind === 'sqlite' || config.databaseMigrateOnStart,
        // Fail the boot at once on a bad DATABASE_URL instead of retrying for half a minute.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [UnitOfWork],
  exports: [UnitOfWork],
})
export class DatabaseModule {}
