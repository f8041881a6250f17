import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pendingMigrations, ping } from '../database/schema-migrator';

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: { database: 'ok' | 'unreachable'; migrations: 'ok' | 'pending' | 'unknown' };
  draining?: true;
}

/** Readiness time budget: a load balancer should not wait on a hung database. */
const CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private draining = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Called on SIGTERM: report not-ready so the load balancer stops sending new work. */
  startDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<ReadinessReport> {
    let database: ReadinessReport['checks']['database'] = 'ok';
    let migrations: ReadinessReport['checks']['migrations'] = 'unknown';
    try {
      await withTimeout(ping(this.dataSource), CHECK_TIMEOUT_MS);
      // Reads only: a gateway that is not to migrate makes no DDL, not even the migrations table.
      migrations = (await withTimeout(pendingMigrations(this.dataSource), CHECK_TIMEOUT_MS)).length > 0 ? 'pending' : 'ok';
    } catch {
      database = 'unreachable';
    }
    const ok = database === 'ok' && migrations === 'ok' && !this.draining;
    return { status: ok ? 'ok' : 'unavailable', checks: { database, migrations }, ...(this.draining ? { draining: true as const } : {}) };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
