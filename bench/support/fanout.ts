import { CpuMeter, processesCpuMs, RssSampler, type CpuUse } from './cpu-meter';
import type { FanoutReceivers, ReceivedLog } from './fanout-receivers';
import { closedLoop, openLoop, Outcome, summarize, type LatencySummary, type PhaseResult, type Task } from './load';

/**
 * One target under the fan-out phases: a gateway (authNotify over HTTP,
 * fan-out from its outbox) or the BullMQ peer (addBulk, worker). `prepare`
 * makes a phase's cancellations (signing them, for the gateway) and returns
 * their access tokens and the task that hands one over.
 */
export interface FanoutTarget {
  /** The target's own processes (gateway instances; BullMQ worker) and its store's (MariaDB; Redis; none for SQLite). */
  readonly pids: readonly number[];
  readonly storePid: number | undefined;
  prepare(count: number): Promise<{ tokens: string[]; task: Task; close(): void }>;
  /** Statement counters or the like, read around the phase; null when the target has none. */
  counters?(): Promise<Record<string, number> | null>;
}

/** What one phase delivered, judged from the receivers' records against what was acknowledged. */
export interface FanoutOutcome {
  cancellationsSent: number;
  cancellationsAcked: number;
  /** Acknowledged cancellations x endpoints: every one must arrive. */
  expected: number;
  /** Distinct (cancellation, endpoint) pairs that arrived; the expected ones that did not; arrivals beyond a pair's first. */
  delivered: number;
  missing: number;
  duplicates: number;
  /** Arrivals for a cancellation sent but not acknowledged (it may still have been stored), and naming none of this phase. */
  ofUnacked: number;
  unexpected: number;
  invalidSignatures: number;
  /** Cancellations whose callbacks carried more than one notifyId (one event per cancellation expected). */
  splitNotifyIds: number;
  /** First send to last first-arrival, s; distinct deliveries per second over it. */
  elapsedS: number;
  deliveriesPerSecond: number;
  /** Deliveries per second between the 10th and the 90th percentile arrival: the steady rate, without the ramps. */
  steadyPerSecond: number;
  /** Acknowledgement of the cancellation to each delivery's first arrival, ms. */
  ackToDelivery: LatencySummary;
  /** Per cancellation: acknowledgement to its last endpoint's first arrival, ms. */
  ackToLastOfCancellation: LatencySummary;
  /** Cancellations acknowledged per second, first send to last acknowledgement; send to acknowledgement, ms. */
  acksPerSecond: number;
  ackLatency: LatencySummary;
  /** The senders' answers that were not S. */
  notAcked: Record<string, number>;
}

export interface PhaseRun {
  phase: 'single' | 'burst' | 'trickle';
  /** `<n> in flight`, or `<rate>/s open loop`. */
  load: string;
  outcome: FanoutOutcome;
  /** Peak RSS sampled during the phase and the lifetime peak (VmHWM) at its end, MB. */
  memory: { peakRssMB: number; hwmMB: number };
  /** CPU ms per delivered callback: the target, its store, the receivers, this bench process. */
  cpuPerDelivery: { target: number; store: number; receivers: number; client: number };
  cpu: CpuUse;
  /** Why the wait for deliveries ended early, if it did. */
  incomplete?: string;
  /** Statement counter deltas per delivery (MariaDB), when the target reads counters. */
  perDelivery?: Record<string, number>;
}

export interface WaitLimits {
  /** Longest wait for the phase's deliveries after the last acknowledgement; give up when none arrived for `stallMs`. */
  maxWaitMs: number;
  stallMs: number;
}

