// Imports a module of src/ (TypeScript, JSX) into a Node test, no browser and no server: the
// file is compiled by Vite's own transform (Oxc, the JSX as Preact's automatic runtime) into
// node_modules/.cache/unit/, where bare imports (preact, diff) resolve as in the app. Only for
// modules whose imports are packages (no relative imports, no catalogues): markdown.tsx,
// diff-plan.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformWithOxc } from 'vite';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function importSource(relative) {
  const file = path.join(webDir, 'src', relative);
  const { code } = await transformWithOxc(readFileSync(file, 'utf8'), file, {
    lang: file.endsWith('.tsx') ? 'tsx' : 'ts',
    jsx: { runtime: 'automatic', importSource: 'preact' },
  });
  const dir = path.join(webDir, 'node_modules/.cache/unit');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${path.basename(relative).replace(/\.tsx?$/, '')}.mjs`);
  writeFileSync(out, code);
  return import(pathToFileURL(out).href);
}
