import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/bench-keys';

function runScript(args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(repoRoot(), 'scripts', 'redis.sh'), args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The private Redis of scripts/redis.sh (127.0.0.1:6390, no persistence):
 * its URL when it answers, after starting it when `start` is set.
 */
export async function redisServer(start: boolean): Promise<{ url: string } | { url: null; why: string }> {
  if (start) {
    const started = await runScript(['start'], 600_000);
    if (started.code !== 0) return { url: null, why: `scripts/redis.sh start failed (exit ${started.code}): ${started.stderr.trim().split('\n').pop()}` };
    return { url: started.stdout.trim().split('\n').pop()! };
  }
  const status = await runScript(['status'], 30_000);
  if (status.code !== 0) return { url: null, why: 'scripts/redis.sh status: not running' };
  return { url: (await runScript(['url'], 10_000)).stdout.trim() };
}

/** The pid of that Redis, for its CPU time. */
export function redisPid(): number | undefined {
  const file = join(process.env.REDIS_DIR ?? '/tmp/acqp-redis', 'redis.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : undefined;
}
