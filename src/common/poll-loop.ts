import { RequestContext } from './request-context';

/**
 * The polling loop both background workers run (the cancelToken worker and
 * the callback dispatcher): one cycle at a time, the next after `pollMs`, or
 * at once when kicked (a commit wrote work) or when a cycle asks for another
 * (it left work behind). Timers are unref'd and detached from whichever
 * request kicked them, so their log lines do not carry that request's id.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private looping = false;
  private again = false;
  private stopped = false;
  private cycles: Promise<void> = Promise.resolve();

  constructor(
    private readonly cycle: () => Promise<void>,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** A cycle now, instead of at the next poll; during a cycle, another right after it. */
  kick(): void {
    if (this.stopped) return;
    if (this.looping) this.again = true;
    else this.schedule(0);
  }

  /** Called by a cycle that left work behind: the next one starts at once. */
  runAgain(): void {
    this.again = true;
  }

  /** One cycle now, after any running one: lets tests and tools step a clock without sleeping. */
  runOnce(): Promise<void> {
    return this.runCycle();
  }

  /** No new cycle starts; resolves once the running one ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.cycles;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = RequestContext.detached(() =>
      setTimeout(() => {
        this.looping = true;
        void this.runCycle().finally(() => {
          this.looping = false;
          const now = this.again;
          this.again = false;
          if (!this.stopped) this.schedule(now ? 0 : this.pollMs);
        });
      }, ms),
    );
    this.timer.unref();
  }

  /** Cycles run one at a time, so a worker's caps are counted against one consistent in-flight set. */
  private runCycle(): Promise<void> {
    const next = this.cycles.then(() => (this.stopped ? undefined : this.cycle()));
    this.cycles = next.catch(() => undefined);
    return next;
  }
}
