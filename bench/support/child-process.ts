import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** Lines of a child's output kept for error reports; older ones are dropped. */
const TAIL_LINES = 200;

const started = new Set<ChildProcess>();

/** Children still alive when the bench exits (crash, ^C) are killed, by their own pid only. */
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export interface BenchChild {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | string>;
  /** The last lines of stdout and stderr, interleaved. */
  tail(): string;
  /** Stdout lines (the first 100,000) matching predicate: counts warn/error log lines. */
  lineCount(predicate: (line: string) => boolean): number;
  /** The first `limit` stdout lines matching predicate. */
  lines(predicate: (line: string) => boolean, limit: number): string[];
  /** Resolves when a stdout line matches, rejects on exit or after timeoutMs. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL after graceMs. Resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | string>;
}

/** Starts `node [nodeArgs] script [args]` with exactly `env` (plus PATH), output captured. */
export function startNodeChild(
  name: string,
  script: string,
  options: { env: Record<string, string>; cwd: string; nodeArgs?: string[]; args?: string[]; logFile?: string },
): BenchChild {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  if (options.logFile) {
    const file = createWriteStream(options.logFile);
    child.stdout.pipe(file);
    child.stderr.pipe(file);
  }
  const lines: string[] = [];
  const allLines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const collect = (stream: NodeJS.ReadableStream, prefix: string) => {
    let partial = '';
    stream.on('data', (d: Buffer) => {
      const parts = (partial + d.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(prefix + line);
        if (lines.length > TAIL_LINES) lines.shift();
        if (prefix === '') {
          if (allLines.length < 100_000) allLines.push(line);
          for (const w of waiters) w(line);
        }
      }
    });
  };
  collect(child.stdout, '');
  collect(child.stderr, '[stderr] ');
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      started.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  return {
    name,
    child,
    exited,
    tail: () => lines.join('\n'),
    lineCount: (predicate) => allLines.filter(predicate).length,
    lines: (predicate, limit) => allLines.filter(predicate).slice(0, limit),
    waitForLine: (pattern, timeoutMs) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`));
        }, timeoutMs);
        const check = (line: string) => {
          const m = pattern.exec(line);
          if (!m) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m);
        };
        waiters.add(check);
        void exited.then((code) => {
          if (!waiters.has(check)) return;
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`${name} exited (${code}) before printing ${pattern}:\n${lines.join('\n')}`));
        });
      }),
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A port free on 127.0.0.1 right now (the OS picks it; a tiny race with other processes remains). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** An empty-bodied request on 127.0.0.1; resolves with status and body, never rejects (status 0 on a network error). */
function httpCall(
  method: 'GET' | 'POST',
  port: number,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

export const httpGet = (port: number, path: string, headers: Record<string, string> = {}, timeoutMs = 5_000) => httpCall('GET', port, path, headers, timeoutMs);
export const httpPost = (port: number, path: string, headers: Record<string, string> = {}, timeoutMs = 5_000) =>
  httpCall('POST', port, path, headers, timeoutMs);

/** Polls GET `path` until it answers 200, at most timeoutMs. */
export async function waitForHttp200(child: BenchChild, port: number, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | string | undefined;
  void child.exited.then((code) => (exited = code));
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt++) {
    if (exited !== undefined) throw new Error(`${child.name} exited (${exited}) before it was ready:\n${child.tail()}`);
    const res = await httpGet(port, path, {}, 2_000);
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} did not answer 200 on ${path} within ${timeoutMs} ms:\n${child.tail()}`);
}
