import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../ops/metrics.service';

@Injectable()
export class NotificationMetrics {
  readonly notifications: Counter<'type' | 'result'>;
  readonly signatureFailures: Counter<'route' | 'reason'>;
  readonly ackSeconds: Histogram<'type' | 'result'>;

  constructor(metrics: MetricsService) {
    this.notifications = metrics.counter({
      name: 'acqp_authnotify_total',
      help: 'authNotify received, by notification type and our answer (APPLIED, DUPLICATE, or the non-S result code)',
      labelNames: ['type', 'result'],
    });
    this.signatureFailures = metrics.counter({
      name: 'acqp_signature_failures_total',
      help: 'Inbound requests refused for their signature, client id or request time',
      labelNames: ['route', 'reason'],
    });
    this.ackSeconds = metrics.histogram({
      name: 'acqp_authnotify_ack_seconds',
      help: 'Time from receiving an authNotify to answering it',
      labelNames: ['type', 'result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
  }
}
