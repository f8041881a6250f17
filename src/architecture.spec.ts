import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * Where things live, checked on every run (README "Layout"): a query is in a
 * repository, an engine difference in src/database, an admin route under
 * src/admin, and imports run one way only.
 */

const SRC = __dirname;

/**
 * Each folder's height: a module imports only from folders below it. Entities
 * (`*.entity.ts`) are the schema, listed whole in src/database/entities.ts:
 * any module may read any table's shape.
 */
const LAYERS: Record<string, number> = {
  signing: 0,
  config: 1,
  common: 2,
  protocol: 2,
  http: 3,
  outbound: 3,
  database: 3,
  ops: 4,
  alipayplus: 5,
  merchants: 5,
  operators: 5,
  callbacks: 6,
  authorizations: 7,
  bindings: 7.5,
  notifications: 8,
  'merchant-api': 8,
  admin: 9,
  console: 9,
  cli: 10,
  '.': 11, // app.module.ts, create-app.ts, main.ts, the CLIs' entry points
};

/** Modules that hold the gateway's rules; the operator API (src/admin) sits above them all. */
const DOMAIN = Object.keys(LAYERS).filter((folder) => LAYERS[folder] < LAYERS.admin);

interface SourceFile {
  readonly path: string; // relative to src/, with forward slashes
  readonly text: string;
  readonly imports: string[]; // resolved, relative to src/
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const FILES: SourceFile[] = walk(SRC)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((full) => {
    const text = readFileSync(full, 'utf8');
    const imports: string[] = [];
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = normalize(join(dirname(full), m[1]));
      const file = [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate));
      if (file && file.startsWith(SRC)) imports.push(relative(SRC, file).split('\\').join('/'));
    }
    return { path: relative(SRC, full).split('\\').join('/'), text, imports };
  });

// The patterns are assembled so that this file does not match itself (nor a plain grep of src/).
const ENGINE_QUESTION = ['options', 'type'].join('.');
const QUERY = new RegExp(['create' + 'QueryBuilder', '\\.' + 'query\\(', 'manager' + '\\.'].join('|'));

const PRODUCTION = FILES.filter((f) => !f.path.endsWith('.spec.ts'));
const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '.');
const isRepository = (path: string) => path.endsWith('.repository.ts');
const inDatabase = (path: string) => path.startsWith('database/');

describe('layout', () => {
  it('knows every folder of src/', () => {
    expect([...new Set(FILES.map((f) => folderOf(f.path)))].filter((folder) => !(folder in LAYERS))).toEqual([]);
  });

  it('asks which engine it runs on only in src/database (SqlDialect)', () => {
    expect(FILES.filter((f) => !inDatabase(f.path) && f.text.includes(ENGINE_QUESTION)).map((f) => f.path)).toEqual([]);
  });

  it('queries only in repositories and src/database', () => {
    const offenders = FILES.filter((f) => !inDatabase(f.path) && !isRepository(f.path) && QUERY.test(f.text));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('never imports src/admin from a domain module', () => {
    const offenders = PRODUCTION.filter((f) => DOMAIN.includes(folderOf(f.path)) && f.imports.some((i) => folderOf(i) === 'admin'));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('serves every /admin/v1 controller from src/admin/<resource>/', () => {
    const offenders = PRODUCTION.filter((f) => /@AdminController\(/.test(f.text) && !/^admin\/[a-z-]+\//.test(f.path));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('imports downward only (entities excepted: they are the schema)', () => {
    const upward = PRODUCTION.flatMap((f) =>
      f.imports
        .filter((i) => folderOf(i) !== folderOf(f.path) && !i.endsWith('.entity.ts') && LAYERS[folderOf(i)] >= LAYERS[folderOf(f.path)])
        .map((i) => `${f.path} -> ${i}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map(PRODUCTION.map((f) => [f.path, f.imports]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (path: string, trail: string[]) => {
      if (state.get(path) === 'done') return;
      if (state.get(path) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(path)), path].join(' -> '));
        return;
      }
      state.set(path, 'open');
      for (const next of graph.get(path) ?? []) visit(next, [...trail, path]);
      state.set(path, 'done');
    };
    for (const path of graph.keys()) visit(path, []);
    expect(cycles).toEqual([]);
  });
});
