import type { KeyObject } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { parseSignatureHeader, verifyMessage } from '../../src/signing';
import type { PreparedRequest } from './presign';

/**
 * The benches' one load driver: a closed loop (max throughput) or an open
 * loop (a fixed rate, no coordinated omission) over a pool of tasks, each
 * task handing one request over and resolving `S` or a label for what came
 * back instead. Times are epoch ms with µs precision, comparable with the
 * fan-out receivers' arrival stamps.
 */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/**
 * What became of one request: S; answered but not S (F or U, or a non-200:
 * the sender will send it again); no answer (connection error or timeout: the
 * target may or may not have stored it).
 */
export const Outcome = { NotSent: 0, S: 1, NotS: 2, NoAnswer: 3 } as const;

/** Hands request i over; resolves `S`, or the label a non-S answer counts under; rejects when nothing came back. */
export type Task = (i: number) => Promise<string>;

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
  /** closed: requests in flight; open: the target rate per second. */
  load: number;
  durationMs: number;
  sent: number;
  s: number;
  /** Answers that were not S, by label; requests without an answer, by error code. */
  notS: Record<string, number>;
  noAnswer: Record<string, number>;
  /** From the first send to the last answer, s; S answers per second over it. */
  elapsedS: number;
  sPerSecond: number;
  /** Latency of the S answers, ms (open loop: from the scheduled send time). */
  latency: LatencySummary;
  /** The pool ran out before the time did (closed loop). */
  poolExhausted: boolean;
  /** The open-loop sender fell more than 1 s behind its schedule and stopped early. */
  fellBehind: boolean;
  /** Per request: what became of it, when it was due (NaN: never sent) and when its S came (NaN: none). */
  outcomes: Uint8Array;
  dueAt: Float64Array;
  doneAt: Float64Array;
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

class Recorder {
  readonly outcomes: Uint8Array;
  readonly dueAt: Float64Array;
  readonly doneAt: Float64Array;
  readonly notS: Record<string, number> = {};
  readonly noAnswer: Record<string, number> = {};
  readonly start = epochMs();
  sent = 0;
  s = 0;
  last = this.start;

  constructor(count: number) {
    this.outcomes = new Uint8Array(count);
    this.dueAt = new Float64Array(count).fill(NaN);
    this.doneAt = new Float64Array(count).fill(NaN);
  }

  /** Sends request i, due at `due`; settles its outcome when the task does. */
  async run(task: Task, i: number, due: number): Promise<void> {
    this.sent++;
    this.dueAt[i] = due;
    let label: string;
    try {
      label = await task(i);
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as Error).message ?? 'error';
      this.outcomes[i] = Outcome.NoAnswer;
      this.noAnswer[code] = (this.noAnswer[code] ?? 0) + 1;
      this.last = Math.max(this.last, epochMs());
      return;
    }
    const at = epochMs();
    this.last = Math.max(this.last, at);
    if (label === 'S') {
      this.outcomes[i] = Outcome.S;
      this.doneAt[i] = at;
      this.s++;
    } else {
      this.outcomes[i] = Outcome.NotS;
      this.notS[label] = (this.notS[label] ?? 0) + 1;
    }
  }

  result(mode: PhaseResult['mode'], load: number, durationMs: number, flags: { poolExhausted: boolean; fellBehind: boolean }): PhaseResult {
    const latencies = new Float64Array(this.s);
    let k = 0;
    for (let i = 0; i < this.outcomes.length; i++) if (this.outcomes[i] === Outcome.S) latencies[k++] = this.doneAt[i] - this.dueAt[i];
    const elapsedS = Math.max(this.last - this.start, 1) / 1000;
    const { outcomes, dueAt, doneAt, notS, noAnswer, sent, s } = this;
    return {
      mode,
      load,
      durationMs,
      sent,
      s,
      notS,
      noAnswer,
      elapsedS,
      sPerSecond: s / elapsedS,
      latency: summarize(latencies),
      ...flags,
      outcomes,
      dueAt,
      doneAt,
    };
  }
}

