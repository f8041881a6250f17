import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { callbackBody } from '../../src/callbacks/callback-payload';
import { antomCallbackHeaders } from '../../src/callbacks/callback-signature';
import { exchange } from '../../src/outbound/http-exchange';

/**
 * One callback as a BullMQ job: what a Node team would put in the queue so
 * the worker needs nothing else (the token in clear, in Redis).
 */
export interface CallbackJob {
  /** The cancellation's id, the same in its every callback (as the gateway's event id). */
  readonly notifyId: string;
  readonly accessToken: string;
  readonly referenceMerchantId: string;
  readonly merchantAccountId: string;
  readonly url: string;
  /** ISO time of the cancellation. */
  readonly occurredAt: string;
  readonly cancelSource: string;
}

/** BullMQ's retry for every job: the gateway's schedule has 8 attempts too (0s, 2m, 10m, ...). */
export const JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: 10_000,
} as const;

/** The gateway's callback timeout (CALLBACK_TIMEOUT_MS default) and how much of an answer its CallbackClient reads. */
const TIMEOUT_MS = 10_000;
const MAX_READ_BYTES = 64 * 1024;

/**
 * Composes, signs and POSTs one callback exactly as the gateway does: the
 * same body (callbackBody), the same Antom-style RSA signature over those
 * bytes (antomCallbackHeaders, signed afresh per attempt), the same outbound
 * exchange (keep-alive agent, one 10 s timer, bounded read; no SSRF guard,
 * which costs the gateway one lookup per connection); success only on 200
 * with result.resultStatus S. Throws otherwise, so BullMQ retries it.
 */
export class CallbackSender {
  readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(private readonly signer: { clientId: string; privateKey: KeyObject }) {}

  async send(job: CallbackJob): Promise<void> {
    const token = {
      accessToken: job.accessToken,
      authClientId: null,
      accessTokenExpiryTime: null,
      customerId: null,
      referenceAgreementId: null,
      userLoginId: null,
      scopes: null,
    };
    const payload = callbackBody({
      eventId: job.notifyId,
      eventType: 'TOKEN_CANCELED',
      occurredAt: new Date(job.occurredAt),
      cancelSource: job.cancelSource,
      referenceMerchantId: job.referenceMerchantId,
      merchantAccountId: job.merchantAccountId,
      token,
    });
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const url = new URL(job.url);
    const headers = await antomCallbackHeaders(url, body, this.signer, new Date().toISOString());
    const answer = await exchange(url, headers, body, {
      agents: this.agents,
      deadline: Date.now() + TIMEOUT_MS,
      timeoutMs: TIMEOUT_MS,
      maxReadBytes: MAX_READ_BYTES,
    });
    if (answer.kind === 'error') throw new Error(`callback not answered: ${answer.errorClass}`);
    let resultStatus: unknown;
    try {
      resultStatus = (JSON.parse(answer.body.toString('utf8')) as { result?: { resultStatus?: unknown } }).result?.resultStatus;
    } catch {
      resultStatus = undefined;
    }
    if (answer.status !== 200 || resultStatus !== 'S')
      throw new Error(`callback not acknowledged: HTTP ${answer.status}, resultStatus ${String(resultStatus)}`);
  }
}
