import { Injectable } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../ops/metrics.service';

@Injectable()
export class CancelTokenMetrics {
  readonly attempts: Counter<'outcome' | 'code'>;
  private pending: Gauge | undefined;

  constructor(private readonly metrics: MetricsService) {
    this.attempts = metrics.counter({
      name: 'acqp_cancel_token_attempts_total',
      help: 'Alipay+ cancelToken attempts by outcome (CANCELED, FAILED, UNKNOWN) and result code',
      labelNames: ['outcome', 'code'],
    });
  }

  /** The gauge reads the job table when Prometheus scrapes, not on every change. */
  watchPending(count: () => Promise<number>): void {
    this.pending ??= this.metrics.gauge({
      name: 'acqp_cancel_token_jobs_pending',
      help: 'Merchant revokes not yet settled with Alipay+',
      async collect() {
        this.set(await count().catch(() => -1));
      },
    });
  }
}
