import { formatProfileSummary, type ProfileSummary } from '../cpuprofile-top';
import { describeMariadbServer } from './bench-database';
import type { PhaseRun } from './fanout-phases';
import { describeMachine, markdownTable, passMiss, textTable, type MachineInfo } from './report';

/** Goals this benchmark reports against. */
export const GOAL_DELIVERIES_PER_SECOND = 2000;
export const GOAL_UNSATURATED_P99_MS = 250;
export const GOAL_RSS_MB = 250;

export interface FanoutSettings {
  endpoints: number;
  cancellations: number;
  concurrency: number;
  singles: number;
  /** Explicit trickle rate; null: automatic. */
  trickleRate: number | null;
  /** Most the trickle can run at (sizes the token pool). */
  trickleMaxRate: number;
  trickleDurationMs: number;
  receivers: number;
  receiverPorts: number;
  workerConcurrency: number;
  maxWaitMs: number;
  logLevel: string;
  gatewayEnv: Record<string, string>;
  gatewayMain: string;
  gatewayLog: string | null;
  profileDir: string | null;
  keep: boolean;
}

export interface TargetResult {
  name: string;
  kind: 'mariadb' | 'sqlite' | 'bullmq';
  loadAverageBefore: string;
  database?: string;
  setup?: { tokens: number; acked: number; perSecond: number };
  warmup?: PhaseRun;
  singles: PhaseRun[];
  burst?: PhaseRun;
  trickle?: PhaseRun;
  /** How long the trickle waited for the target and its store to go idle after the burst, ms. */
  settleMs?: number;
  /** VmHWM of the gateway or worker at the end: its peak RSS over the whole run, MB. */
  lifetimeHwmMB?: number;
  /** Redis used_memory_peak (BullMQ), MB. */
  storePeakMB?: number;
  checks: Array<{ what: string; expected: string; actual: number; ok: boolean }>;
  logLines?: { warn: number; error: number };
  profile?: { file: string; summary: ProfileSummary };
  error?: string;
}

export interface FanoutReportInput {
  results: TargetResult[];
  settings: FanoutSettings;
  machine: MachineInfo;
  startLoad: string;
  endLoad: string;
  revision: string;
  skipped: string[];
  trickleRateUsed: number | null;
  receivers: string;
  mariadbUrl: string | null;
  redisUrl: string | null;
}

const f0 = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(0) : '-');
const f1 = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? (Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1)) : '-');
const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
};

function phaseRow(r: TargetResult, p: PhaseRun): string[] {
  const o = p.outcome;
  return [
    r.name,
    p.phase,
    p.load,
    `${o.cancellationsAcked}/${o.cancellationsSent}`,
    `${o.delivered}/${o.expected}`,
    f0(o.deliveriesPerSecond),
    f0(o.steadyPerSecond),
    f1(o.ackToDelivery.p50),
    f1(o.ackToDelivery.p99),
    f1(o.ackToDelivery.max),
    `${f1(o.ackToLastOfCancellation.p50)} / ${f1(o.ackToLastOfCancellation.p99)}`,
    f0(p.memory.peakRssMB),
    `${f1(p.cpuPerDelivery.target)} / ${f1(p.cpuPerDelivery.store)} / ${f1(p.cpuPerDelivery.receivers)}`,
    Number.isFinite(p.targetBusy) ? `${(100 * p.targetBusy).toFixed(0)}%` : '-',
    `${o.missing} / ${o.duplicates} / ${o.invalidSignatures}${p.incomplete ? ' (incomplete)' : ''}`,
    p.phase === 'burst' ? `${f0(o.acksPerSecond)}/s, ${f1(o.ackLatency.p99)}` : `-, ${f1(o.ackLatency.p99)}`,
  ];
}

