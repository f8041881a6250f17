import type { AckLog } from './fanout-load';
import type { ReceivedLog } from './fanout-receivers';
import { summarize, type LatencySummary } from './load-generator';

/** What one fan-out phase delivered, judged from the receivers' records against what was acknowledged. */
export interface FanoutOutcome {
  cancellationsSent: number;
  cancellationsAcked: number;
  /** Acknowledged cancellations x endpoints: every one must arrive. */
  expected: number;
  /** Distinct (cancellation, endpoint) pairs that arrived, of the expected. */
  delivered: number;
  missing: number;
  /** Arrivals beyond the first of a pair. */
  duplicates: number;
  /** Arrivals for a cancellation that was not acknowledged (sent, no S: it may still have been stored). */
  ofUnacked: number;
  /** Arrivals naming no cancellation of this phase. */
  unexpected: number;
  invalidSignatures: number;
  /** Cancellations whose callbacks carried more than one notifyId (one event per cancellation expected). */
  splitNotifyIds: number;
  /** First send to last first-arrival, seconds; and the distinct deliveries per second over it. */
  elapsedS: number;
  deliveriesPerSecond: number;
  /** Deliveries per second between the 10th and the 90th percentile arrival: the steady rate, without the ramps. */
  steadyPerSecond: number;
  /** Acknowledgement of the cancellation to each delivery's first arrival, ms. */
  ackToDelivery: LatencySummary;
  /** Sending the cancellation to each delivery's first arrival, ms. */
  sendToDelivery: LatencySummary;
  /** Per cancellation: acknowledgement to its last endpoint's first arrival, ms. */
  ackToLastOfCancellation: LatencySummary;
  /** Cancellations acknowledged per second, first send to last acknowledgement. */
  acksPerSecond: number;
  /** Send to acknowledgement of each cancellation, ms (the gateway's authNotify answer; BullMQ's addBulk). */
  ackLatency: LatencySummary;
  /** The senders' answers that were not S. */
  notAcked: Record<string, number>;
}

/**
 * Joins the receivers' log with the acknowledgements by access token (the
 * callback carries it; the bench knows it from the notification it sent).
 */
export function analyseFanout(acks: AckLog, tokens: readonly string[], endpointCount: number, log: ReceivedLog): FanoutOutcome {
  const index = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) if (!Number.isNaN(acks.sendAt[i])) index.set(tokens[i], i);
  const first = new Map<string, number>();
  const notifyIds = new Map<number, Set<string>>();
  let duplicates = 0;
  let ofUnacked = 0;
  let unexpected = 0;
  let invalid = 0;
  for (let k = 0; k < log.times.length; k++) {
    if (!log.valid[k]) invalid++;
    const i = index.get(log.tokens[k]);
    if (i === undefined) {
      unexpected++;
      continue;
    }
    if (!acks.acked[i]) {
      ofUnacked++;
      continue;
    }
    let ids = notifyIds.get(i);
    if (!ids) notifyIds.set(i, (ids = new Set()));
    ids.add(log.notifyIds[k]);
    const key = `${i}|${log.endpoints[k]}`;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, log.times[k]);
    else {
      duplicates++;
      if (log.times[k] < seen) first.set(key, log.times[k]);
    }
  }
  let ackedCount = 0;
  let firstSend = Infinity;
  let lastAck = -Infinity;
  const ackMs: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!Number.isNaN(acks.sendAt[i])) firstSend = Math.min(firstSend, acks.sendAt[i]);
    if (acks.acked[i]) {
      ackedCount++;
      lastAck = Math.max(lastAck, acks.ackAt[i]);
      ackMs.push(acks.ackAt[i] - acks.sendAt[i]);
    }
  }
  const fromAck = new Float64Array(first.size);
  const fromSend = new Float64Array(first.size);
  const arrivals = new Float64Array(first.size);
  const lastOf = new Map<number, number>();
  let n = 0;
  for (const [key, at] of first) {
    const i = Number(key.slice(0, key.indexOf('|')));
    fromAck[n] = at - acks.ackAt[i];
    fromSend[n] = at - acks.sendAt[i];
    arrivals[n] = at;
    n++;
    lastOf.set(i, Math.max(lastOf.get(i) ?? -Infinity, at));
  }
  const perCancellation = Float64Array.from([...lastOf].map(([i, at]) => at - acks.ackAt[i]));
  arrivals.sort();
  const lastArrival = n > 0 ? arrivals[n - 1] : NaN;
  const elapsedS = (lastArrival - firstSend) / 1000;
  const p10 = arrivals[Math.floor(0.1 * (n - 1))];
  const p90 = arrivals[Math.floor(0.9 * (n - 1))];
  const steady = n >= 20 && p90 > p10 ? (0.8 * n) / ((p90 - p10) / 1000) : NaN;
  const expected = ackedCount * endpointCount;
  return {
    cancellationsSent: acks.sent,
    cancellationsAcked: ackedCount,
    expected,
    delivered: first.size,
    missing: expected - first.size,
    duplicates,
    ofUnacked,
    unexpected,
    invalidSignatures: invalid,
    splitNotifyIds: [...notifyIds.values()].filter((s) => s.size > 1).length,
    elapsedS,
    deliveriesPerSecond: first.size / elapsedS,
    steadyPerSecond: steady,
    ackToDelivery: summarize(fromAck),
    sendToDelivery: summarize(fromSend),
    ackToLastOfCancellation: summarize(perCancellation),
    acksPerSecond: ackedCount / ((lastAck - firstSend) / 1000),
    ackLatency: summarize(Float64Array.from(ackMs)),
    notAcked: acks.errors,
  };
}
