/**
 * Where a V8 CPU profile (`node --cpu-prof`) spends its time: the top frames
 * by self time, and the share of samples each package or gateway folder is
 * on the stack for (inclusive). Gateway frames are mapped back to their .ts
 * line through the compiled files' source maps.
 *
 *   node dist/bench/cpuprofile-top.js <file.cpuprofile> [top=25]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './support/bench-keys';
import { textTable } from './support/report';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Sampled wall time, ms, and the part of it not idle. */
  totalMs: number;
  busyMs: number;
  /** The windows (monotonic µs, as process.hrtime) the samples were taken from; empty: the whole profile. */
  windows: Array<[number, number]>;
  /** Frames by self time; `via` is the nearest caller in application or package code. */
  topSelf: Array<{ frame: string; area: string; via: string; selfMs: number; pctOfBusy: number }>;
  /** Packages and gateway folders: self time, and the share of busy samples they are on the stack for. */
  areas: Array<{ area: string; selfMs: number; selfPct: number; onStackPct: number }>;
  /** Gateway functions (src/) by inclusive time: the share of busy samples they are on the stack for. */
  gateway: Array<{ frame: string; onStackMs: number; onStackPct: number }>;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Which package, gateway folder or runtime part a frame belongs to. */
function areaOf(f: CallFrame): string {
  if (SPECIAL.has(f.functionName) && f.url === '') return f.functionName;
  const url = f.url;
  if (url === '') return `native`;
  if (url.startsWith('node:')) {
    const m = /^node:(?:internal\/)?([a-z_]+)/.exec(url);
    return `node:${m?.[1] ?? 'internal'}`;
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist !== -1) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return parts[0] === 'src' ? `gateway src/${parts[1]?.endsWith('.js') ? parts[1] : `${parts[1]}/`}` : `dist ${parts[0]}/`;
  }
  return url;
}

/** Parsed source maps of the compiled files (node:module's SourceMap), null where a file has none. */
const mapCache = new Map<string, SourceMap | null>();

/** `<src file>:<line>` a compiled frame came from, through its .js.map. */
function originalPosition(url: string, line: number, column: number): string | null {
  if (!url.startsWith('file://')) return null;
  const file = fileURLToPath(url);
  if (!mapCache.has(file)) {
    const mapFile = `${file}.map`;
    mapCache.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload) : null);
  }
  const entry = mapCache.get(file)?.findEntry(line, column);
  if (!entry || !('originalSource' in entry)) return null;
  return `${relative(repoRoot(), resolve(dirname(file), entry.originalSource))}:${entry.originalLine + 1}`;
}

function describeFrame(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  if (f.url === '') return name;
  const mapped = originalPosition(f.url, f.lineNumber, f.columnNumber);
  if (mapped) return `${name} ${mapped}`;
  const short = f.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '');
  return `${name} ${short}:${f.lineNumber + 1}`;
}

/** Frames that say where work comes from: application and package code, not the runtime. */
function isCaller(f: CallFrame): boolean {
  return f.url !== '' && !f.url.startsWith('node:');
}

/**
 * Self time per frame (from the samples and their time deltas), optionally
 * only from samples inside `windows` (monotonic µs, the clock of
 * process.hrtime in any process: V8 stamps profiles with it).
 */
export function summarizeProfile(path: string, top = 25, windows: Array<[number, number]> = []): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  const n = profile.samples.length;
  let t = profile.startTime;
  for (let i = 0; i < n; i++) {
    t += profile.timeDeltas[i];
    if (windows.length > 0 && !windows.some(([from, to]) => t >= from && t <= to)) continue;
    // timeDeltas[i] is the gap before sample i: the time up to the next sample belongs to this one.
    const dt = i + 1 < n ? profile.timeDeltas[i + 1] : 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, dt));
  }

  const stackOf = (id: number): ProfileNode[] => {
    const chain: ProfileNode[] = [];
    for (let cur: number | undefined = id, guard = 0; cur !== undefined && guard < 10_000; cur = parent.get(cur), guard++) chain.push(byId.get(cur)!);
    return chain;
  };

  let totalUs = 0;
  let idleUs = 0;
  const frames = new Map<string, { area: string; us: number; via: Map<string, number> }>();
  const areaSelf = new Map<string, number>();
  const areaStack = new Map<string, number>();
  const gatewayStack = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    totalUs += us;
    if (f.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const stack = stackOf(id);
    const key = describeFrame(f);
    const area = areaOf(f);
    const entry = frames.get(key) ?? { area, us: 0, via: new Map<string, number>() };
    entry.us += us;
    const caller =
      stack.slice(1).find((node) => isCaller(node.callFrame) && areaOf(node.callFrame) !== area) ?? stack.slice(1).find((node) => isCaller(node.callFrame));
    const via = caller ? describeFrame(caller.callFrame) : '-';
    entry.via.set(via, (entry.via.get(via) ?? 0) + us);
    frames.set(key, entry);
    areaSelf.set(area, (areaSelf.get(area) ?? 0) + us);
    for (const a of new Set(stack.map((node) => areaOf(node.callFrame)))) areaStack.set(a, (areaStack.get(a) ?? 0) + us);
    for (const g of new Set(stack.filter((node) => areaOf(node.callFrame).startsWith('gateway ')).map((node) => describeFrame(node.callFrame)))) {
      gatewayStack.set(g, (gatewayStack.get(g) ?? 0) + us);
    }
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const pct = (us: number) => (100 * us) / busyUs;
  const topOf = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '-';
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    windows,
    topSelf: [...frames.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([frame, v]) => ({ frame, area: v.area, via: topOf(v.via), selfMs: v.us / 1000, pctOfBusy: pct(v.us) })),
    areas: [...areaStack.keys()]
      .filter((a) => a !== '(root)')
      .map((area) => ({ area, selfMs: (areaSelf.get(area) ?? 0) / 1000, selfPct: pct(areaSelf.get(area) ?? 0), onStackPct: pct(areaStack.get(area) ?? 0) }))
      .sort((a, b) => b.selfPct - a.selfPct)
      .slice(0, top),
    gateway: [...gatewayStack.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, us]) => ({ frame, onStackMs: us / 1000, onStackPct: pct(us) })),
  };
}

export function formatProfileSummary(s: ProfileSummary): string {
  const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 3)}...` : text);
  return [
    `sampled ${(s.totalMs / 1000).toFixed(1)} s${s.windows.length ? ' (the timed phases only)' : ''}, busy (not idle) ${(s.busyMs / 1000).toFixed(1)} s; percentages are of busy time`,
    '',
    textTable(
      ['top frames by self time', 'area', 'self ms', '% busy', 'called from (nearest app/package frame)'],
      s.topSelf.map((r) => [cut(r.frame, 80), r.area, r.selfMs.toFixed(0), r.pctOfBusy.toFixed(1), cut(r.via, 80)]),
    ),
    '',
    textTable(
      ['area', 'self ms', 'self %', 'on stack %'],
      s.areas.map((r) => [r.area, r.selfMs.toFixed(0), r.selfPct.toFixed(1), r.onStackPct.toFixed(1)]),
    ),
    '',
    textTable(
      ['gateway functions by inclusive time', 'on stack ms', 'on stack %'],
      s.gateway.map((r) => [cut(r.frame, 90), r.onStackMs.toFixed(0), r.onStackPct.toFixed(1)]),
    ),
  ].join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/cpuprofile-top.js <file.cpuprofile> [top=25]');
    process.exitCode = 2;
  } else {
    console.log(formatProfileSummary(summarizeProfile(file, Number(process.argv[3] ?? 25))));
  }
}
