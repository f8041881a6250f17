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

/** The 1/5/15-minute load averages, e.g. `2.41 2.72 2.11`. */
export function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}, OpenSSL ${m.openssl}, ${m.platform}`;
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

export const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : '-');
export const rate = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
export const passMiss = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'PASS' : 'MISS');

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
  writeFileSync(files[0], `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(files[1], markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return files;
}