function singlesRow(r: TargetResult): string[] | null {
  if (r.singles.length === 0) return null;
  const last = r.singles.map((p) => p.outcome.ackToLastOfCancellation.max);
  const sum = (f: (p: PhaseRun) => number) => r.singles.reduce((n, p) => n + f(p), 0);
  return [
    r.name,
    `single x${r.singles.length}`,
    '1 cancellation',
    `${sum((p) => p.outcome.cancellationsAcked)}/${sum((p) => p.outcome.cancellationsSent)}`,
    `${sum((p) => p.outcome.delivered)}/${sum((p) => p.outcome.expected)}`,
    f0(median(r.singles.map((p) => p.outcome.deliveriesPerSecond))),
    '-',
    f1(median(r.singles.map((p) => p.outcome.ackToDelivery.p50))),
    f1(median(r.singles.map((p) => p.outcome.ackToDelivery.p99))),
    f1(Math.max(...r.singles.map((p) => p.outcome.ackToDelivery.max))),
    `last: ${f1(median(last))} (${last.map(f1).join(', ')})`,
    f0(Math.max(...r.singles.map((p) => p.memory.peakRssMB))),
    `${f1(median(r.singles.map((p) => p.cpuPerDelivery.target)))} / ${f1(median(r.singles.map((p) => p.cpuPerDelivery.store)))} / ${f1(median(r.singles.map((p) => p.cpuPerDelivery.receivers)))}`,
    '-',
    `${sum((p) => p.outcome.missing)} / ${sum((p) => p.outcome.duplicates)} / ${sum((p) => p.outcome.invalidSignatures)}`,
    `-, ${f1(Math.max(...r.singles.map((p) => p.outcome.ackLatency.p99)))}`,
  ];
}

