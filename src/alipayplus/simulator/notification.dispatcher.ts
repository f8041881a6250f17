import http from 'node:http';
import https from 'node:https';
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { readSignatureHeaders, signedRequestHeaders, verifyMessage } from '../../signing';
import { parseResultResponse } from '../cancel-token.transformers';
import { exchange, type OutboundExchange } from '../../outbound/http-exchange';
import { alipayTime } from './authorization.factory';
import type {
  AttemptVerdict,
  DeliveryState,
  NotificationAttempt,
  NotificationHandle,
  NotificationOutcome,
  NotifyOptions,
  PendingNotification,
} from './simulator.types';

export interface DispatcherConfig {
  privateKey: KeyObject;
  acqpPublicKeys: readonly KeyObject[];
  clientId: string;
  /** Full authNotify URL, or null while the gateway's address is not known yet. */
  target: () => string | null;
  retrySchedule: readonly number[];
  timeoutMs: number;
  now: () => number;
}

/** Antom's published notification retry schedule: 0 s, 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h. */
export const ANTOM_RETRY_SCHEDULE_MS: readonly number[] = [0, 2, 10, 10, 60, 120, 360, 900].map((m) => m * 60_000);

interface Delivery {
  id: string;
  copy: number;
  rawBody: string;
  options: NotifyOptions;
  state: DeliveryState;
  attempts: NotificationAttempt[];
  timer: NodeJS.Timeout | null;
  nextAttemptAt: number | null;
  inFlight: Promise<void> | null;
  settle: (state: Exclude<DeliveryState, 'PENDING'>) => void;
  settled: Promise<Exclude<DeliveryState, 'PENDING'>>;
  firstAttempt: Promise<NotificationAttempt>;
  onFirstAttempt: (a: NotificationAttempt) => void;
}

/**
 * Delivers authNotify as Alipay+ does: signed POST, acknowledged only by an
 * HTTP 200 whose signature verifies with the ACQP's key and whose
 * result.resultStatus is S; otherwise retried on the schedule until it runs
 * out. Every attempt is recorded.
 */
export class NotificationDispatcher {
  private readonly deliveries: Delivery[] = [];
  private readonly handles: NotificationHandle[] = [];
  private readonly log: NotificationAttempt[] = [];
  /** Bumped by reset(), so an attempt still in flight then is not logged into the fresh state. */
  private generation = 0;
  private httpAgent = new http.Agent({ keepAlive: true });
  private httpsAgent = new https.Agent({ keepAlive: true });

  constructor(private readonly config: DispatcherConfig) {}

  send(body: object | string, options: NotifyOptions = {}): NotificationHandle {
    const rawBody = typeof body === 'string' ? body : JSON.stringify(body, null, options.pretty ? 3 : undefined);
    const id = `ntf_${randomUUID()}`;
    const copies = Array.from({ length: Math.max(1, options.times ?? 1) }, (_, copy) => this.newDelivery(id, copy, rawBody, options));
    const notifyType = typeof body === 'object' ? (body as { authorizationNotifyType?: unknown }).authorizationNotifyType : undefined;
    const handle: NotificationHandle = {
      id,
      rawBody,
      notifyType: typeof notifyType === 'string' ? notifyType : undefined,
      firstAttempt: Promise.all(copies.map((d) => d.firstAttempt)),
      settled: Promise.all(copies.map((d) => d.settled)).then((states): NotificationOutcome => ({
        state: states.every((s) => s === 'ACKNOWLEDGED') ? 'ACKNOWLEDGED' : states.includes('STOPPED') ? 'STOPPED' : 'GAVE_UP',
        copies: states,
        attempts: copies.flatMap((d) => d.attempts),
      })),
      state: () => {
        const states = copies.map((d) => d.state);
        if (states.includes('PENDING')) return 'PENDING';
        if (states.every((s) => s === 'ACKNOWLEDGED')) return 'ACKNOWLEDGED';
        return states.includes('STOPPED') ? 'STOPPED' : 'GAVE_UP';
      },
    };
    this.handles.push(handle);
    for (const delivery of copies) this.schedule(delivery, this.config.retrySchedule[0] ?? 0);
    return handle;
  }

  notifications(): readonly NotificationHandle[] {
    return [...this.handles];
  }

  attempts(): readonly NotificationAttempt[] {
    return [...this.log];
  }

  pending(): readonly PendingNotification[] {
    return this.deliveries
      .filter((d) => d.state === 'PENDING')
      .map((d) => ({ id: d.id, copy: d.copy, rawBody: d.rawBody, attempts: d.attempts.length, nextAttemptAt: d.nextAttemptAt }));
  }

  /** Makes every pending delivery attempt now, due or not, and waits for those attempts (one round). */
  async flushRetries(): Promise<void> {
    const round: Promise<void>[] = [];
    for (const delivery of this.deliveries) {
      if (delivery.state !== 'PENDING') continue;
      if (delivery.inFlight) {
        round.push(delivery.inFlight);
        continue;
      }
      if (delivery.timer) clearTimeout(delivery.timer);
      round.push(this.attempt(delivery));
    }
    await Promise.all(round);
  }

  /** Cancels every pending retry (their handles settle STOPPED) and closes kept-alive sockets. */
  stop(): void {
    for (const delivery of this.deliveries) this.finish(delivery, 'STOPPED');
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.httpAgent = new http.Agent({ keepAlive: true });
    this.httpsAgent = new https.Agent({ keepAlive: true });
  }

