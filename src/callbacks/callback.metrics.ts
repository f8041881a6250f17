import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../ops/metrics.service';
import type { AttemptOutcome } from './delivery.entity';

@Injectable()
export class CallbackMetrics {
  /** Per attempt: SUCCEEDED, RETRY, FAILED (dead), ENDPOINT_DISABLED (incl. the waiting deliveries a disable fails). */
  readonly deliveries: Counter<'outcome'>;
  readonly attemptSeconds: Histogram<'outcome'>;
  private watching = false;

  constructor(private readonly metrics: MetricsService) {
    this.deliveries = metrics.counter({
      name: 'acqp_callback_deliveries_total',
      help: 'Merchant callback delivery results by outcome (SUCCEEDED, RETRY, FAILED, ENDPOINT_DISABLED)',
      labelNames: ['outcome'],
    });
    this.attemptSeconds = metrics.histogram({
      name: 'acqp_callback_attempt_seconds',
      help: 'Duration of one merchant callback attempt',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  count(outcome: AttemptOutcome, n = 1): void {
    if (n > 0) this.deliveries.inc({ outcome }, n);
  }

  /** The gauges read the deliveries table when Prometheus scrapes, not on every change. */
  watchQueue(depth: () => Promise<number>, oldestDueSeconds: () => Promise<number>): void {
    if (this.watching) return;
    this.watching = true;
    this.metrics.gauge({
      name: 'acqp_callback_queue_depth',
      help: 'Callback deliveries PENDING or LEASED',
      async collect() {
        this.set(await depth().catch(() => -1));
      },
    });
    this.metrics.gauge({
      name: 'acqp_callback_oldest_due_seconds',
      help: 'How overdue the most overdue PENDING callback delivery is, in seconds',
      async collect() {
        this.set(await oldestDueSeconds().catch(() => -1));
      },
    });
  }
}
