// Jest on Node 20 cannot require() ES modules, and NestJS 12 (with a few of its
// dependencies) ships as ESM. This transformer compiles our TypeScript and any
// ESM file in node_modules to CommonJS with SWC, mapping `import.meta.url` to
// its CommonJS equivalent; CommonJS files pass through untouched. Node 22.12+
// runs the ESM directly; the compiled gateway itself never goes through this.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { createTransformer } = require('@swc/jest');

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs', ignoreDynamic: false },
};
const ts = createTransformer(swcOptions);
const js = createTransformer({ ...swcOptions, jsc: { ...swcOptions.jsc, parser: { syntax: 'ecmascript' } } });

const packageTypes = new Map();
function packageType(dir) {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  const file = join(dir, 'package.json');
  let type;
  if (existsSync(file)) type = JSON.parse(readFileSync(file, 'utf8')).type ?? 'commonjs';
  else type = dirname(dir) === dir ? 'commonjs' : packageType(dirname(dir));
  packageTypes.set(dir, type);
  return type;
}

function kind(filename) {
  if (filename.endsWith('.ts')) return 'ts';
  if (filename.endsWith('.mjs')) return 'esm';
  if (filename.endsWith('.cjs')) return 'cjs';
  return packageType(dirname(filename)) === 'module' ? 'esm' : 'cjs';
}

function rewrite(source) {
  return (
    source
      // CommonJS already has `require`; a module-level `const require = createRequire(...)` would clash.
      .replace(/(?:const|let|var)\s+require\s*=\s*createRequire\([^)]*\);?/g, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
  );
}

module.exports = {
  canInstrument: false,
  getCacheKey(source, filename, options) {
    const k = kind(filename);
    if (k === 'cjs') return `cjs-v3:${filename}:${source.length}:${require('node:crypto').createHash('sha1').update(source).digest('hex')}`;
    return `esm-v3:${k}:` + (k === 'ts' ? ts : js).getCacheKey(k === 'ts' ? source : rewrite(source), filename, options);
  },
  process(source, filename, options) {
    const k = kind(filename);
    if (k === 'cjs') return { code: source };
    return k === 'ts' ? ts.process(source, filename, options) : js.process(rewrite(source), filename, options);
  },
};
