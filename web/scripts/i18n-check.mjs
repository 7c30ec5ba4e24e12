#!/usr/bin/env node
// The catalogues' report (`npm run i18n:check`, part of `make test`): for each language, the
// keys it lacks against English (shown in English meanwhile), keys English does not have (dead
// or misspelt), messages that are not valid ICU MessageFormat, and messages whose {variables}
// differ from English's; then the people's guide (scripts/guide-check.mjs). Fails on any gap
// in the complete languages (COMPLETE below: English, French, Spanish and Arabic), on any invalid
// or extra message anywhere, and on a guide page missing in French or Spanish or a broken guide
// link; a language added later (Chinese, Russian) may start partial: it only reports its gaps
// until it joins COMPLETE.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileCatalog } from '../vite-catalogs.mjs';
import { checkAreas } from './i18n-areas.mjs';
import { checkGuide } from './guide-check.mjs';

const COMPLETE = new Set(['en', 'fr', 'es', 'ar']);
const dir = fileURLToPath(new URL('../src/locales/', import.meta.url));
const langs = readdirSync(dir).filter((f) => /^[a-z]{2}\.json$/.test(f)).map((f) => f.slice(0, 2)).sort();
const read = (lang) => JSON.parse(readFileSync(`${dir}${lang}.json`, 'utf8'));

// The names of the {variables} of an ICU message (plural/select arguments included). A compiled
// message is a list of parts: text, or [name, type?, branches?] whose branches are part lists.
function variables(message) {
  const names = new Set();
  const parts = (list) => {
    for (const part of list) {
      if (!Array.isArray(part)) continue;
      names.add(part[0]);
      if (part[2] && typeof part[2] === 'object') for (const branch of Object.values(part[2])) if (Array.isArray(branch)) parts(branch);
    }
  };
  const compiled = compileCatalog('check', { m: message }).m;
  parts(Array.isArray(compiled) ? compiled : []);
  return [...names].sort().join(',');
}

const en = read('en');
const enKeys = Object.keys(en);
let failed = false;
console.log(`i18n: ${enKeys.length} English messages; languages ${langs.join(', ')}`);
for (const lang of langs) {
  const cat = read(lang);
  const problems = [];
  try {
    compileCatalog(lang, cat);
  } catch (e) {
    problems.push(e.message);
  }
  const missing = enKeys.filter((k) => !(k in cat));
  const extra = Object.keys(cat).filter((k) => !(k in en));
  if (extra.length) problems.push(`keys English does not have: ${extra.join(', ')}`);
  for (const k of Object.keys(cat)) {
    if (!(k in en)) continue;
    try {
      if (variables(cat[k]) !== variables(en[k])) problems.push(`"${k}" uses {${variables(cat[k])}}, English {${variables(en[k])}}`);
    } catch {
      // reported by compileCatalog above
    }
  }
  const complete = COMPLETE.has(lang);
  const pct = Math.round((100 * (enKeys.length - missing.length)) / enKeys.length);
  console.log(`  ${lang}: ${pct}% (${enKeys.length - missing.length}/${enKeys.length})${complete ? '' : ' — partial, English shows for the rest'}`);
  if (missing.length) console.log(`    missing${complete ? ' (FAILS: this language must be complete)' : ''}: ${missing.join(', ')}`);
  for (const p of problems) console.log(`    FAIL ${p}`);
  if (problems.length || (complete && missing.length)) failed = true;
}
// Catalogues load per page (vite-catalogs.mjs): each page must declare the areas it shows.
const areas = checkAreas();
console.log(`  pages: ${areas.pages} declare their catalogue areas (src/app.tsx)`);
for (const p of areas.problems) console.log(`    FAIL ${p}`);
if (areas.problems.length) failed = true;
// The people's guide (docs/guide/, /help): whole in French and Spanish, every link working.
const guide = checkGuide();
console.log(`  guide: ${Object.entries(guide.languages).map(([l, n]) => `${l} ${n}`).join(', ')} pages (docs/guide/, scripts/guide-check.mjs)`);
for (const p of guide.problems) console.log(`    FAIL ${p}`);
if (guide.problems.length) failed = true;
if (failed) {
  console.error('i18n: catalogue check failed (see above)');
  process.exit(1);
}
console.log('i18n: catalogues OK');
