import { formatProfileSummary, type ProfileSummary } from '../cpuprofile-top';
import { describeMariadbServer } from './bench-database';
import type { CpuUse } from './cpu-meter';
import { failures, type PhaseResult } from './load-generator';
import { describeMix, notificationMix } from './notification-mix';
import { describeMachine, markdownTable, ms, passMiss, rate, textTable, type MachineInfo } from './report';

/** Goals this benchmark reports against. */
export const GOAL_P99_MS = 50;
export const GOAL_RATE = 500;
export const GOAL_MARIADB_PER_SECOND = 1500;
export const GOAL_CEILING_RATIO = 0.6;
export type TargetName = 'ceiling' | 'sqlite' | 'mariadb';

export interface TargetRun {
  name: string;
  kind: TargetName;
  loadAverageBefore: string;
  warmup?: PhaseResult;
  max?: PhaseResult;
  fixedRate?: PhaseResult;
  /** CPU used during the max-throughput and fixed-rate phases. */
  maxCpu?: CpuUse;
  fixedRateCpu?: CpuUse;
  /** MariaDB InnoDB deadlocks and row-lock waits during the timed phases (server-wide counters). */
  locks?: { deadlocks: number; rowLockWaits: number };
  /** MariaDB statements per S answer during the timed phases, by kind (server-wide counters). */
  statementsPerS?: Record<string, number>;
  /** When the timed phases ran (monotonic µs, as CPU profiles stamp samples). */
  windows: Array<[number, number]>;
  signatures: { checked: number; valid: number };
  correctness?: CorrectnessCheck[];
  logLines?: { warn: number; error: number };
  profile?: { file: string; summary: ProfileSummary };
  database?: string;
  merchantSeededVia?: string;
  error?: string;
}

export interface CorrectnessCheck {
  what: string;
  expected: number;
  /** Upper bound when some requests got no answer (they may or may not have been stored). */
  expectedMax: number;
  actual: number;
  ok: boolean;
}

export interface Settings {
  durationMs: number;
  concurrency: number;
  rate: number;
  rateDurationMs: number;
  warmupMs: number;
  logLevel: string;
  gatewayEnv: Record<string, string>;
  profileDir: string | null;
  seed: number;
  keep: boolean;
  signMs: number;
  gatewayMain: string;
  gatewayLog: string | null;
}

/** How a target is named in the report. */
export function label(kind: TargetName, second = false): string {
  if (kind === 'ceiling') return second ? 'bare Fastify ceiling (end)' : 'bare Fastify ceiling (start)';
  return kind === 'sqlite' ? 'gateway SQLite' : 'gateway MariaDB';
}

export interface ReportInput {
  runs: TargetRun[];
  settings: Settings;
  machine: MachineInfo;
  startLoad: string;
  endLoad: string;
  revision: string;
  mariadbUrl: string | null;
  mariadbSkipped: string | null;
}

/**
 * The printed report (one results table, goals, correctness checks, CPU
 * profiles), and the same as Markdown and JSON for bench/results/.
 */
