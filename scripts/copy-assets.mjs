// Copies the files tsc does not emit (the console's .js and .css) into dist/, beside their compiled module.
// Run by `npm run build` (postbuild) and `npm test`: the gateway reads them at start-up from dist/.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET_DIRS = ['src/console/assets'];

for (const dir of ASSET_DIRS) {
  const target = join(root, 'dist', dir);
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(join(root, dir))) {
    if (/\.(js|css)$/.test(name)) copyFileSync(join(root, dir, name), join(target, name));
  }
}
