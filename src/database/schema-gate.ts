import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { migrate, pendingMigrations } from './schema-migrator';

/** How often a gateway waiting for its schema looks again, quietly. */
const RECHECK_MS = 5_000;

/**
 * Whether the schema is migrated, for the background loops. At boot it
 * migrates where that is the gateway's job (SQLite always; MySQL with
 * DATABASE_MIGRATE_ON_START). On a MySQL database that is not migrated, or
 * only half, it says so once, with the command to run, and the loops wait
 * (instead of failing every poll with a stack trace) until an operator has
 * migrated; /health/ready answers 503 meanwhile.
 */
@Injectable()
export class SchemaGate implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('database');
  private ready = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** True once every migration is applied. */
  get migrated(): boolean {
    return this.ready;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.database.kind === 'sqlite' || this.config.databaseMigrateOnStart) {
      const applied = await migrate(this.dataSource);
      if (applied.length > 0) this.logger.log({ msg: 'migrations applied', applied });
    }
    const pending = await pendingMigrations(this.dataSource);
    if (pending.length === 0) {
      this.ready = true;
      return;
    }
    this.logger.error({
      msg:
        `the database schema is not migrated (${pending.length} of ${this.dataSource.migrations.length} migrations pending): ` +
        'run `npm run migration:run` with this DATABASE_URL, or set DATABASE_MIGRATE_ON_START=true. ' +
        'Callbacks and cancelToken retries wait until then, and /health/ready answers 503.',
      pending,
    });
    this.timer = setInterval(() => void this.recheck(), RECHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async recheck(): Promise<void> {
    try {
      if ((await pendingMigrations(this.dataSource)).length > 0) return;
    } catch {
      return; // the database is away: /health/ready says so; look again later
    }
    clearInterval(this.timer);
    this.ready = true;
    this.logger.log({ msg: 'the database schema is migrated: background work starts' });
  }
}