/** Waits until the receivers hold `expected` callbacks, bounded by time and by a stall. */
async function waitForDeliveries(receivers: FanoutReceivers, expected: number, limits: WaitLimits, pollMs: number): Promise<string | undefined> {
  const deadline = Date.now() + limits.maxWaitMs;
  let last = -1;
  let lastChange = Date.now();
  for (let i = 0; i < 1_000_000 && Date.now() < deadline; i++) {
    const count = await receivers.count();
    if (count >= expected) return undefined;
    if (count !== last) {
      last = count;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > limits.stallMs) return `stalled at ${count} of ${expected} callbacks (none for ${limits.stallMs / 1000} s)`;
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
  load: { count: number; concurrency: number } | { count: number; rate: number },
  limits: WaitLimits,
): Promise<PhaseRun> {
  const prepared = await target.prepare(load.count);
  await receivers.reset();
  const counters0 = (await target.counters?.()) ?? null;
  const rss = new RssSampler(target.pids);
  const meter = new CpuMeter(target.pids, target.storePid);
  const receivers0 = processesCpuMs(receivers.pids);
  let acks: PhaseResult;
  try {
    acks =
      'rate' in load ? await openLoop(load.count, load.rate, prepared.task) : await closedLoop(load.count, load.concurrency, limits.maxWaitMs, prepared.task);
  } finally {
    prepared.close();
  }
  const incomplete = await waitForDeliveries(receivers, acks.s * endpointCount, limits, phase === 'burst' ? 200 : 10);
  const cpu = meter.stop();
  const receivers1 = processesCpuMs(receivers.pids);
  const memory = rss.stop();
  const counters1 = (await target.counters?.()) ?? null;
  // Late twins (a duplicate after the expected count was reached) get a moment to show up.
  await new Promise((r) => setTimeout(r, phase === 'burst' ? 2_000 : 300));
  const outcome = analyse(acks, prepared.tokens, endpointCount, await receivers.dump());
  const per = (v: number | null) => (v !== null && outcome.delivered > 0 ? v / outcome.delivered : NaN);
  return {
    phase,
    load: 'rate' in load ? `${load.rate}/s open loop` : `${load.concurrency} in flight`,
    outcome,
    memory,
    cpu,
    cpuPerDelivery: {
      target: per(cpu.targetMs),
      store: per(cpu.databaseMs),
      receivers: per(receivers0 !== null && receivers1 !== null ? receivers1 - receivers0 : null),
      client: per(cpu.clientMs),
    },
    incomplete,
    perDelivery:
      counters0 && counters1 && outcome.delivered > 0
        ? Object.fromEntries(Object.keys(counters0).map((k) => [k, (counters1[k] - counters0[k]) / outcome.delivered]))
        : undefined,
  };
}

/** Joins the receivers' log with the acknowledgements by access token (the callback carries it; the bench knows it from what it sent). */
function analyse(acks: PhaseResult, tokens: readonly string[], endpointCount: number, log: ReceivedLog): FanoutOutcome {
  const index = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) if (!Number.isNaN(acks.dueAt[i])) index.set(tokens[i], i);
  const acked = (i: number) => acks.outcomes[i] === Outcome.S;
  const first = new Map<string, number>();
  const notifyIds = new Map<number, Set<string>>();
  let duplicates = 0;
  let ofUnacked = 0;
  let unexpected = 0;
  let invalid = 0;
  for (let k = 0; k < log.times.length; k++) {
    if (!log.valid[k]) invalid++;
    const i = index.get(log.tokens[k]);
    if (i === undefined) unexpected++;
    else if (!acked(i)) ofUnacked++;
    else {
      let ids = notifyIds.get(i);
      if (!ids) notifyIds.set(i, (ids = new Set()));
      ids.add(log.notifyIds[k]);
      const key = `${i}|${log.endpoints[k]}`;
      const seen = first.get(key);
      if (seen !== undefined) duplicates++;
      if (seen === undefined || log.times[k] < seen) first.set(key, log.times[k]);
    }
  }
  let firstSend = Infinity;
  let lastAck = -Infinity;
  const ackMs: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!Number.isNaN(acks.dueAt[i])) firstSend = Math.min(firstSend, acks.dueAt[i]);
    if (acked(i)) {
      lastAck = Math.max(lastAck, acks.doneAt[i]);
      ackMs.push(acks.doneAt[i] - acks.dueAt[i]);
    }
  }
  const fromAck: number[] = [];
  const arrivals: number[] = [];
  const lastOf = new Map<number, number>();
  for (const [key, at] of first) {
    const i = Number(key.slice(0, key.indexOf('|')));
    fromAck.push(at - acks.doneAt[i]);
    arrivals.push(at);
    lastOf.set(i, Math.max(lastOf.get(i) ?? -Infinity, at));
  }
  arrivals.sort((a, b) => a - b);
  const n = arrivals.length;
  const elapsedS = (arrivals[n - 1] - firstSend) / 1000;
  const p10 = arrivals[Math.floor(0.1 * (n - 1))];
  const p90 = arrivals[Math.floor(0.9 * (n - 1))];
  const expected = acks.s * endpointCount;
  return {
    cancellationsSent: acks.sent,
    cancellationsAcked: acks.s,
    expected,
    delivered: n,
    missing: expected - n,
    duplicates,
    ofUnacked,
    unexpected,
    invalidSignatures: invalid,
    splitNotifyIds: [...notifyIds.values()].filter((s) => s.size > 1).length,
    elapsedS,
    deliveriesPerSecond: n / elapsedS,
    steadyPerSecond: n >= 20 && p90 > p10 ? (0.8 * n) / ((p90 - p10) / 1000) : NaN,
    ackToDelivery: summarize(Float64Array.from(fromAck)),
    ackToLastOfCancellation: summarize(Float64Array.from([...lastOf].map(([i, at]) => at - acks.doneAt[i]))),
    acksPerSecond: acks.s / ((lastAck - firstSend) / 1000),
    ackLatency: summarize(Float64Array.from(ackMs)),
    notAcked: { ...acks.notS, ...acks.noAnswer },
  };
}