  /** stop(), then forget every notification and attempt. */
  reset(): void {
    this.stop();
    this.generation += 1;
    this.deliveries.length = 0;
    this.handles.length = 0;
    this.log.length = 0;
  }

  private newDelivery(id: string, copy: number, rawBody: string, options: NotifyOptions): Delivery {
    let settle!: Delivery['settle'];
    let onFirstAttempt!: Delivery['onFirstAttempt'];
    const settled = new Promise<Exclude<DeliveryState, 'PENDING'>>((resolve) => (settle = resolve));
    const firstAttempt = new Promise<NotificationAttempt>((resolve) => (onFirstAttempt = resolve));
    const delivery: Delivery = {
      id,
      copy,
      rawBody,
      options,
      state: 'PENDING',
      attempts: [],
      timer: null,
      nextAttemptAt: null,
      inFlight: null,
      settle,
      settled,
      firstAttempt,
      onFirstAttempt,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    delivery.nextAttemptAt = this.config.now() + delayMs;
    if (delayMs <= 0) {
      void this.attempt(delivery);
      return;
    }
    // Unref'd: a retry hours away must not keep a test run or a script alive.
    delivery.timer = setTimeout(() => void this.attempt(delivery), delayMs).unref();
  }

  private attempt(delivery: Delivery): Promise<void> {
    delivery.timer = null;
    delivery.nextAttemptAt = null;
    const generation = this.generation;
    const run = this.deliver(delivery).then((attempt) => {
      delivery.inFlight = null;
      delivery.attempts.push(attempt);
      if (generation === this.generation) this.log.push(attempt);
      delivery.onFirstAttempt(attempt);
      if (delivery.state !== 'PENDING') return;
      if (attempt.acknowledged) return this.finish(delivery, 'ACKNOWLEDGED');
      const next = this.config.retrySchedule[delivery.attempts.length];
      if (next === undefined) return this.finish(delivery, 'GAVE_UP');
      this.schedule(delivery, next);
    });
    delivery.inFlight = run;
    return run;
  }

  private finish(delivery: Delivery, state: Exclude<DeliveryState, 'PENDING'>): void {
    if (delivery.state !== 'PENDING') return;
    if (delivery.timer) clearTimeout(delivery.timer);
    delivery.timer = null;
    delivery.nextAttemptAt = null;
    delivery.state = state;
    delivery.settle(state);
  }

  private async deliver(delivery: Delivery): Promise<NotificationAttempt> {
    const target = this.config.target();
    const clientId = delivery.options.clientId ?? this.config.clientId;
    const base = {
      notificationId: delivery.id,
      copy: delivery.copy,
      attempt: delivery.attempts.length + 1,
      at: this.config.now(),
      rawBody: delivery.rawBody,
    };
    const url = target === null ? null : URL.canParse(target) ? new URL(target) : null;
    if (url === null) return { ...base, url: target, requestHeaders: {}, verdict: 'NO_GATEWAY_URL', acknowledged: false };
    const path = url.pathname + url.search;
    const time = delivery.options.requestTime ?? alipayTime(this.config.now());
    const message = { method: 'POST', path, clientId, time, body: delivery.rawBody };
    const requestHeaders = signedRequestHeaders(message, delivery.options.signWith ?? this.config.privateKey);
    const result = await exchange(url, requestHeaders, Buffer.from(delivery.rawBody, 'utf8'), {
      agents: { http: this.httpAgent, https: this.httpsAgent },
      deadline: Date.now() + this.config.timeoutMs,
      timeoutMs: this.config.timeoutMs,
      maxReadBytes: 1024 * 1024,
    });
    const verdict = this.judge(result, path, clientId);
    const attempt: NotificationAttempt = { ...base, url: url.href, requestHeaders, verdict, acknowledged: verdict === 'ACKNOWLEDGED' };
    if (result.kind === 'answer' && !result.truncated) {
      attempt.status = result.status;
      attempt.responseHeaders = { ...result.headers };
      attempt.responseBody = result.body.toString('utf8');
    }
    return attempt;
  }

  /** Alipay+ counts an authNotify as handled only on HTTP 200 + a verified signature + resultStatus S. */
  private judge(result: OutboundExchange, path: string, clientId: string): AttemptVerdict {
    if (result.kind === 'error') return result.errorClass === 'TIMEOUT' ? 'TIMEOUT' : 'CONNECTION';
    if (result.truncated) return 'MALFORMED';
    if (result.status !== 200) return 'HTTP_STATUS';
    const read = readSignatureHeaders(result.headers, 'response-time');
    if ('reason' in read) return read.reason === 'MISSING_HEADERS' ? 'UNSIGNED' : 'BAD_SIGNATURE';
    const message = { method: 'POST', path, clientId: read.clientId, time: read.time, body: result.body };
    if (read.clientId !== clientId || !verifyMessage(message, read.signature.signature, this.config.acqpPublicKeys)) {
      return 'BAD_SIGNATURE';
    }
    const parsed = parseResultResponse(result.body);
    if (parsed === null) return 'MALFORMED';
    return parsed.result.resultStatus === 'S' ? 'ACKNOWLEDGED' : 'NOT_S';
  }
}