/** The printed report (results, gateway vs BullMQ, goals, checks, profiles), and the same as Markdown and JSON. */
export function buildFanoutReport(input: FanoutReportInput): { text: string; markdown: string; json: unknown } {
  const { results, settings: s, machine } = input;
  const header = [
    'target',
    'phase',
    'load',
    'cancellations acked/sent',
    'callbacks delivered/expected',
    'deliveries/s',
    'steady/s (p10-p90)',
    'ack->delivery p50 ms',
    'p99 ms',
    'max ms',
    'ack->last callback of a cancellation p50 / p99 ms',
    'peak RSS MB',
    'CPU ms/delivery target / store / receivers',
    'target busy',
    'missing / dup / bad sig',
    'acks/s, ack p99 ms',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    if (r.error && !r.burst) rows.push([r.name, 'FAILED', '-', '-', '-', '-', '-', '-', '-', '-', r.error, '-', '-', '-', '-', '-']);
    const single = singlesRow(r);
    if (single) rows.push(single);
    if (r.burst) rows.push(phaseRow(r, r.burst));
    if (r.trickle) rows.push(phaseRow(r, r.trickle));
  }

  const maria = results.find((r) => r.kind === 'mariadb');
  const sqlite = results.find((r) => r.kind === 'sqlite');
  const bull = results.find((r) => r.kind === 'bullmq');
  const gateways = [maria, sqlite].filter((r): r is TargetResult => r !== undefined);
  const hwm = (r: TargetResult) =>
    Math.max(r.lifetimeHwmMB ?? NaN, ...[r.warmup, ...r.singles, r.burst, r.trickle].map((p) => p?.memory.hwmMB ?? NaN).filter(Number.isFinite));

  const compareHeader = [
    'burst',
    'deliveries/s',
    'ack->delivery p50 ms',
    'p99 ms',
    'peak RSS MB (lifetime)',
    'CPU ms/delivery (process / store)',
    'what it includes',
  ];
  const compareRows: string[][] = [];
  const includes: Record<TargetResult['kind'], string> = {
    mariadb:
      'verifies + stores each authNotify, outbox rows in MariaDB (durable); per claim: lease, 6 reads, decrypt; per delivery: sign (thread pool), POST; per batch of finished attempts: fenced updates + attempt rows',
    sqlite: 'as MariaDB, on an SQLite file (WAL, synchronous=NORMAL)',
    bullmq:
      'addBulk of 100 jobs to Redis (in memory, no persistence), token in clear in Redis; per delivery: sign (thread pool, the same function), POST; no attempt log',
  };
  for (const r of [maria, sqlite, bull]) {
    if (!r?.burst) continue;
    const o = r.burst.outcome;
    compareRows.push([
      r.name,
      f0(o.deliveriesPerSecond),
      f1(o.ackToDelivery.p50),
      f1(o.ackToDelivery.p99),
      f0(hwm(r)),
      `${f1(r.burst.cpuPerDelivery.target)} / ${f1(r.burst.cpuPerDelivery.store)}`,
      includes[r.kind],
    ]);
  }
  for (const g of gateways) {
    if (!g.burst || !bull?.burst) continue;
    const a = g.burst.outcome;
    const b = bull.burst.outcome;
    compareRows.push([
      `ratio ${g.name} / BullMQ`,
      `${(a.deliveriesPerSecond / b.deliveriesPerSecond).toFixed(2)}x`,
      `${(a.ackToDelivery.p50 / b.ackToDelivery.p50).toFixed(2)}x`,
      `${(a.ackToDelivery.p99 / b.ackToDelivery.p99).toFixed(2)}x`,
      `${(hwm(g) / hwm(bull)).toFixed(2)}x`,
      `${(g.burst.cpuPerDelivery.target / bull.burst.cpuPerDelivery.target).toFixed(2)}x`,
      'above 1 = the gateway is faster (deliveries/s) or costlier (the others)',
    ]);
  }

  const goals: Array<{ goal: string; target: string; value: string; pass: boolean | null }> = [];
  for (const g of gateways) {
    const o = g.burst?.outcome;
    goals.push({
      goal: `fan-out >= ${GOAL_DELIVERIES_PER_SECOND.toLocaleString('en')} deliveries/s (burst, first notification to last delivery)`,
      target: g.name,
      value: o ? `${f0(o.deliveriesPerSecond)}/s (steady ${f0(o.steadyPerSecond)}/s)` : 'no result',
      pass: o ? o.deliveriesPerSecond >= GOAL_DELIVERIES_PER_SECOND && o.missing === 0 : false,
    });
  }
  for (const g of gateways) {
    const a = g.burst?.outcome;
    const b = bull?.burst?.outcome;
    goals.push({
      goal: 'fan-out ahead of BullMQ (deliveries/s, same run)',
      target: g.name,
      value:
        a && b
          ? `${f0(a.deliveriesPerSecond)} vs ${f0(b.deliveriesPerSecond)}/s = ${(a.deliveriesPerSecond / b.deliveriesPerSecond).toFixed(2)}x`
          : bull
            ? 'no result'
            : 'BullMQ not run',
      pass: a && b ? a.deliveriesPerSecond > b.deliveriesPerSecond : null,
    });
  }
  for (const g of gateways) {
    const t = g.trickle;
    const busy = g.burst?.outcome.steadyPerSecond;
    const rate = t ? Number(t.load.split('/')[0]) * s.endpoints : NaN;
    goals.push({
      goal: `p99 notification-to-delivery < ${GOAL_UNSATURATED_P99_MS} ms unsaturated (trickle, from the ack)`,
      target: g.name,
      value: t
        ? `p99 ${f1(t.outcome.ackToDelivery.p99)} ms at ${t.load} = ${f0(rate)} deliveries/s${busy ? ` (${f0((100 * rate) / busy)}% of its burst rate)` : ''}`
        : 'no result',
      pass: t ? t.outcome.ackToDelivery.p99 < GOAL_UNSATURATED_P99_MS && t.outcome.missing === 0 : false,
    });
  }
  for (const g of gateways) {
    const peak = hwm(g);
    goals.push({
      goal: `gateway RSS < ${GOAL_RSS_MB} MB (VmHWM over the whole run)`,
      target: g.name,
      value: Number.isFinite(peak) ? `${f0(peak)} MB` : 'no result',
      pass: Number.isFinite(peak) ? peak < GOAL_RSS_MB : false,
    });
  }
  for (const r of results) {
    const phases = [r.warmup, ...r.singles, r.burst, r.trickle].filter((p): p is PhaseRun => p !== undefined);
    const missing = phases.reduce((n, p) => n + p.outcome.missing, 0);
    const dup = phases.reduce((n, p) => n + p.outcome.duplicates, 0);
    const bad = phases.reduce((n, p) => n + p.outcome.invalidSignatures, 0);
    const delivered = phases.reduce((n, p) => n + p.outcome.delivered, 0);
    goals.push({
      goal: 'every (cancellation, endpoint) delivered, signatures valid',
      target: r.name,
      value: `${delivered} delivered, ${missing} missing, ${dup} duplicates, ${bad} bad signatures`,
      pass: phases.length > 0 && missing === 0 && bad === 0 && !r.error,
    });
  }
  const goalHeader = ['goal', 'target', 'measured', 'result'];
  const goalRows = goals.map((g) => [g.goal, g.target, g.value, passMiss(g.pass)]);

  const checkHeader = ['target', 'check', 'expected', 'found', 'result'];
  const checkRows: string[][] = [];
  for (const r of results) {
    if (r.setup)
      checkRows.push([
        r.name,
        'set-up: tokens created by TOKEN_CREATED',
        String(r.setup.tokens),
        String(r.setup.acked),
        r.setup.acked === r.setup.tokens ? 'OK' : 'SHORT',
      ]);
    for (const c of r.checks) checkRows.push([r.name, c.what, c.expected, String(c.actual), c.ok ? 'OK' : 'MISMATCH']);
    if (r.burst?.perDelivery) {
      checkRows.push([
        r.name,
        'MariaDB statements per delivery in the burst (server-wide, ingest included)',
        '-',
        Object.entries(r.burst.perDelivery)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', '),
        'INFO',
      ]);
    }
    if (r.storePeakMB !== undefined) checkRows.push([r.name, 'Redis used_memory_peak MB (not in the worker RSS)', '-', f0(r.storePeakMB), 'INFO']);
    if (r.logLines)
      checkRows.push([r.name, 'gateway log lines warn / error', '-', `${r.logLines.warn} / ${r.logLines.error}`, r.logLines.error === 0 ? 'OK' : 'SEE LOG']);
    for (const p of [r.warmup, ...r.singles, r.burst, r.trickle]) {
      if (p?.outcome && (p.outcome.unexpected > 0 || p.outcome.ofUnacked > 0 || p.outcome.splitNotifyIds > 0)) {
        checkRows.push([
          r.name,
          `${p.phase}: unexpected / of unacknowledged / split notifyIds`,
          '0 / 0 / 0',
          `${p.outcome.unexpected} / ${p.outcome.ofUnacked} / ${p.outcome.splitNotifyIds}`,
          'CHECK',
        ]);
      }
      if (p && Object.keys(p.outcome.notAcked).length > 0)
        checkRows.push([r.name, `${p.phase}: cancellations not acknowledged S`, '0', JSON.stringify(p.outcome.notAcked), 'CHECK']);
    }
  }

  const trickleDesc =
    s.trickleRate !== null
      ? `${s.trickleRate}/s (given)`
      : `${input.trickleRateUsed ?? '-'}/s (auto: min(20, half the first gateway burst's steady rate / ${s.endpoints}, in tenths), so it stays unsaturated; at least 5 cancellations)`;
  const setup = [
    `machine: ${describeMachine(machine)}`,
    `load average: start ${input.startLoad}, end ${input.endLoad}; before each target: ${results.map((r) => `${r.name} ${r.loadAverageBefore}`).join('; ')}`,
    `fan-out: 1 merchant, ${s.endpoints} ACTIVE sub-merchants with one TOKEN_CANCELED endpoint each (ANTOM_RSA); ${input.receivers}; receivers, targets, stores and this client share the machine's ${machine.cores} cores`,
    `phases: single (1 cancellation, after 1 warm-up) x${s.singles}; burst ${s.cancellations} cancellations, ${s.concurrency} in flight (gateway: signed TOKEN_CANCELED authNotify, ack = its S answer; BullMQ: addBulk of ${s.endpoints} jobs, ack = resolved); ` +
      `trickle ${trickleDesc} for ${s.trickleDurationMs / 1000} s, open loop, once the target and its store are idle after the burst ` +
      `(each under 10% of a core for 3 s in a row, at most 60 s; waited ${results.map((r) => `${r.name} ${r.settleMs === undefined ? '-' : `${(r.settleMs / 1000).toFixed(0)} s`}`).join(', ')})`,
    `deliveries/s = distinct (cancellation, endpoint) callbacks arrived / (last arrival - first notification sent); steady/s = the middle 80% of arrivals over their time span; ` +
      `ack->delivery = arrival at the receiver (its clock) - the cancellation's acknowledgement (this process's clock; same machine)`,
    `peak RSS = highest VmRSS sampled every 200 ms in the phase; lifetime = VmHWM; CPU from /proc (user+system) per delivered callback; "target busy" = target CPU / wall time (100% = one core)`,
    `gateway: ${s.gatewayMain}; checkout ${input.revision}; env extra: CALLBACK_ALLOW_PRIVATE_NETWORKS=127.0.0.0/8${Object.keys(s.gatewayEnv).length ? `, ${JSON.stringify(s.gatewayEnv)}` : ' (CALLBACK_CONCURRENCY 128, CALLBACK_ENDPOINT_CONCURRENCY 4, CALLBACK_POLL_MS 1000 defaults)'}`,
    `BullMQ peer: Worker concurrency ${s.workerConcurrency}, jobs attempts 8 with exponential backoff from 2 s, removeOnComplete; the gateway's callbackBody + antomCallbackHeaders per attempt; http keep-alive agent, 10 s timeout; Redis ${input.redisUrl ?? '-'} without persistence`,
    ...input.skipped,
    ...(input.mariadbUrl ? [describeMariadbServer(input.mariadbUrl)] : []),
  ];

  const out: string[] = [];
  out.push('\n=== TOKEN_CANCELED fan-out ===');
  for (const line of setup) out.push(line);
  out.push(`\nresults\n${textTable(header, rows)}`);
  if (compareRows.length) out.push(`\ngateway vs BullMQ (burst)\n${textTable(compareHeader, compareRows)}`);
  out.push(`\ngoals\n${textTable(goalHeader, goalRows)}`);
  out.push(`\nchecks\n${textTable(checkHeader, checkRows)}`);
  for (const r of results)
    if (r.profile) out.push(`\nCPU profile of ${r.name} during the burst (${r.profile.file})\n${formatProfileSummary(r.profile.summary)}`);

  const json = {
    benchmark: 'fanout',
    date: new Date().toISOString(),
    machine,
    loadAverage: { start: input.startLoad, end: input.endLoad },
    settings: { ...s, profileDir: s.profileDir !== null },
    trickleRateUsed: input.trickleRateUsed,
    revision: input.revision,
    results: results.map((r) => ({ ...r, lifetimePeakMB: hwm(r) })),
    goals,
    skipped: input.skipped,
  };
  const markdown = [
    `# TOKEN_CANCELED fan-out benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    ...setup.map((l) => `- ${l}`),
    '',
    '## Results',
    '',
    markdownTable(header, rows),
    '',
    ...(compareRows.length ? ['## Gateway vs BullMQ (burst)', '', markdownTable(compareHeader, compareRows), ''] : []),
    '## Goals',
    '',
    markdownTable(goalHeader, goalRows),
    '',
    '## Checks',
    '',
    markdownTable(checkHeader, checkRows),
    '',
    ...results.flatMap((r) =>
      r.profile ? [`## CPU profile of ${r.name} during the burst`, '', '```text', formatProfileSummary(r.profile.summary), '```', ''] : [],
    ),
    'Run: `npm run build && node dist/bench/fanout.bench.js --write` (MariaDB: scripts/mariadb.sh start; Redis: scripts/redis.sh start)',
  ].join('\n');
  return { text: out.join('\n'), markdown, json };
}