/** `concurrency` lanes, each sending its next request once the last is answered, until `count` are sent or `durationMs` passed. */
export async function closedLoop(count: number, concurrency: number, durationMs: number, task: Task): Promise<PhaseResult> {
  const rec = new Recorder(count);
  const deadline = performance.now() + durationMs;
  let next = 0;
  const lane = async () => {
    while (next < count && performance.now() < deadline) await rec.run(task, next++, epochMs());
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return rec.result('closed', concurrency, durationMs, { poolExhausted: next >= count && performance.now() < deadline, fellBehind: false });
}

/**
 * Open loop: request i is due at start + i/rate whatever happened to the
 * others, and its latency runs from that due time, so a stall shows in every
 * request it delays. Stops early if the sender falls 1 s behind.
 */
export async function openLoop(count: number, rate: number, task: Task): Promise<PhaseResult> {
  const rec = new Recorder(count);
  const interval = 1000 / rate;
  const pending: Array<Promise<void>> = [];
  const start = epochMs();
  let fellBehind = false;
  let i = 0;
  while (i < count) {
    const now = epochMs();
    if (now - (start + i * interval) > 1_000) {
      fellBehind = true;
      break;
    }
    for (; i < count && start + i * interval <= now; i++) pending.push(rec.run(task, i, start + i * interval));
    if (i < count) await new Promise((r) => setTimeout(r, Math.max(0, start + i * interval - epochMs())));
  }
  // Every task settles within its own timeout, so this wait is bounded.
  await Promise.all(pending);
  return rec.result('open', rate, (count / rate) * 1000, { poolExhausted: false, fellBehind });
}

export interface AnswerSample {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** S answers kept per sender for a signature check after the phase: every 25th, at most 200. */
const SAMPLE_EVERY = 25;
const SAMPLE_LIMIT = 200;

/**
 * POSTs pre-signed requests over keep-alive connections to 127.0.0.1:port:
 * a task per request, `S` when the answer's result.resultStatus is S. Keeps a
 * spread of S answers (`samples`) for checking their signatures afterwards.
 */
export function httpSender(port: number, requests: readonly PreparedRequest[], maxSockets: number, timeoutMs = 10_000) {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const samples: AnswerSample[] = [];
  let s = 0;
  const task: Task = (i) =>
    new Promise((resolve, reject) => {
      const r = requests[i];
      const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: r.path, headers: r.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const label = classify(res.statusCode ?? 0, body);
          if (label === 'S' && s++ % SAMPLE_EVERY === 0 && samples.length < SAMPLE_LIMIT) samples.push({ path: r.path, headers: res.headers, body });
          resolve(label);
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', reject);
      req.end(r.body);
    });
  return { task, samples, close: () => agent.destroy() };
}

/** `S`, or the label a non-S answer counts under. */
function classify(status: number, body: Buffer): string {
  if (status !== 200) return `HTTP ${status}`;
  try {
    const result = (JSON.parse(body.toString('utf8')) as { result?: { resultStatus?: string; resultCode?: string } }).result;
    return result?.resultStatus === 'S' ? 'S' : `${result?.resultStatus ?? '?'} ${result?.resultCode ?? '?'}`;
  } catch {
    return 'unparseable answer';
  }
}

/** Closed or open loop over pre-signed requests to one port: the common case. */
export async function drive(port: number, requests: readonly PreparedRequest[], load: { concurrency: number; durationMs: number } | { rate: number }) {
  const sender = httpSender(port, requests, 'rate' in load ? 256 : load.concurrency);
  try {
    const result =
      'rate' in load
        ? await openLoop(requests.length, load.rate, sender.task)
        : await closedLoop(requests.length, load.concurrency, load.durationMs, sender.task);
    return { result, samples: sender.samples };
  } finally {
    sender.close();
  }
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
    )
      valid++;
  }
  return { checked: samples.length, valid };
}

/** Answers that were not S plus requests without one. */
export function failures(r: PhaseResult): number {
  return [...Object.values(r.notS), ...Object.values(r.noAnswer)].reduce((a, b) => a + b, 0);
}

/** `0`, or the count with its labels. */
export function describeFailures(r: PhaseResult): string {
  const n = failures(r);
  return n === 0 ? '0' : `${n} (${[...Object.entries(r.notS), ...Object.entries(r.noAnswer)].map(([k, v]) => `${k}: ${v}`).join('; ')})`;
}
