import http from 'node:http';
import https from 'node:https';
import type { KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { readSignatureHeaders, signedRequestHeaders, verifyMessage } from '../signing';
import { CircuitBreaker } from './circuit-breaker';
import {
  AcqpOutcome,
  CANCEL_TOKEN_PATH,
  CancelTokenExchange,
  CancelTokenOutcome,
  CancelTokenRequest,
  isUpstreamFailure,
  toAcqpOutcome,
  cancelTokenOutcomeOf,
  toCancelTokenWireRequest,
} from './cancel-token.transformers';
import { APPLY_TOKEN_PATH, ApplyTokenRequest, PREPARE_PATH, PrepareRequest, toApplyTokenWireRequest, toPrepareWireRequest } from './authorization.transformers';
import { exchange } from '../outbound/http-exchange';

export type { CancelTokenOutcome, CancelTokenRequest } from './cancel-token.transformers';

export interface AlipayPlusClientOptions {
  /** Alipay+ base URL, read on every call (sandbox mode learns the simulator's port late); may carry a path prefix. */
  baseUrl: () => string;
  /** The ACQP client id Alipay+ assigned; sent as Client-Id and expected back as client-id. */
  clientId: string;
  /** The ACQP's private key: signs each request. */
  privateKey: KeyObject;
  /** Alipay+'s public keys, current first, then the previous one during a rotation; read on every call. */
  alipayPlusPublicKeys: () => readonly KeyObject[];
  /** Whole-attempt budget (socket wait, connect, request, full response), in ms. Default 5000, as Alipay+ documents. */
  timeoutMs?: number;
  /** Clock for Request-Time, epoch milliseconds. Default Date.now. */
  now?: () => number;
  /** Shared breaker; when open, calls return UNKNOWN CIRCUIT_OPEN without a request. Default none. */
  breaker?: CircuitBreaker;
  /** Most sockets kept open to Alipay+; further calls queue (inside their timeout). Default 32. */
  maxSockets?: number;
  /** How long an idle kept-alive socket stays in the pool, in ms. Default 15000 (below common 60 s LB idle limits). */
  idleSocketMs?: number;
}

export interface CancelTokenResult {
  outcome: CancelTokenOutcome;
  /** Wall time of the attempt, in ms (0 when the circuit refused it). */
  durationMs: number;
}

export interface AcqpResult {
  outcome: AcqpOutcome;
  /** Wall time of the attempt, in ms (0 when the circuit refused it). */
  durationMs: number;
}

/** An ACQP answer is a few hundred bytes; anything past this is not Alipay+. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The ACQP's calls to Alipay+ (cancelToken, prepare, applyToken): one signed
 * attempt per call, the verified answer mapped to S / F / U. Never throws.
 * Retrying belongs to the caller: cancelToken is idempotent on accessToken,
 * so its durable job retries with the same one for as long as it takes.
 */
export class AlipayPlusClient {
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: AlipayPlusClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32, timeout: options.idleSocketMs ?? 15_000 };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
  }

  async cancelToken(req: CancelTokenRequest): Promise<CancelTokenResult> {
    const { outcome, durationMs } = await this.post(CANCEL_TOKEN_PATH, toCancelTokenWireRequest(req));
    return { outcome: cancelTokenOutcomeOf(outcome), durationMs };
  }

  /** Alipay+ `prepare`: the wallet's authorization URL for a binding about to start. */
  async prepare(req: PrepareRequest): Promise<AcqpResult> {
    return this.post(PREPARE_PATH, toPrepareWireRequest(req));
  }

  /** Alipay+ `applyToken`: an auth code (or a refresh token) exchanged for an access token. */
  async applyToken(req: ApplyTokenRequest): Promise<AcqpResult> {
    return this.post(APPLY_TOKEN_PATH, toApplyTokenWireRequest(req));
  }

  /** One signed POST, through the breaker, timed, its answer read once as S/F/U. Never throws. */
  private async post(path: string, wire: object): Promise<AcqpResult> {
    const { breaker } = this.options;
    if (breaker && !breaker.tryAcquire()) return { outcome: toAcqpOutcome({ kind: 'circuit-open' }), durationMs: 0 };
    const started = performance.now();
    let exchange: CancelTokenExchange;
    try {
      exchange = await this.attempt(path, wire);
    } catch {
      // Only a bug or a bad base URL gets here; the promise must still settle as U so the caller retries.
      exchange = { kind: 'connection' };
    }
    const outcome = toAcqpOutcome(exchange);
    if (breaker) {
      if (isUpstreamFailure(outcome)) breaker.recordFailure();
      else breaker.recordSuccess();
    }
    return { outcome, durationMs: Math.round(performance.now() - started) };
  }

  /** Closes the kept-alive sockets; in-flight calls settle as UNKNOWN CONNECTION. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async attempt(apiPath: string, wire: object): Promise<CancelTokenExchange> {
    const url = new URL(this.options.baseUrl().replace(/\/+$/, '') + apiPath);
    // The signed Request-URI is what goes on the wire: any base-URL path prefix included.
    const path = url.pathname + url.search;
    const body = Buffer.from(JSON.stringify(wire), 'utf8');
    const message = { method: 'POST', path, clientId: this.options.clientId, time: new Date(this.now()).toISOString(), body };
    const headers = signedRequestHeaders(message, this.options.privateKey);
    // The operator's own configuration, not a merchant's URL: the exchange without the SSRF guard (in
    // sandbox mode it is the simulator on this host).
    const answer = await exchange(url, headers, body, {
      agents: { http: this.httpAgent, https: this.httpsAgent },
      deadline: Date.now() + this.timeoutMs,
      timeoutMs: this.timeoutMs,
      maxReadBytes: MAX_RESPONSE_BYTES,
    });
    if (answer.kind === 'error') return { kind: answer.errorClass === 'TIMEOUT' ? 'timeout' : 'connection' };
    if (answer.truncated) return { kind: 'too-large', httpStatus: answer.status };
    return {
      kind: 'response',
      httpStatus: answer.status,
      signature: this.verifyResponse(path, answer.headers, answer.body),
      rawBody: answer.body,
    };
  }

  /**
   * Alipay+ signs its answer over `POST <same path>\n<client-id>.<response-time>.<raw body>`.
   * The client id must be ours: a signature for another client is not an answer to us.
   */
  private verifyResponse(path: string, headers: http.IncomingHttpHeaders, body: Buffer): 'VALID' | 'MISSING' | 'INVALID' {
    const read = readSignatureHeaders(headers, 'response-time');
    if ('reason' in read) return read.reason === 'MISSING_HEADERS' ? 'MISSING' : 'INVALID';
    if (read.clientId !== this.options.clientId) return 'INVALID';
    const message = { method: 'POST', path, clientId: read.clientId, time: read.time, body };
    return verifyMessage(message, read.signature.signature, this.options.alipayPlusPublicKeys()) ? 'VALID' : 'INVALID';
  }
}
