import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { mask } from '../common/crypto/fingerprint';
import { GuardedHttpClient } from '../outbound/guarded-http.client';
import type { AttemptResult } from './delivery-policy';

/** Answers are read this far at most: an acknowledgement is a few hundred bytes. */
const MAX_READ_BYTES = 64 * 1024;
/** What an attempt row keeps of the answer. */
export const STORED_BODY_BYTES = 1024;

export interface CallbackExchange {
  readonly result: AttemptResult;
  /** The first 1 KiB of the answer, if any, with the callback's token or auth code masked. */
  readonly responseBody: string | null;
  /** A short, secret-free description for logs and `last_error`. */
  readonly detail: string | null;
}

/**
 * POSTs one callback through the guarded outbound client (SSRF check on the
 * address connected to, no redirects, one deadline) and reads what the
 * delivery policy needs of the answer: its status, `result.resultStatus`
 * and `Retry-After`.
 */
@Injectable()
export class CallbackClient {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'callbacks'>,
    private readonly http: GuardedHttpClient,
  ) {}

  /** The agents calls go through: tests prove a refused callback never opens a connection. */
  get agents() {
    return this.http.agents;
  }

  /**
   * `secrets` are masked in the stored part of the answer: a receiver that
   * echoes its request back would otherwise put a whole access token into an
   * attempt row, the admin API and the console.
   */
  async post(url: string, headers: Record<string, string>, body: Buffer, secrets: readonly string[] = []): Promise<CallbackExchange> {
    const exchange = await this.http.post(url, headers, body, { timeoutMs: this.config.callbacks.timeoutMs, maxReadBytes: MAX_READ_BYTES });
    if (exchange.kind === 'error') return { result: { kind: 'error', errorClass: exchange.errorClass }, responseBody: null, detail: exchange.detail };
    return {
      result: {
        kind: 'answer',
        httpStatus: exchange.status,
        resultStatus: resultStatusOf(exchange.status, exchange.body, exchange.truncated),
        retryAfter: exchange.retryAfter,
      },
      responseBody: exchange.body.length === 0 ? null : storedAnswer(exchange.body, secrets),
      detail: `HTTP ${exchange.status}`,
    };
  }
}

/** The first STORED_BODY_BYTES of the answer, every secret masked first (so none is cut in half and kept). */
function storedAnswer(body: Buffer, secrets: readonly string[]): string {
  let text = body.toString('utf8');
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join(mask(secret));
  return Buffer.from(text, 'utf8').subarray(0, STORED_BODY_BYTES).toString('utf8');
}

function resultStatusOf(status: number, raw: Buffer, truncated: boolean): string | null {
  if (status !== 200 || truncated) return null;
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { result?: { resultStatus?: unknown } } | null;
    const s = parsed?.result?.resultStatus;
    return typeof s === 'string' ? s : null;
  } catch {
    return null;
  }
}
