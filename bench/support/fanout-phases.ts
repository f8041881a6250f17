import { analyseFanout, type FanoutOutcome } from './fanout-analysis';
import { closedLoopAcks, openLoopAcks, type AckLog, type CancellationTask } from './fanout-load';
import type { FanoutReceivers } from './fanout-receivers';
import { RssSampler } from './fanout-rss';
import { processCpuMs } from './cpu-meter';

/**
 * One target under the three fan-out phases: a gateway (authNotify over HTTP,
 * fan-out from its outbox) or the BullMQ peer (addBulk, worker). `prepare`
 * makes the phase's cancellations (signing them, for the gateway) and
 * returns their access tokens and the task that hands one over.
 */
export interface FanoutTarget {
  readonly name: string;
  /** Processes whose CPU is the target's own (gateway; BullMQ worker). */
  readonly pid: number | undefined;
  /** The store's process (MariaDB; Redis), for CPU per delivery; undefined on SQLite. */
  readonly storePid: number | undefined;
  prepare(count: number): Promise<{ tokens: string[]; task: CancellationTask; close(): void }>;
  /** Statement counters or the like, read around the burst; null when the target has none. */
  counters?(): Promise<Record<string, number> | null>;
}

export interface PhaseRun {
  phase: 'single' | 'burst' | 'trickle';
  /** closed-loop concurrency, or open-loop rate per second. */
  load: string;
  outcome: FanoutOutcome;
  /** Peak RSS sampled during the phase and the lifetime peak (VmHWM) at its end, MB. */
  memory: { peakRssMB: number; hwmMB: number };
  /** CPU ms per delivered callback: the target, its store, the receivers, this bench process. */
  cpuPerDelivery: { target: number; store: number; receivers: number; client: number };
  /** The target's CPU time / the phase's wall time (100% = one core). */
  targetBusy: number;
  /** Why the wait for deliveries ended early, if it did. */
  incomplete?: string;
  /** Monotonic µs window, for CPU profiles. */
  window: [number, number];
  /** Statement counter deltas per delivery (MariaDB), when the target reads counters. */
  perDelivery?: Record<string, number>;
}

export interface WaitLimits {
  /** Longest wait for the phase's deliveries after the last acknowledgement. */
  maxWaitMs: number;
  /** Give up when no new callback arrived for this long. */
  stallMs: number;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Waits until the receivers hold `expected` callbacks, bounded by time and by a stall. */
async function waitForDeliveries(receivers: FanoutReceivers, expected: number, limits: WaitLimits, pollMs: number): Promise<string | undefined> {
  const deadline = Date.now() + limits.maxWaitMs;
  let last = -1;
  let lastChange = Date.now();
  for (let i = 0; i < 1_000_000 && Date.now() < deadline; i++) {
    const { count } = await receivers.stats();
    if (count >= expected) return undefined;
    if (count !== last) {
      last = count;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > limits.stallMs) {
      return `stalled at ${count} of ${expected} callbacks (none for ${limits.stallMs / 1000} s)`;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return `gave up at ${last} of ${expected} callbacks after ${limits.maxWaitMs / 1000} s`;
}

/**
 * Runs one phase against a target: resets the receivers, hands over the
 * cancellations (closed loop with `concurrency` in flight, or open loop at
 * `rate`/s), waits for every expected callback, then judges what arrived.
 */
export async function runPhase(
  target: FanoutTarget,
  receivers: FanoutReceivers,
  endpointCount: number,
  phase: PhaseRun['phase'],
  load: { count: number; concurrency?: number; rate?: number },
  limits: WaitLimits,
): Promise<PhaseRun> {
  const prepared = await target.prepare(load.count);
  await receivers.reset();
  const counters0 = target.counters ? await target.counters() : null;
  const rss = new RssSampler(target.pid);
  const cpu0 = { target: processCpuMs(target.pid), store: processCpuMs(target.storePid), receivers: sumCpu(receivers.pids), client: process.cpuUsage() };
  const wall0 = performance.now();
  const from = monotonicUs();
  let acks: AckLog;
  try {
    acks =
      load.rate !== undefined
        ? await openLoopAcks(load.count, load.rate, prepared.task)
        : await closedLoopAcks(load.count, load.concurrency ?? 1, limits.maxWaitMs, prepared.task);
  } finally {
    prepared.close();
  }
  let acked = 0;
  for (const a of acks.acked) acked += a;
  const incomplete = await waitForDeliveries(receivers, acked * endpointCount, limits, phase === 'burst' ? 200 : 10);
  const window: [number, number] = [from, monotonicUs()];
  const wallMs = performance.now() - wall0;
  const cpu1 = {
    target: processCpuMs(target.pid),
    store: processCpuMs(target.storePid),
    receivers: sumCpu(receivers.pids),
    client: process.cpuUsage(cpu0.client),
  };
  const memory = rss.stop();
  const counters1 = target.counters ? await target.counters() : null;
  // Late twins (a duplicate after the expected count was reached) get a moment to show up.
  await new Promise((r) => setTimeout(r, phase === 'burst' ? 2_000 : 300));
  const outcome = analyseFanout(acks, prepared.tokens, endpointCount, await receivers.dump());
  const per = (a: number | null, b: number | null) => (a !== null && b !== null && outcome.delivered > 0 ? (b - a) / outcome.delivered : NaN);
  const run: PhaseRun = {
    phase,
    load: load.rate !== undefined ? `${load.rate}/s open loop` : `${load.concurrency} in flight`,
    outcome,
    memory,
    cpuPerDelivery: {
      target: per(cpu0.target, cpu1.target),
      store: per(cpu0.store, cpu1.store),
      receivers: per(cpu0.receivers, cpu1.receivers),
      client: (cpu1.client.user + cpu1.client.system) / 1000 / Math.max(1, outcome.delivered),
    },
    targetBusy: cpu0.target !== null && cpu1.target !== null ? (cpu1.target - cpu0.target) / wallMs : NaN,
    incomplete,
    window,
  };
  if (counters0 && counters1 && outcome.delivered > 0) {
    run.perDelivery = Object.fromEntries(Object.keys(counters0).map((k) => [k, (counters1[k] - counters0[k]) / outcome.delivered]));
  }
  return run;
}

function sumCpu(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
}
