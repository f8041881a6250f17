import type { KeyObject } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { parseSignatureHeader, verifyMessage } from '../../src/signing';
import type { PreparedRequest } from './presign';

/** What became of one request. */
export enum Outcome {
  NotSent = 0,
  S = 1,
  /** Answered, but not S (F or U, or a non-200): the sender will send it again. */
  NotS = 2,
  /** No answer: connection error or timeout. The gateway may or may not have stored it. */
  NoAnswer = 3,
}

export interface AnswerSample {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface PhaseResult {
  mode: 'closed' | 'open';
  /** closed: connections; open: the target rate per second. */
  concurrency?: number;
  targetRate?: number;
  durationMs: number;
  sent: number;
  s: number;
  /** Answers that were not S, by `resultStatus resultCode` (or `HTTP <status>`). */
  notS: Record<string, number>;
  /** Requests without an answer, by error code. */
  noAnswer: Record<string, number>;
  /** From the first send to the last answer, in seconds. */
  elapsedS: number;
  /** S answers per second over elapsedS. */
  sPerSecond: number;
  /** Latency of the S answers, ms (open loop: from the scheduled send time). */
  latency: LatencySummary;
  /** The pool ran out before the time did (closed loop). */
  poolExhausted: boolean;
  /** The open-loop sender fell more than 1 s behind its schedule and stopped early. */
  fellBehind: boolean;
  /** Per request of the pool given: what became of it. */
  outcomes: Uint8Array;
  /** A spread of S answers, for checking their signatures after the phase. */
  samples: AnswerSample[];
}

/** Longest an answer may take before the request counts as lost. */
const REQUEST_TIMEOUT_MS = 10_000;
/** S answers kept for a signature check after the phase. */
const SAMPLE_LIMIT = 200;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(agent: Agent, port: number, r: PreparedRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: r.path, headers: r.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** `S`, or the label a non-S answer is counted under. */
function classify(a: Answer): string {
  if (a.status !== 200) return `HTTP ${a.status}`;
  try {
    const result = (JSON.parse(a.body.toString('utf8')) as { result?: { resultStatus?: string; resultCode?: string } }).result;
    return result?.resultStatus === 'S' ? 'S' : `${result?.resultStatus ?? '?'} ${result?.resultCode ?? '?'}`;
  } catch {
    return 'unparseable answer';
  }
}

class Recorder {
  readonly outcomes: Uint8Array;
  readonly latencies: Float64Array;
  readonly notS: Record<string, number> = {};
  readonly noAnswer: Record<string, number> = {};
  readonly samples: AnswerSample[] = [];
  sent = 0;
  s = 0;
  lastAnswerAt = 0;

  constructor(private readonly requests: readonly PreparedRequest[]) {
    this.outcomes = new Uint8Array(requests.length);
    this.latencies = new Float64Array(requests.length);
  }

  answered(i: number, a: Answer, latencyMs: number, at: number): void {
    this.lastAnswerAt = Math.max(this.lastAnswerAt, at);
    const label = classify(a);
    if (label === 'S') {
      this.outcomes[i] = Outcome.S;
      this.latencies[this.s++] = latencyMs;
      if (this.samples.length < SAMPLE_LIMIT && this.s % 25 === 1) this.samples.push({ path: this.requests[i].path, headers: a.headers, body: a.body });
    } else {
      this.outcomes[i] = Outcome.NotS;
      this.notS[label] = (this.notS[label] ?? 0) + 1;
    }
  }

  failed(i: number, err: unknown, at: number): void {
    this.lastAnswerAt = Math.max(this.lastAnswerAt, at);
    this.outcomes[i] = Outcome.NoAnswer;
    const code = (err as { code?: string }).code ?? (err as Error).message ?? 'error';
    this.noAnswer[code] = (this.noAnswer[code] ?? 0) + 1;
  }

  latency(): LatencySummary {
    return summarize(this.latencies.subarray(0, this.s));
  }
}

export function summarize(values: Float64Array): LatencySummary {
  const n = values.length;
  if (n === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1], mean: sum / n };
}

/**
 * Max throughput: `concurrency` keep-alive connections, each sending the next
 * request as soon as its previous one is answered, until `durationMs` has
 * passed or the pool is used up. Latency is send to answer.
 */
export async function closedLoop(port: number, requests: readonly PreparedRequest[], concurrency: number, durationMs: number): Promise<PhaseResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const rec = new Recorder(requests);
  const start = performance.now();
  const deadline = start + durationMs;
  let next = 0;
  const connection = async () => {
    while (next < requests.length && performance.now() < deadline) {
      const i = next++;
      rec.sent++;
      const t0 = performance.now();
      try {
        const a = await send(agent, port, requests[i]);
        const t1 = performance.now();
        rec.answered(i, a, t1 - t0, t1);
      } catch (err) {
        rec.failed(i, err, performance.now());
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, connection));
  agent.destroy();
  const elapsedS = (Math.max(rec.lastAnswerAt, start + 1) - start) / 1000;
  return {
    mode: 'closed',
    concurrency,
    durationMs,
    sent: rec.sent,
    s: rec.s,
    notS: rec.notS,
    noAnswer: rec.noAnswer,
    elapsedS,
    sPerSecond: rec.s / elapsedS,
    latency: rec.latency(),
    poolExhausted: next >= requests.length && performance.now() < deadline,
    fellBehind: false,
    outcomes: rec.outcomes,
    samples: rec.samples,
  };
}

/**
 * Fixed rate, open loop: request i is due at start + i/rate whatever happened
 * to the others, and its latency runs from that due time, so a stall shows up
 * in every request it delays (no coordinated omission). Connections are
 * opened as needed, up to maxSockets.
 */
export async function openLoop(port: number, requests: readonly PreparedRequest[], rate: number, durationMs: number, maxSockets = 256): Promise<PhaseResult> {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const rec = new Recorder(requests);
  const total = Math.min(requests.length, Math.floor((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const inflight: Array<Promise<void>> = [];
  const start = performance.now();
  let fellBehind = false;
  const fire = (i: number, due: number) => {
    rec.sent++;
    inflight.push(
      send(agent, port, requests[i]).then(
        (a) => {
          const t = performance.now();
          rec.answered(i, a, t - due, t);
        },
        (err: unknown) => rec.failed(i, err, performance.now()),
      ),
    );
  };
  let i = 0;
  while (i < total) {
    const now = performance.now();
    if (now - (start + i * interval) > 1_000) {
      fellBehind = true;
      break;
    }
    while (i < total && start + i * interval <= now) {
      fire(i, start + i * interval);
      i++;
    }
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, start + i * interval - performance.now())));
  }
  // Every request settles within REQUEST_TIMEOUT_MS, so this wait is bounded.
  await Promise.all(inflight);
  agent.destroy();
  const elapsedS = (Math.max(rec.lastAnswerAt, start + 1) - start) / 1000;
  return {
    mode: 'open',
    targetRate: rate,
    durationMs,
    sent: rec.sent,
    s: rec.s,
    notS: rec.notS,
    noAnswer: rec.noAnswer,
    elapsedS,
    sPerSecond: rec.s / elapsedS,
    latency: rec.latency(),
    poolExhausted: false,
    fellBehind,
    outcomes: rec.outcomes,
    samples: rec.samples,
  };
}

/** How many sampled answers carry a valid signature (over POST, the request path, client-id, response-time and the body). */
export function verifySamples(samples: readonly AnswerSample[], publicKeys: readonly KeyObject[]): { checked: number; valid: number } {
  let valid = 0;
  for (const s of samples) {
    const parsed = parseSignatureHeader(String(s.headers.signature ?? ''));
    const clientId = s.headers['client-id'];
    const time = s.headers['response-time'];
    if (
      parsed !== null &&
      typeof clientId === 'string' &&
      typeof time === 'string' &&
      verifyMessage({ method: 'POST', path: s.path, clientId, time, body: s.body }, parsed.signature, publicKeys)
    ) {
      valid++;
    }
  }
  return { checked: samples.length, valid };
}

/** Counts `notS` and `noAnswer` together, for the errors column. */
export function failures(r: PhaseResult): number {
  return Object.values(r.notS).reduce((a, b) => a + b, 0) + Object.values(r.noAnswer).reduce((a, b) => a + b, 0);
}
