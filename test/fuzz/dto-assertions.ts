import type { Invalid } from './dto-model';

/** The problem names the field: `path: reason`, or starts with `body` for the whole body. */
export function namesPath(problem: string, path: string): boolean {
  return path === 'body' ? problem.startsWith('body') : problem.startsWith(`${path}: `);
}

/** Throws (for fast-check to report) unless the body was accepted. */
export function assertAccepted(result: { ok: boolean; problem?: string }, body: unknown): void {
  if (!result.ok) throw new Error(`valid body refused: ${result.problem}\n${preview(body)}`);
}

/** Throws unless the body was refused with a problem naming the mutated field. */
export function assertRefused(result: { ok: boolean; problem?: string }, invalid: Invalid): void {
  if (result.ok) throw new Error(`accepted a body with ${invalid.what}\n${preview(invalid.body)}`);
  if (!namesPath(result.problem!, invalid.path)) {
    throw new Error(`problem "${result.problem}" does not name ${invalid.path} (${invalid.what})\n${preview(invalid.body)}`);
  }
}

/** `field: reason`, `a.b.c: reason`, or about the whole body. */
export const PROBLEM_SHAPE = /^(body\b|[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*: \S)/;

/** The admin API also names an unknown field as sent, whatever its characters. */
export const ADMIN_PROBLEM_SHAPE = new RegExp(`${PROBLEM_SHAPE.source}|: is not a known field$`);

export function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 400 ? `${json.slice(0, 400)}… (${json.length} chars)` : json;
}
