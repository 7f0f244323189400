// Compiles every app, lib and test support file to dist/ with SWC, keeping the source tree's shape
// so that the rewritten @aisbf/* imports resolve. Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile, cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { swcOptions } = require('./swc-options.cjs');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;
const sourceRoots = only ? [only] : ['apps', 'libs', 'test/support', 'bench'];
const outDir = path.join(root, 'dist');

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(full);
    } else yield full;
  }
}

const options = swcOptions({ rewritePaths: true });
// Browser code under assets/ (the dashboard) stays ES modules, loaded by <script type="module">.
const browserOptions = { ...swcOptions({ rewritePaths: false }), module: { type: 'es6' } };
const isAsset = (rel) => /[/\\]assets[/\\]/.test(rel);
const started = Date.now();
await rm(only ? path.join(outDir, only) : outDir, { recursive: true, force: true });
const jobs = [];
for (const sourceRoot of sourceRoots) {
  for await (const file of walk(path.join(root, sourceRoot))) {
    const rel = path.relative(root, file);
    const target = path.join(outDir, rel);
    if (file.endsWith('.spec.ts') || file.endsWith('.d.ts') || (isAsset(rel) && file.endsWith('tsconfig.json'))) continue;
    if (file.endsWith('.ts')) {
      jobs.push(
        (async () => {
          const out = await transformFile(file, { ...(isAsset(rel) ? browserOptions : options), filename: file, sourceFileName: file });
          const js = target.replace(/\.ts$/, '.js');
          await mkdir(path.dirname(js), { recursive: true });
          await writeFile(js, out.code + `\n//# sourceMappingURL=${path.basename(js)}.map\n`);
          if (out.map) await writeFile(js + '.map', out.map);
        })(),
      );
    } else if (isAsset(rel)) {
      jobs.push(mkdir(path.dirname(target), { recursive: true }).then(() => cp(file, target)));
    }
  }
}
await Promise.all(jobs);
console.log(`built ${jobs.length} files into dist/ in ${Date.now() - started} ms`);
