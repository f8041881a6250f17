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

/** The pid of the private MariaDB server of scripts/mariadb.sh, if it runs here. */
export function mariadbPid(): number | undefined {
  const file = join(process.env.MARIADB_DIR ?? '/tmp/acqp-mariadb', 'mysqld.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && processCpuMs(pid) !== null ? pid : undefined;
}

export interface CpuUse {
  /** ms of CPU the target process used during the phase. */
  targetMs: number | null;
  /** ms of CPU this (client) process used. */
  clientMs: number;
  /** ms of CPU the MariaDB server used (shared: anything else using it counts too). */
  databaseMs: number | null;
  /** Wall time of the phase, ms. */
  wallMs: number;
}

/**
 * CPU used by the target, the client and the database during one phase: on a
 * shared machine the CPU cost per notification is steadier than the rate.
 */
export class CpuMeter {
  private readonly t0: number | null;
  private readonly d0: number | null;
  private readonly c0: NodeJS.CpuUsage;
  private readonly w0: number;

  constructor(
    private readonly targetPid: number | undefined,
    private readonly databasePid: number | undefined,
  ) {
    this.t0 = processCpuMs(targetPid);
    this.d0 = processCpuMs(databasePid);
    this.c0 = process.cpuUsage();
    this.w0 = performance.now();
  }

  stop(): CpuUse {
    const t1 = processCpuMs(this.targetPid);
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
