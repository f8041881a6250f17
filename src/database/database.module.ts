import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { dataSourceOptions } from './data-source-options';
import { GroupSync, walFlush } from './group-sync';
import { SchemaGate } from './schema-gate';
import { SqlDialect } from './sql-dialect';
import { UnitOfWork } from './unit-of-work';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        ...dataSourceOptions(config.database),
        // SchemaGate migrates at boot where that is the gateway's job: embedded SQLite always, so
        // `npm start` needs nothing else; MySQL only with DATABASE_MIGRATE_ON_START (else the operator).
        migrationsRun: false,
        // Fail the boot at once on a bad DATABASE_URL instead of retrying for half a minute.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [
    UnitOfWork,
    SchemaGate,
    { provide: SqlDialect, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => SqlDialect.of(dataSource) },
    {
      provide: GroupSync,
      inject: [GATEWAY_CONFIG],
      useFactory: ({ database }: GatewayConfig) => (database.kind === 'sqlite' && database.fsyncBeforeAck ? new GroupSync(walFlush(database.path)) : null),
    },
  ],
  exports: [UnitOfWork, SchemaGate, SqlDialect],
})
export class DatabaseModule {}
