import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** `npm run demo` keeps working: the compiled script plays the whole story and exits 0 only if every check passed. */
describe('npm run demo', () => {
  it('plays the whole story and reports every check passed', async () => {
    const script = join(__dirname, '..', '..', 'dist', 'scripts', 'demo.js');
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [script], { env: { PATH: process.env.PATH ?? '' }, timeout: 110_000 }, (_err, out) =>
        resolve({ code: child.exitCode, stdout: out }),
      );
    });
    expect(stdout).toContain('demo passed');
    expect(stdout).not.toContain('check ✘');
    expect(code).toBe(0);
  }, 120_000);
});
