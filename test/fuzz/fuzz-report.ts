import { testEngine } from '../support/test-database';
import type { Answer } from './http-client';
import type { Plan } from './plan';
import type { Route } from './routes';

/** One request of the fuzz and what came back. */
export interface Outcome {
  i: number;
  plan: Plan;
  answer: Answer;
  /** Sent again on a fresh connection after a reset on a pooled one. */
  retried?: boolean;
  /** Protocol answers: the signed result, and whether its signature verified. */
  result?: { resultStatus?: string; resultCode?: string };
  signatureValid?: boolean;
}

export interface RunInfo {
  seed: number;
  requests: number;
  concurrency: number;
  elapsedMs: number;
}

export function describeOutcome(o: Outcome): string {
  const path = o.plan.path.length > 120 ? `${o.plan.path.slice(0, 120)}…(${o.plan.path.length})` : o.plan.path;
  const result = o.result ? ` ${o.result.resultStatus}/${o.result.resultCode}` : '';
  const sig = o.signatureValid === false ? ' (answer signature did not verify)' : '';
  return `#${o.i} [${o.plan.category}] ${o.plan.method} ${path} — ${o.plan.what} → ${o.answer.status}${result}${sig}`;
}

function bodyLabel(plan: Plan): string {
  const b = plan.body;
  if (plan.raw) return 'raw socket bytes';
  switch (b.kind) {
    case 'json':
      return b.splice
        ? `json + ${b.splice.kind === 'deep' ? `nested ${b.splice.depth} deep` : b.splice.kind === 'proto' ? 'prototype keys' : b.splice.kind}`
        : 'json';
    case 'sized':
      return `padded to ${b.size}`;
    default:
      return b.kind;
  }
}

/** The environment that sends just these requests again (plans are the same for the same seed and count). */
export function replayHint(broken: Outcome[], run: Pick<RunInfo, 'seed' | 'requests'>): string {
  if (broken.length === 0) return '';
  return `FUZZ_SEED=${run.seed} FUZZ_REQUESTS=${run.requests} FUZZ_ONLY=${broken
    .slice(0, 20)
    .map((o) => o.i)
    .join(',')}`;
}

/** Requests per route, category and body shape by answer, protocol result codes, and the first broken rules. */
export function printSummary(outcomes: Outcome[], routes: Route[], run: RunInfo, violations: (o: Outcome) => string[]): void {
  const { elapsedMs } = run;
  const table = new Map<string, Map<string, number>>();
  const bump = (row: string, column: string) => {
    const counts = table.get(row) ?? new Map<string, number>();
    counts.set(column, (counts.get(column) ?? 0) + 1);
    table.set(row, counts);
  };
  for (const o of outcomes) {
    const route = o.plan.category === 'raw' ? '(raw socket)' : `${o.plan.route.method} ${o.plan.route.template}`;
    const column = o.result?.resultStatus ? `${o.answer.status}/${o.result.resultStatus}` : String(o.answer.status);
    bump(route, column);
    bump(`category: ${o.plan.category}`, column);
    bump(`body: ${bodyLabel(o.plan)}`, column);
  }
  const retried = outcomes.filter((o) => o.retried).length;
  const verified = outcomes.filter((o) => o.signatureValid !== undefined);
  const codes = new Map<string, number>();
  for (const o of outcomes) if (o.result?.resultCode) codes.set(o.result.resultCode, (codes.get(o.result.resultCode) ?? 0) + 1);
  const unfuzzedModels = routes.filter((r) => r.kind === 'admin' && !r.bodyModels && !r.queryModel).map((r) => `${r.method} ${r.template}`);

  const lines = [
    `HTTP fuzz on ${testEngine()}: ${outcomes.length} requests in ${(elapsedMs / 1000).toFixed(1)} s (${Math.round(outcomes.length / (elapsedMs / 1000))}/s), seed ${run.seed}, concurrency ${run.concurrency}`,
    '',
    'requests per route (answers by status, /F /U for signed protocol results; methods and paths are fuzzed around each route):',
    ...[...table.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([row, counts]) => {
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        const cells = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}:${v}`);
        return `  ${String(total).padStart(5)}  ${row.padEnd(64)} ${cells.join(' ')}`;
      }),
    '',
    `protocol result codes: ${[...codes.entries()].map(([k, v]) => `${k}:${v}`).join(' ')}`,
    `signed protocol answers verified: ${verified.filter((o) => o.signatureValid).length} of ${verified.length}`,
    `retried on a fresh connection after a reset (of a pooled connection, or of an upload refused unread): ${retried}`,
    `admin routes fuzzed with ids, junk bodies and queries only (no DTO): ${unfuzzedModels.join(', ') || 'none'}`,
  ];
  const broken = outcomes.map((o) => ({ o, rules: violations(o) })).filter((x) => x.rules.length > 0);
  if (broken.length > 0) {
    lines.push(
      '',
      `${broken.length} requests broke a rule; first ones:`,
      ...broken.slice(0, 25).map(({ o, rules }) => `  ${describeOutcome(o)}  [${rules.join('; ')}]`),
    );
  }
  console.log(lines.join('\n'));
}
