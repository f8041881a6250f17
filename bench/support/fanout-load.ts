import { Agent, request } from 'node:http';
import type { PreparedRequest } from './presign';

/** Epoch ms with µs precision; the receivers stamp arrivals the same way. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** When each cancellation was sent and acknowledged (epoch ms), and how it ended. */
export interface AckLog {
  readonly sendAt: Float64Array;
  /** NaN where no S acknowledgement came. */
  readonly ackAt: Float64Array;
  readonly acked: Uint8Array;
  /** Failures by label (`HTTP 500`, `F PROCESS_FAIL`, `ECONNRESET`, ...). */
  readonly errors: Record<string, number>;
  /** How many were sent (the rest: the time ran out, or an open loop fell behind). */
  sent: number;
  /** An open loop fell more than 1 s behind its schedule and stopped. */
  fellBehind: boolean;
}

/** One cancellation handed over: resolves 'S' when acknowledged, another label when not. */
export type CancellationTask = (i: number) => Promise<string>;

function newLog(count: number): AckLog {
  return {
    sendAt: new Float64Array(count).fill(NaN),
    ackAt: new Float64Array(count).fill(NaN),
    acked: new Uint8Array(count),
    errors: {},
    sent: 0,
    fellBehind: false,
  };
}

function settle(log: AckLog, i: number, label: string): void {
  if (label === 'S') {
    log.ackAt[i] = epochMs();
    log.acked[i] = 1;
  } else {
    log.errors[label] = (log.errors[label] ?? 0) + 1;
  }
}

/** `concurrency` in flight, each next one sent as soon as one is acknowledged, until all are sent or `limitMs` passed. */
export async function closedLoopAcks(count: number, concurrency: number, limitMs: number, task: CancellationTask): Promise<AckLog> {
  const log = newLog(count);
  const deadline = performance.now() + limitMs;
  let next = 0;
  const lane = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      log.sent++;
      log.sendAt[i] = epochMs();
      settle(log, i, await task(i).catch((err: unknown) => (err as { code?: string }).code ?? (err as Error).message ?? 'error'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return log;
}

/** Open loop: cancellation i is sent at start + i/rate whatever happened to the others. */
export async function openLoopAcks(count: number, rate: number, task: CancellationTask): Promise<AckLog> {
  const log = newLog(count);
  const interval = 1000 / rate;
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  let i = 0;
  while (i < count) {
    const now = performance.now();
    if (now - (start + i * interval) > 1_000) {
      log.fellBehind = true;
      break;
    }
    while (i < count && start + i * interval <= now) {
      const k = i++;
      log.sent++;
      log.sendAt[k] = epochMs();
      pending.push(
        task(k).then(
          (label) => settle(log, k, label),
          (err: unknown) => settle(log, k, (err as { code?: string }).code ?? 'error'),
        ),
      );
    }
    if (i < count) await new Promise((r) => setTimeout(r, Math.max(0, start + i * interval - performance.now())));
  }
  await Promise.all(pending);
  return log;
}

/** Longest an authNotify answer may take before it counts as lost. */
const REQUEST_TIMEOUT_MS = 30_000;

/** POSTs pre-signed authNotify requests to the gateway over keep-alive connections; resolves `S` or a failure label. */
export function gatewaySender(port: number, requests: readonly PreparedRequest[], maxSockets: number): { task: CancellationTask; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const task: CancellationTask = (i) =>
    new Promise((resolve, reject) => {
      const r = requests[i];
      const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: r.path, headers: r.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve(`HTTP ${res.statusCode}`);
          try {
            const result = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: { resultStatus?: string; resultCode?: string } }).result;
            resolve(result?.resultStatus === 'S' ? 'S' : `${result?.resultStatus ?? '?'} ${result?.resultCode ?? '?'}`);
          } catch {
            resolve('unparseable answer');
          }
        });
        res.on('error', reject);
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', reject);
      req.end(r.body);
    });
  return { task, close: () => agent.destroy() };
}
