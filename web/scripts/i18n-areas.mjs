// Checks that every page declares the catalogue areas it shows (issue 9, catalogues per page):
// each `lazyPage(() => import('./pages/<page>')…, [areas])` in src/app.tsx must list every area
// (the `<area>.` of a message id) that the page's file uses in `t('…')`/`tMaybe('…')`, and that
// the local modules only pages import (not the shell: src/app.tsx's own imports) use, apart from
// the core areas (vite-catalogs.mjs CORE_AREAS). A missing one would show bare ids in the
// browser. Areas of shared modules the shell also imports (activities.ts) are declared by the
// pages that call them, by hand. Run by i18n-check.mjs; alone: node scripts/i18n-areas.mjs
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_AREAS } from '../vite-catalogs.mjs';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const read = (f) => readFileSync(f, 'utf8');

/** Local modules `file` imports (static or dynamic, not type-only), as absolute paths. */
function localImports(file) {
  const out = [];
  const text = read(file);
  for (const m of text.matchAll(/(?:^import\s+(?!type\b)[^;]*?from\s+|import\()\s*'(\.{1,2}\/[^']+)'/gm)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const found = ['.tsx', '.ts', ''].map((e) => base + e).find((f) => existsSync(f) && /\.tsx?$/.test(f));
    if (found) out.push(found);
  }
  return out;
}

/** The modules reachable from `file`, itself included, not entering `stop`. */
function reachable(file, stop = new Set()) {
  const seen = new Set();
  const todo = [file];
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f) || stop.has(f)) continue;
    seen.add(f);
    todo.push(...localImports(f));
  }
  return seen;
}

/** The areas of the message ids a file names in t()/tMaybe(), as literal or template prefixes. */
function areasUsed(file) {
  const areas = new Set();
  for (const m of read(file).matchAll(/\bt(?:Maybe)?\(\s*['"`]([a-zA-Z0-9]+)\./g)) areas.add(m[1]);
  return areas;
}

export function checkAreas() {
  const appFile = path.join(src, 'app.tsx');
  const app = read(appFile);
  const consts = new Map();
  for (const m of app.matchAll(/const\s+(\w+)\s*=\s*\[([^\]]*)\]\s*as const/g)) consts.set(m[1], [...m[2].matchAll(/'([^']+)'/g)].map((x) => x[1]));
  // The shell's own modules: what app.tsx imports statically (pages are dynamic imports).
  const shell = new Set();
  for (const f of localImports(appFile)) if (!f.includes(`${path.sep}pages${path.sep}`)) for (const g of reachable(f)) shell.add(g);
  shell.add(appFile);
  const problems = [];
  let pages = 0;
  for (const m of app.matchAll(/lazyPage(?:<[^>]*>)?\(\s*\(\)\s*=>\s*import\('(\.\/pages\/[^']+)'\)[^,]*,\s*(\[[^\]]*\]|\w+)\s*\)/g)) {
    pages++;
    const declared = new Set();
    for (const s of m[2].matchAll(/'([^']+)'/g)) declared.add(s[1]);
    for (const s of m[2].matchAll(/(?:\.\.\.)?\b([A-Z_]+)\b/g)) for (const a of consts.get(s[1]) ?? []) declared.add(a);
    const pageFile = ['.tsx', '.ts'].map((e) => path.resolve(src, m[1] + e)).find(existsSync);
    if (!pageFile) {
      problems.push(`${m[1]}: no such page file`);
      continue;
    }
    for (const f of reachable(pageFile, shell)) {
      for (const area of areasUsed(f)) {
        if (!CORE_AREAS.includes(area) && !declared.has(area)) {
          problems.push(`${path.relative(src, pageFile)} shows "${area}." messages (in ${path.relative(src, f)}) but app.tsx does not list "${area}" among its areas`);
        }
      }
    }
  }
  if (pages === 0) problems.push('found no lazyPage(…) declarations in src/app.tsx');
  return { pages, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { pages, problems } = checkAreas();
  for (const p of problems) console.log(`  FAIL ${p}`);
  if (problems.length) process.exit(1);
  console.log(`i18n: the ${pages} pages declare the catalogue areas they show`);
}
