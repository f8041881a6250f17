import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './bench-keys';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  openssl: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    openssl: process.versions.openssl,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}, OpenSSL ${m.openssl}, ${m.platform}`;
}

/** The 1/5/15-minute load averages, e.g. `2.41 2.72 2.11`. */
export function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

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

/** A plain text table: first column left-aligned, the others right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** Milliseconds: two decimals under 10, one above; `-` for no value. */
export const ms = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? (Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1)) : '-');
export const rate = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(0) : '-');
export const passMiss = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'PASS' : 'MISS');
export const median = (xs: readonly number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
};

/**
 * Writes `bench/results/<name>-<YYYY-MM-DD>.{json,md}` (with the time added
 * when that day's file exists already), returning the paths.
 */
export function writeResults(name: string, json: unknown, markdown: string): string[] {
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const now = new Date();
  let base = `${name}-${now.toISOString().slice(0, 10)}`;
  if (existsSync(join(dir, `${base}.json`))) base += `-${now.toISOString().slice(11, 16).replace(':', '')}`;
  const files = [join(dir, `${base}.json`), join(dir, `${base}.md`)];
  // Typed arrays (per-request outcomes and times) stay out of the file.
  writeFileSync(files[0], `${JSON.stringify(json, (_k, v: unknown) => (ArrayBuffer.isView(v) ? undefined : v), 2)}\n`);
  writeFileSync(files[1], markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return files;
}
