import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { CANCEL_TOKEN_RESULT_CODES } from '../alipayplus/cancel-token.transformers';
import { MetricsService } from '../ops/metrics.service';

/** Binding through the gateway: consult, applyToken (by grant) and the exchanges behind it, by result. */
@Injectable()
export class BindingMetrics {
  /** Merchant calls: api consult | applyToken | refresh, result S/F/U, result code as answered. */
  readonly calls: Counter<'api' | 'result' | 'code'>;
  /** Alipay+ applyToken exchanges of auth codes, by who asked (MERCHANT, AUTO) and Alipay+'s answer. */
  readonly exchanges: Counter<'source' | 'result' | 'code'>;

  constructor(metrics: MetricsService) {
    this.calls = metrics.counter({
      name: 'acqp_binding_calls_total',
      help: 'Merchant consult, applyToken and refresh calls by result status and code',
      labelNames: ['api', 'result', 'code'],
    });
    this.exchanges = metrics.counter({
      name: 'acqp_auth_code_exchanges_total',
      help: 'Alipay+ applyToken calls exchanging auth codes, by source (MERCHANT, AUTO), result status and code',
      labelNames: ['source', 'result', 'code'],
    });
  }
}

/** Result codes as metric labels: the documented ones, and OTHER for anything else Alipay+ might send (labels stay few). */
const KNOWN_CODES: ReadonlySet<string> = new Set([
  ...Object.keys(CANCEL_TOKEN_RESULT_CODES),
  'INVALID_CODE',
  'EXPIRED_CODE',
  'USED_CODE',
  'INVALID_REFRESH_TOKEN',
  'EXPIRED_REFRESH_TOKEN',
  'MALFORMED_RESPONSE',
  'TIMEOUT',
  'CONNECTION',
  'HTTP_5XX',
  'UNSIGNED',
  'BAD_SIGNATURE',
  'CIRCUIT_OPEN',
  'RESULT_U',
]);

export function metricCode(code: string): string {
  return KNOWN_CODES.has(code) ? code : 'OTHER';
}
