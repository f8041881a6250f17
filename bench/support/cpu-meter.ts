import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) a process has used, in ms; null where /proc cannot tell. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime 11, stime 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU time of several processes together (a gateway's instances), in ms; null where /proc cannot tell for any. */
export function processesCpuMs(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return pids.length > 0 ? total : null;
}

/** The pid in a running server's pid file, if that process is alive. */
function pidFrom(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && processCpuMs(pid) !== null ? pid : undefined;
}

/** The private MariaDB server of scripts/mariadb.sh, and the Redis of scripts/redis.sh, if they run here. */
export const mariadbPid = () => pidFrom(join(process.env.MARIADB_DIR ?? '/tmp/acqp-mariadb', 'mysqld.pid'));
export const redisPid = () => pidFrom(join(process.env.REDIS_DIR ?? '/tmp/acqp-redis', 'redis.pid'));

export interface CpuUse {
  /** ms of CPU the target process used during the phase. */
  targetMs: number | null;
  /** ms of CPU this (client) process used. */
  clientMs: number;
  /** ms of CPU the database server used (shared: anything else using it counts too). */
  databaseMs: number | null;
  /** Wall time of the phase, ms. */
  wallMs: number;
}

/**
 * CPU used by the target, the client and the database during one phase: on a
 * shared machine the CPU cost per request is steadier than the rate.
 */
export class CpuMeter {
  private readonly t0: number | null;
  private readonly d0: number | null;
  private readonly c0 = process.cpuUsage();
  private readonly w0 = performance.now();

  /** `target`: one process, or the instances of one target whose CPU counts together. */
  constructor(
    private readonly target: number | readonly number[] | undefined,
    private readonly databasePid: number | undefined,
  ) {
    this.t0 = this.targetMs();
    this.d0 = processCpuMs(databasePid);
  }

  private targetMs(): number | null {
    return typeof this.target === 'object' ? processesCpuMs(this.target) : processCpuMs(this.target);
  }

  stop(): CpuUse {
    const t1 = this.targetMs();
    const d1 = processCpuMs(this.databasePid);
    const c = process.cpuUsage(this.c0);
    return {
      targetMs: t1 !== null && this.t0 !== null ? t1 - this.t0 : null,
      clientMs: (c.user + c.system) / 1000,
      databaseMs: d1 !== null && this.d0 !== null ? d1 - this.d0 : null,
      wallMs: performance.now() - this.w0,
    };
  }
}

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
 * Samples a process's RSS every 200 ms while a phase runs: the highest sample
 * is the phase's peak; VmHWM at the end is the peak since the process started
 * (set-up included), which no sampling can miss.
 */
export class RssSampler {
  private readonly timer = setInterval(() => this.sample(), 200).unref();
  private peak = NaN;

  /** Several pids: the instances of one target; each figure is the largest of any one of them. */
  constructor(private readonly pids: readonly number[]) {
    this.sample();
  }

  private sample(): void {
    for (const pid of this.pids) {
      const m = memoryMB(pid);
      if (m && !(m.rss <= this.peak)) this.peak = m.rss;
    }
  }

  stop(): { peakRssMB: number; hwmMB: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMB: this.peak, hwmMB: Math.max(...this.pids.map((pid) => memoryMB(pid)?.hwm ?? NaN)) };
  }
}
