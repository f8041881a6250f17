import type { SimulatorRule, SimulatorStep } from './simulator.types';

/** What the simulator will do with one cancelToken call, once signature and body have passed. */
export type CallPlan =
  /** Cancel the token and answer S, signed as given, after `holdMs`. */
  | { kind: 'cancel'; signature: 'valid' | 'none' | 'bad'; holdMs: number }
  /** Answer F or U (signed), after `holdMs`; the token is left alone. */
  | { kind: 'result'; resultStatus: 'F' | 'U'; resultCode: string; resultMessage?: string; holdMs: number }
  | { kind: 'http-error'; status: number }
  | { kind: 'drop' };

/** Default hold of a failing `timeout` call in failTimesThenSucceed: past the client's default 5 s. */
const DEFAULT_FAILING_HOLD_MS = 6_000;

export const WILDCARD = '*';

const STEP_KINDS = new Set(['success', 'fail', 'unknown', 'timeout', 'unsigned', 'badSignature', 'http5xx', 'down']);

/**
 * Rules by access token (or `*`), each consumed one call at a time and
 * counted per access token, so a `*` scenario plays out for every token on
 * its own.
 */
export class RuleBook {
  private readonly rules = new Map<string, SimulatorRule>();
  private readonly calls = new Map<string, number>();

  set(key: string, rule: SimulatorRule | null): void {
    if (rule === null) this.rules.delete(key);
    else this.rules.set(key, assertRule(rule));
    for (const counter of [...this.calls.keys()]) {
      if (counter.startsWith(`${key}\u0000`)) this.calls.delete(counter);
    }
  }

  reset(): void {
    this.rules.clear();
    this.calls.clear();
  }

  /** The plan for the next call for this token; consumes one step of its rule. */
  next(accessToken: string): CallPlan {
    const key = this.rules.has(accessToken) ? accessToken : WILDCARD;
    const rule = this.rules.get(key) ?? { kind: 'success' };
    const counter = `${key}\u0000${accessToken}`;
    const call = this.calls.get(counter) ?? 0;
    this.calls.set(counter, call + 1);
    if (isSequence(rule)) return planStep(rule[Math.min(call, rule.length - 1)] ?? { kind: 'success' });
    if (rule.kind !== 'failTimesThenSucceed') return planStep(rule);
    if (call >= rule.times) return planStep({ kind: 'success' });
    switch (rule.with) {
      case 'unknown':
        return planStep({ kind: 'unknown' });
      case 'http500':
        return { kind: 'http-error', status: 500 };
      case 'timeout':
        // Held past the client's timeout and then U: this failure must not cancel, or the retry would see S early.
        return { kind: 'result', resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION', holdMs: rule.holdMs ?? DEFAULT_FAILING_HOLD_MS };
    }
  }
}

function planStep(step: SimulatorStep): CallPlan {
  switch (step.kind) {
    case 'success':
      return { kind: 'cancel', signature: 'valid', holdMs: 0 };
    case 'fail':
      return { kind: 'result', resultStatus: 'F', resultCode: step.resultCode, resultMessage: step.resultMessage, holdMs: 0 };
    case 'unknown':
      return { kind: 'result', resultStatus: 'U', resultCode: step.resultCode ?? 'UNKNOWN_EXCEPTION', holdMs: 0 };
    case 'timeout':
      return { kind: 'cancel', signature: 'valid', holdMs: step.ms };
    case 'unsigned':
      return { kind: 'cancel', signature: 'none', holdMs: 0 };
    case 'badSignature':
      return { kind: 'cancel', signature: 'bad', holdMs: 0 };
    case 'http5xx':
      return { kind: 'http-error', status: step.status };
    case 'down':
      return { kind: 'drop' };
  }
}

function isSequence(rule: SimulatorRule): rule is readonly SimulatorStep[] {
  return Array.isArray(rule);
}

/** Rules also arrive as JSON on the control route: refuse shapes that would misbehave later. */
export function assertRule(rule: SimulatorRule): SimulatorRule {
  const steps: unknown[] = isSequence(rule) ? [...rule] : [rule];
  if (steps.length === 0) throw new RangeError('a rule sequence needs at least one step');
  for (const step of steps) {
    const s = step as Record<string, unknown> | null;
    if (typeof s !== 'object' || s === null) throw new RangeError('a rule step must be an object');
    if (s.kind === 'failTimesThenSucceed' && !isSequence(rule)) {
      if (!Number.isInteger(s.times) || (s.times as number) < 0) throw new RangeError('times must be an integer >= 0');
      if (s.with !== 'unknown' && s.with !== 'timeout' && s.with !== 'http500') throw new RangeError('with must be unknown, timeout or http500');
      continue;
    }
    if (!STEP_KINDS.has(String(s.kind))) throw new RangeError(`unknown rule kind: ${String(s.kind)}`);
    if (s.kind === 'fail' && (typeof s.resultCode !== 'string' || s.resultCode === '')) throw new RangeError('fail needs a resultCode');
    if (s.kind === 'timeout' && !(typeof s.ms === 'number' && s.ms >= 0)) throw new RangeError('timeout needs ms >= 0');
    if (s.kind === 'http5xx' && !(Number.isInteger(s.status) && (s.status as number) >= 500 && (s.status as number) <= 599)) {
      throw new RangeError('http5xx needs a status in 500-599');
    }
  }
  return rule;
}
