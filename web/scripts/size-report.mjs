// The web app's size, gzip -9 (docs/performance.md, "Web app size"): the JavaScript that
// dist/index.html loads or modulepreloads (the initial JS), each language's core catalogue, and
// each page's chunks with their catalogue areas. Run after `npm run build`:
//   node scripts/size-report.mjs            a table
//   node scripts/size-report.mjs --json     the same as JSON
//   node scripts/size-report.mjs --max-initial 36000   also fail when the initial JS is larger
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { CORE_AREAS, areaOf, compileCatalog } from '../vite-catalogs.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const gz = (file) => gzipSync(readFileSync(`${dist}${file}`), { level: 9 }).length;
const html = readFileSync(`${dist}index.html`, 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
const assets = readdirSync(`${dist}assets`).filter((f) => f.endsWith('.js'));
const report = {
  initial: Object.fromEntries(initial.map((f) => [f, gz(f)])),
  initialTotal: initial.reduce((n, f) => n + gz(f), 0),
  catalogues: {},
  chunks: {},
};
// English's core is bundled in the initial JS; its size alone, as the build writes it:
const enSource = JSON.parse(readFileSync(new URL('../src/locales/en.json', import.meta.url), 'utf8'));
const enCore = Object.fromEntries(Object.entries(enSource).filter(([id]) => CORE_AREAS.includes(areaOf(id))));
report.catalogues.en = { core: gzipSync(`export default ${JSON.stringify(compileCatalog('en', enCore))};`, { level: 9 }).length };
for (const f of assets) {
  const m = /^i18n-([a-z]{2})-([a-zA-Z0-9]+)-[\w-]{8}\.js$/.exec(f);
  if (m) (report.catalogues[m[1]] ??= {})[m[2]] = gz(`assets/${f}`);
  else if (!initial.includes(`assets/${f}`)) report.chunks[f] = gz(`assets/${f}`);
}
const args = process.argv.slice(2);
if (args.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log('initial JS (index.html loads or modulepreloads), gzip -9 bytes:');
  for (const [f, n] of Object.entries(report.initial)) console.log(`  ${f.padEnd(40)} ${n}`);
  console.log(`  ${'total'.padEnd(40)} ${report.initialTotal}`);
  console.log('catalogues (gzip -9 bytes), per language and area (en core: inside the initial JS):');
  const areas = [...new Set(Object.values(report.catalogues).flatMap((c) => Object.keys(c)))].sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)));
  const langs = Object.keys(report.catalogues).sort();
  console.log(`  ${'area'.padEnd(12)} ${langs.map((l) => l.padStart(6)).join(' ')}`);
  for (const a of areas) console.log(`  ${a.padEnd(12)} ${langs.map((l) => String(report.catalogues[l][a] ?? '-').padStart(6)).join(' ')}`);
  console.log('other chunks (pages, fetched on use), gzip -9 bytes:');
  for (const [f, n] of Object.entries(report.chunks).sort((a, b) => b[1] - a[1])) console.log(`  ${f.padEnd(40)} ${n}`);
}
const i = args.indexOf('--max-initial');
if (i >= 0 && report.initialTotal > Number(args[i + 1])) {
  console.error(`initial JS ${report.initialTotal} B > ${args[i + 1]} B`);
  process.exit(1);
}