export function buildReport(input: ReportInput): { text: string; markdown: string; json: unknown } {
  const { runs, settings, machine, startLoad, endLoad, revision, mariadbUrl, mariadbSkipped } = input;
  const out: string[] = [];
  const log = (line: string) => out.push(line);
  // The ceiling is the mean of its runs (start and end), so drift over the run shows and evens out.
  const ceilings = runs.filter((r) => r.kind === 'ceiling' && r.max && !r.error).map((r) => r.max!.sPerSecond);
  const ceiling = ceilings.length ? ceilings.reduce((a, b) => a + b, 0) / ceilings.length : NaN;
  const ratio = (r: TargetRun) => (r.max && Number.isFinite(ceiling) ? r.max.sPerSecond / ceiling : NaN);

  const perS = (cpuMs: number | null | undefined, r?: PhaseResult) => (cpuMs != null && r && r.s > 0 ? cpuMs / r.s : NaN);
  const ceilingCpus = runs
    .filter((r) => r.kind === 'ceiling' && r.max && !r.error)
    .map((r) => perS(r.maxCpu?.targetMs, r.max))
    .filter(Number.isFinite);
  const ceilingCpu = ceilingCpus.length ? ceilingCpus.reduce((a, b) => a + b, 0) / ceilingCpus.length : NaN;

  // One table: each target's max-throughput row, then its fixed-rate row (the one the p99 goal is judged on).
  const header = [
    'target',
    'load',
    'notifications/s',
    'vs ceiling',
    'p50 ms',
    'p99 ms',
    'max ms',
    'S',
    'errors (not S / no answer)',
    'target CPU ms/S',
    'target CPU busy',
    'DB CPU ms/S',
    `p99 < ${GOAL_P99_MS} ms`,
  ];
  const errorsOf = (p: PhaseResult) => {
    const n = failures(p);
    const detail = [...Object.entries(p.notS), ...Object.entries(p.noAnswer)].map(([k, v]) => `${k}: ${v}`).join('; ');
    return n === 0 ? '0' : `${n} (${detail})`;
  };
  const busy = (cpu?: CpuUse) => (cpu?.targetMs != null ? `${((100 * cpu.targetMs) / cpu.wallMs).toFixed(0)}%` : '-');
  const dbCpu = (cpu: CpuUse | undefined, p: PhaseResult) => (Number.isFinite(perS(cpu?.databaseMs, p)) ? perS(cpu?.databaseMs, p).toFixed(2) : '-');
  const rows: string[][] = [];
  for (const r of runs) {
    if (!r.max) {
      rows.push([r.name, '-', 'FAILED', '-', '-', '-', '-', '-', r.error ?? '', '-', '-', '-', '-']);
      continue;
    }
    rows.push([
      r.name,
      `${settings.concurrency} conns${r.max.poolExhausted ? ' (pool exhausted)' : ''}`,
      rate(r.max.sPerSecond),
      r.kind === 'ceiling' ? '-' : ratio(r).toFixed(2),
      ms(r.max.latency.p50),
      ms(r.max.latency.p99),
      ms(r.max.latency.max),
      String(r.max.s),
      errorsOf(r.max),
      perS(r.maxCpu?.targetMs, r.max).toFixed(2),
      busy(r.maxCpu),
      dbCpu(r.maxCpu, r.max),
      '',
    ]);
    const f = r.fixedRate;
    if (f) {
      rows.push([
        r.name,
        `${settings.rate}/s open${f.fellBehind ? ' (sender fell behind)' : ''}`,
        rate(f.sPerSecond),
        '',
        ms(f.latency.p50),
        ms(f.latency.p99),
        ms(f.latency.max),
        String(f.s),
        errorsOf(f),
        perS(r.fixedRateCpu?.targetMs, f).toFixed(2),
        busy(r.fixedRateCpu),
        dbCpu(r.fixedRateCpu, f),
        passMiss(f.s > 0 && f.latency.p99 < GOAL_P99_MS && failures(f) === 0 && !f.fellBehind),
      ]);
    }
  }
  if (ceilings.length > 1)
    rows.push([`ceiling used (mean of ${ceilings.length})`, '', rate(ceiling), '1.00', '', '', '', '', '', ceilingCpu.toFixed(2), '', '', '']);

  const gateways = runs.filter((r) => r.kind !== 'ceiling');
  const goals: Array<{ goal: string; target: string; value: string; pass: boolean | null }> = [];
  for (const r of gateways) {
    const f = r.fixedRate;
    goals.push({
      goal: `p99 < ${GOAL_P99_MS} ms at ${GOAL_RATE}/s (every request S)`,
      target: r.name,
      value: f
        ? `p99 ${ms(f.latency.p99)} ms at ${settings.rate}/s, ${failures(f)} not S${settings.rate !== GOAL_RATE ? ` (not judged: run at ${settings.rate}/s)` : ''}`
        : 'no result',
      pass: !f ? false : settings.rate !== GOAL_RATE ? null : f.s > 0 && f.latency.p99 < GOAL_P99_MS && failures(f) === 0 && !f.fellBehind,
    });
  }
  const maria = gateways.find((r) => r.kind === 'mariadb');
  goals.push({
    goal: `>= ${GOAL_MARIADB_PER_SECOND.toLocaleString('en')}/s on MariaDB`,
    target: label('mariadb'),
    value: maria?.max ? `${rate(maria.max.sPerSecond)}/s` : mariadbSkipped ? 'skipped' : 'no result',
    pass: maria?.max ? maria.max.sPerSecond >= GOAL_MARIADB_PER_SECOND : null,
  });
  for (const r of gateways) {
    goals.push({
      goal: `>= ${Math.round(GOAL_CEILING_RATIO * 100)}% of the ceiling`,
      target: r.name,
      value: r.max ? `${(100 * ratio(r)).toFixed(0)}% (${rate(r.max.sPerSecond)} of ${rate(ceiling)}/s)` : 'no result',
      pass: r.max && Number.isFinite(ceiling) ? ratio(r) >= GOAL_CEILING_RATIO : null,
    });
  }
  for (const r of gateways) {
    const cpu = perS(r.maxCpu?.targetMs, r.max);
    if (Number.isFinite(cpu) && Number.isFinite(ceilingCpu)) {
      goals.push({
        goal: 'CPU per S answer vs the ceiling (information)',
        target: r.name,
        value: `${cpu.toFixed(2)} ms = ${(cpu / ceilingCpu).toFixed(1)}x the ceiling's ${ceilingCpu.toFixed(2)} ms`,
        pass: null,
      });
    }
  }
  const goalHeader = ['goal', 'target', 'measured', 'result'];
  const goalRows = goals.map((g) => [g.goal, g.target, g.value, passMiss(g.pass)]);

  const checkHeader = ['target', 'check', 'expected', 'found', 'result'];
  const checkRows: string[][] = [];
  for (const r of runs) {
    checkRows.push([
      r.name,
      'sampled answer signatures valid',
      String(r.signatures.checked),
      String(r.signatures.valid),
      r.signatures.checked === r.signatures.valid ? 'OK' : 'BAD',
    ]);
    for (const c of r.correctness ?? []) {
      checkRows.push([
        r.name,
        c.what,
        c.expected === c.expectedMax ? String(c.expected) : `${c.expected}..${c.expectedMax}`,
        String(c.actual),
        c.ok ? 'OK' : 'MISMATCH',
      ]);
    }
    if (r.statementsPerS) {
      checkRows.push([
        r.name,
        'MariaDB statements per S answer (server-wide)',
        '-',
        Object.entries(r.statementsPerS)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', '),
        'INFO',
      ]);
    }
    if (r.locks)
      checkRows.push([
        r.name,
        'InnoDB deadlocks / row-lock waits in the timed phases',
        '0 / -',
        `${r.locks.deadlocks} / ${r.locks.rowLockWaits}`,
        r.locks.deadlocks === 0 ? 'OK' : 'DEADLOCKS',
      ]);
    if (r.logLines)
      checkRows.push([r.name, 'gateway log lines warn / error', '-', `${r.logLines.warn} / ${r.logLines.error}`, r.logLines.error === 0 ? 'OK' : 'SEE LOG']);
  }

  const setup = [
    `machine: ${describeMachine(machine)}`,
    `load average: start ${startLoad}, end ${endLoad}; before each target: ${runs.map((r) => `${r.name} ${r.loadAverageBefore}`).join('; ')}`,
    `load: ${settings.concurrency} keep-alive connections for ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up; ` +
      `fixed ${settings.rate}/s for ${settings.rateDurationMs / 1000} s, open loop (latency from the scheduled send time); ` +
      `client, targets and MariaDB share the machine's ${machine.cores} cores`,
    `notifications: pre-signed per phase, realistic bodies (simulator factory), mix ${describeMix(notificationMix(2000, 'X', settings.seed))}; ` +
      `notifications name a seeded merchant (no callback endpoints); latency columns are over S answers`,
    `CPU columns (from /proc, user+system): "target CPU ms/S" = the target process's CPU per S answer (steadier than the rates on a shared machine); ` +
      `"target CPU busy" = its CPU time / wall time (100% = one core saturated: a single event loop can do no more); "DB CPU ms/S" = the MariaDB server's, all its clients included`,
    'answer signatures: the ceiling signs every answer afresh, as a plain route would; the gateway times answers to the whole second ' +
      'and reuses the (deterministic, byte-identical) RSA signature of an identical answer within that second (src/signing/signature-memo.ts)',
    `gateway: ${settings.gatewayMain}; checkout ${revision}`,
    ...(mariadbSkipped ? [mariadbSkipped] : []),
    ...(mariadbUrl ? [describeMariadbServer(mariadbUrl, { overSocket: true })] : []),
  ];

  log('\n=== authNotify ingest ===');
  for (const line of setup) log(line);
  log(
    `\nresults: max throughput = ${settings.concurrency} keep-alive connections, closed loop, ${settings.durationMs / 1000} s; ` +
      `fixed rate = ${settings.rate}/s open loop for ${settings.rateDurationMs / 1000} s, latency from the scheduled send time\n${textTable(header, rows)}`,
  );
  log(`\ngoals\n${textTable(goalHeader, goalRows)}`);
  log(`\ncorrectness (database read directly after the phases)\n${textTable(checkHeader, checkRows)}`);
  for (const r of runs) {
    if (r.profile) log(`\nCPU profile of ${r.name} (${r.profile.file})\n${formatProfileSummary(r.profile.summary)}`);
  }

  const strip = (p?: PhaseResult) => p && { ...p, outcomes: undefined, samples: undefined };
  const json = {
    benchmark: 'auth-notify',
    date: new Date().toISOString(),
    machine,
    loadAverage: { start: startLoad, end: endLoad },
    settings: { ...settings, profileDir: settings.profileDir !== null },
    ceilingPerSecond: ceiling,
    runs: runs.map((r) => ({ ...r, warmup: strip(r.warmup), max: strip(r.max), fixedRate: strip(r.fixedRate) })),
    goals,
    mariadbSkipped,
    revision,
  };
  const markdown = [
    `# authNotify ingest benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    ...setup.map((l) => `- ${l}`),
    '',
    `## Results (${settings.concurrency} connections closed loop for ${settings.durationMs / 1000} s; ${settings.rate}/s open loop for ${settings.rateDurationMs / 1000} s)`,
    '',
    markdownTable(header, rows),
    '',
    '## Goals',
    '',
    markdownTable(goalHeader, goalRows),
    '',
    '## Correctness',
    '',
    markdownTable(checkHeader, checkRows),
    '',
    ...runs.flatMap((r) => (r.profile ? ['', `## CPU profile of ${r.name}`, '', '```text', formatProfileSummary(r.profile.summary), '```'] : [])),
    '',
    'Run: `npm run build && node dist/bench/auth-notify.bench.js --write`',
  ].join('\n');
  return { text: out.join('\n'), markdown, json };
}
