import { Agent, request } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { callbackBody } from '../../src/callbacks/callback-payload';
import { antomCallbackHeaders } from '../../src/callbacks/callback-signature';

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

/** The gateway's callback timeout (CALLBACK_TIMEOUT_MS default). */
const TIMEOUT_MS = 10_000;
/** The gateway's CallbackClient reads this much of an answer at most. */
const MAX_READ_BYTES = 64 * 1024;

/**
 * Composes, signs and POSTs one callback exactly as the gateway does: the
 * same body (callbackBody), the same Antom-style RSA signature over those
 * bytes (antomCallbackHeaders, signed afresh per attempt), a keep-alive
 * agent like CallbackClient's, one 10 s timer; success only on 200 with
 * result.resultStatus S. Throws otherwise, so BullMQ retries it.
 */
export class CallbackSender {
  readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly signer: { clientId: string; privateKey: KeyObject }) {}

  async send(job: CallbackJob): Promise<void> {
    const body = Buffer.from(
      JSON.stringify(
        callbackBody({
          eventId: job.notifyId,
          eventType: 'TOKEN_CANCELED',
          occurredAt: new Date(job.occurredAt),
          cancelSource: job.cancelSource,
          referenceMerchantId: job.referenceMerchantId,
          merchantAccountId: job.merchantAccountId,
          token: {
            accessToken: job.accessToken,
            authClientId: null,
            accessTokenExpiryTime: null,
            customerId: null,
            referenceAgreementId: null,
            userLoginId: null,
            scopes: null,
          },
        }),
      ),
      'utf8',
    );
    const url = new URL(job.url);
    const headers = await antomCallbackHeaders(url, body, this.signer, new Date().toISOString());
    const { status, raw } = await this.post(url, headers, body);
    let resultStatus: unknown;
    try {
      resultStatus = (JSON.parse(raw.toString('utf8')) as { result?: { resultStatus?: unknown } }).result?.resultStatus;
    } catch {
      resultStatus = undefined;
    }
    if (status !== 200 || resultStatus !== 'S') throw new Error(`callback not acknowledged: HTTP ${status}, resultStatus ${String(resultStatus)}`);
  }

  private post(url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; raw: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size <= MAX_READ_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, raw: Buffer.concat(chunks) });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }
}
