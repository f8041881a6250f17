import { readFileSync } from 'node:fs';

/** VmRSS and VmHWM (the kernel's peak RSS over the process's life) of a process, in MB (10^6 bytes); null where /proc cannot tell. */
export function memoryMB(pid: number | undefined): { rss: number; hwm: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: (kb('VmRSS') * 1024) / 1e6, hwm: (kb('VmHWM') * 1024) / 1e6 };
  } catch {
    return null;
  }
}

/**
 * Samples a process's RSS every `intervalMs` while a phase runs: the highest
 * sample is the phase's peak; VmHWM at the end is the peak since the process
 * started (set-up included), which no sampling can miss.
 */
export class RssSampler {
  private timer: NodeJS.Timeout;
  private peak = NaN;

  constructor(
    private readonly pid: number | undefined,
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const m = memoryMB(this.pid);
    if (m && !(m.rss <= this.peak)) this.peak = m.rss;
  }

  /** The phase's peak sampled RSS and the lifetime VmHWM, MB. */
  stop(): { peakRssMB: number; hwmMB: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMB: this.peak, hwmMB: memoryMB(this.pid)?.hwm ?? NaN };
  }
}
