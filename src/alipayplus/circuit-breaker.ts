export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive upstream failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before letting one probe through, in ms. Default 30000. */
  coolDownMs?: number;
  /** Clock, epoch milliseconds. Default Date.now. */
  now?: () => number;
  /** Called on every change of state, e.g. to log it; the metric can poll state() instead. */
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

/**
 * Closed → open after N consecutive failures; open refuses calls for a
 * cool-down, then half-open lets a single probe through; the probe's success
 * closes the circuit and its failure opens it again. Pure: no timers, the
 * clock is injected, and "half-open" is simply an open circuit whose
 * cool-down has passed.
 */
export class CircuitBreaker {
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly onStateChange?: (to: CircuitState, from: CircuitState) => void;
  private open = false;
  private openedAt = 0;
  private consecutiveFailures = 0;
  /** When the half-open probe was let through; null when none is in flight. */
  private probeStartedAt: number | null = null;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
    if (!Number.isInteger(this.threshold) || this.threshold < 1) throw new RangeError('failureThreshold must be an integer >= 1');
    if (!(this.coolDownMs >= 0)) throw new RangeError('coolDownMs must be >= 0');
  }

  state(): CircuitState {
    if (!this.open) return 'closed';
    return this.now() - this.openedAt < this.coolDownMs ? 'open' : 'half-open';
  }

  /**
   * Whether a call may go out now. In half-open it answers true once, for the
   * probe; a probe that never reports back is given up on after another
   * cool-down, so a lost result cannot keep the circuit shut forever.
   */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open') return false;
    const now = this.now();
    if (this.probeStartedAt !== null && now - this.probeStartedAt < this.coolDownMs) return false;
    this.probeStartedAt = now;
    this.onStateChange?.('half-open', 'open');
    return true;
  }

  /** Alipay+ answered (whatever it said): the upstream is there. */
  recordSuccess(): void {
    this.consecutiveFailures = 0;
    if (!this.open) return;
    const from = this.state();
    this.open = false;
    this.probeStartedAt = null;
    this.onStateChange?.('closed', from);
  }

  /** Timeout, 5xx or no connection. */
  recordFailure(): void {
    if (this.open) {
      // The probe failed (or a call begun before the circuit opened did): wait a full cool-down again.
      const from = this.state();
      this.openedAt = this.now();
      this.probeStartedAt = null;
      if (from !== 'open') this.onStateChange?.('open', from);
      return;
    }
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures < this.threshold) return;
    this.open = true;
    this.openedAt = this.now();
    this.probeStartedAt = null;
    this.consecutiveFailures = 0;
    this.onStateChange?.('open', 'closed');
  }
}
