import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run demo` keeps working: the compiled script plays the whole story and
 * exits 0 only if every check passed; with ANTOM_SDK_PYTHON_DIR set (as
 * .ci/run sets it), the merchant's calls go through the official Python SDK.
 */
describe('npm run demo', () => {
  it('plays the whole story and reports every check passed', async () => {
    const script = join(__dirname, '..', '..', 'dist', 'scripts', 'demo.js');
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const sdk = process.env.ANTOM_SDK_PYTHON_DIR ? { ANTOM_SDK_PYTHON_DIR: process.env.ANTOM_SDK_PYTHON_DIR } : {};
      const child = execFile(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...sdk }, timeout: 110_000 }, (_err, out) =>
        resolve({ code: child.exitCode, stdout: out }),
      );
    });
    expect(stdout).toContain('demo passed');
    expect(stdout).toContain('user 1, from consult to cancel');
    if (process.env.ANTOM_SDK_PYTHON_DIR) expect(stdout).toContain('through the official Antom Python SDK');
    expect(stdout).not.toContain('check ✘');
    expect(code).toBe(0);
  }, 120_000);
});
