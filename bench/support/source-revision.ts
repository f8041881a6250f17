import { execFileSync } from 'node:child_process';
import { repoRoot } from './bench-keys';

/** `<commit> (+ N changed files)` of this checkout, so a result says what code it measured. */
export function sourceRevision(): string {
  try {
    const opts = { cwd: repoRoot(), encoding: 'utf8' as const, timeout: 10_000 };
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], opts).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], opts)
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    return changed === 0 ? commit : `${commit} + ${changed} changed/new files under src/ and migrations/`;
  } catch {
    return 'unknown (no git)';
  }
}
