import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The compiled gateway, as `npm start` runs it (built by `npm test` before Jest starts). */
export const MAIN_JS = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves with the port once the gateway logs that it listens. */
  listening(timeoutMs?: number): Promise<number>;
}

/** Runs the real gateway binary with exactly the given environment (plus PATH). */
export function startGatewayProcess(env: Record<string, string>, cwd: string): GatewayProcess {
  const child = spawn(process.execPath, [MAIN_JS], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    listening: (timeoutMs = 20_000) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`gateway did not listen in time:\n${out}\n${err}`)), timeoutMs);
        const check = () => {
          const m = /"port":(\d+)[^\n]*"msg":"gateway listening"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        };
        child.stdout.on('data', check);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`gateway exited (${code}) before listening:\n${out}\n${err}`));
        });
        check();
      }),
  };
}
