#!/usr/bin/env node
// The people's guide (docs/guide/, served at /help by vite-guide.mjs and src/pages/help.tsx):
// run by `npm run i18n:check` (through i18n-check.mjs), alone with `node scripts/guide-check.mjs`.
// Fails when
// - an English page (docs/guide/<page>.md) lacks its counterpart in a language the guide must be
//   complete in (GUIDE_COMPLETE: docs/guide/fr/<page>.md, docs/guide/es/<page>.md, docs/guide/ar/…), or a
//   translated page has no English original;
// - a page lacks one of its English original's section ids (`<a id="…"></a>`: the app's Help
//   links and other pages point at them, the same in every language);
// - a link between guide files points at a missing file or section, or a translated page links
//   to a page of another language, or the link is not one /help can follow;
// - src/guide.ts names a page or section (a Help link) that some language does not have, or its
//   GUIDE_PAGES differ from the English pages;
// - a name in bold (`**Save profile**`) is not a label of that language's catalogue
//   (src/locales/<lang>.json, a message or its part before a parenthesis: **Global** for
//   "Global (not tied to particular countries)"): the guide names buttons, menus and fields as
//   the app shows them. Bold that is plain emphasis goes in EMPHASIS.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderGuide } from '../vite-guide.mjs';

export const GUIDE_COMPLETE = ['fr', 'es', 'ar'];
const webDir = fileURLToPath(new URL('..', import.meta.url));
export const GUIDE_DIR = path.resolve(webDir, '../docs/guide');
const GUIDE_TS = path.join(webDir, 'src/guide.ts');
const LOCALES_DIR = path.join(webDir, 'src/locales');
/** Bold that is emphasis, not the name of something on screen, per language. */
export const EMPHASIS = {
  en: ['once', 'The map', "The hub's public address", 'The licence of the data', 'To change them'],
  fr: ["qu'une seule fois", 'La carte', "L'adresse publique du Hub", 'La licence des données', 'Pour les changer'],
  es: ['una sola vez', 'El mapa', 'La dirección pública del Hub', 'La licencia de los datos', 'Para cambiarlas'],
  ar: ['العنوان العام للمنصة', 'ترخيص البيانات', 'لتغييرهما'],
};

/**
 * The labels of each language's catalogue (`lang` → Set): every message, and its part before a
 * parenthesis; with the language's EMPHASIS. Languages without a catalogue are not listed.
 */
export function catalogueLabels(localesDir = LOCALES_DIR) {
  const labels = {};
  for (const file of existsSync(localesDir) ? readdirSync(localesDir).filter((f) => /^[a-z]{2}\.json$/.test(f)) : []) {
    const lang = file.slice(0, 2);
    const messages = Object.values(JSON.parse(readFileSync(path.join(localesDir, file), 'utf8')));
    labels[lang] = new Set([...messages.map((m) => m.trim()), ...messages.map((m) => m.replace(/\s*\(.*$/s, '').trim()), ...(EMPHASIS[lang] ?? [])]);
  }
  return labels;
}
// Bold runs (`**…**`, over a line break too), inline code removed first; spaces made single.
const boldNames = (markdown) => [...markdown.replace(/`[^`\n]*`/g, '').matchAll(/\*\*([^*]+?)\*\*/g)].map((m) => ({ name: m[1].replace(/\s+/g, ' ').trim(), line: markdown.slice(0, m.index).split('\n').length }));

const mdFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort() : []);
const anchors = (markdown) => new Set([...markdown.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]));
// Markdown links, images excluded; inline code removed first.
const links = (markdown) => [...markdown.replace(/`[^`\n]*`/g, '').matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
const hrefs = (html) => [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));

/**
 * Checks the guide under `dir` (default docs/guide/). `guideTs`: the source of src/guide.ts, or
 * null to skip the Help links' check. `labels`: catalogueLabels(), or null to skip the check of
 * bold names. Returns the pages checked per language and the problems found (empty when the
 * guide is whole, every link works and every bold name is on screen).
 */
export function checkGuide(dir = GUIDE_DIR, guideTs = existsSync(GUIDE_TS) ? readFileSync(GUIDE_TS, 'utf8') : null, labels = catalogueLabels()) {
  const problems = [];
  const english = mdFiles(dir);
  const languages = readdirSync(dir).filter((d) => /^[a-z]{2}$/.test(d) && statSync(path.join(dir, d)).isDirectory()).sort();
  const langDir = (lang) => (lang === 'en' ? dir : path.join(dir, lang));
  const rel = (lang, page) => (lang === 'en' ? `${page}.md` : `${lang}/${page}.md`);
  /** @type {Map<string, {markdown: string, ids: Set<string>}>} key `<lang>/<page>` */
  const pages = new Map();
  for (const lang of ['en', ...languages]) {
    for (const page of mdFiles(langDir(lang))) {
      const markdown = readFileSync(path.join(langDir(lang), `${page}.md`), 'utf8');
      pages.set(`${lang}/${page}`, { markdown, ids: anchors(markdown) });
    }
  }
  if (!english.includes('README')) problems.push('docs/guide/README.md (the index) is missing');

  for (const lang of GUIDE_COMPLETE) {
    for (const page of english) if (!pages.has(`${lang}/${page}`)) problems.push(`${rel(lang, page)} is missing: ${rel('en', page)} has no ${lang} counterpart`);
  }
  for (const lang of languages) {
    for (const page of mdFiles(langDir(lang))) {
      const original = pages.get(`en/${page}`);
      if (!original) {
        problems.push(`${rel(lang, page)} has no English original (${page}.md)`);
        continue;
      }
      const ids = pages.get(`${lang}/${page}`).ids;
      const lacking = [...original.ids].filter((id) => !ids.has(id));
      const extra = [...ids].filter((id) => !original.ids.has(id));
      if (lacking.length) problems.push(`${rel(lang, page)} lacks the section ids of ${page}.md: ${lacking.join(', ')}`);
      if (extra.length) problems.push(`${rel(lang, page)} has section ids ${page}.md does not: ${extra.join(', ')}`);
    }
  }

  // Links, as written (a file beside it, in the same language) and as /help serves them.
  for (const [key, { markdown }] of pages) {
    const [lang, page] = key.split('/');
    const here = rel(lang, page);
    for (const href of links(markdown)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) continue; // https:, mailto:, app paths
      const [file, hash] = href.split('#');
      const target = file ? path.resolve(langDir(lang), file) : path.join(langDir(lang), `${page}.md`);
      const targetRel = path.relative(dir, target).split(path.sep).join('/');
      const m = /^(?:([a-z]{2})\/)?([a-z-]+|README)\.md$/.exec(targetRel);
      if (!m) {
        problems.push(`${here}: link "${href}" is not to a page of the guide`);
        continue;
      }
      const targetLang = m[1] ?? 'en';
      if (targetLang !== lang) problems.push(`${here}: link "${href}" leads to a page in another language (${targetRel})`);
      const targetPage = pages.get(`${targetLang}/${m[2]}`);
      if (!targetPage) problems.push(`${here}: link "${href}": ${targetRel} does not exist`);
      else if (hash !== undefined && !targetPage.ids.has(hash)) problems.push(`${here}: link "${href}": ${targetRel} has no section "${hash}"`);
    }
    for (const href of hrefs(renderGuide(markdown))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
      const help = /^\/help(?:\/([a-z-]+))?(?:#([a-z0-9-]+))?$/.exec(href);
      if (href.startsWith('/help') && !help) problems.push(`${here}: link "${href}" is not a /help address`);
      else if (help) {
        const target = pages.get(`${lang}/${help[1] ?? 'README'}`) ?? pages.get(`en/${help[1] ?? 'README'}`);
        if (!target || !english.includes(help[1] ?? 'README')) problems.push(`${here}: link "${href}" leads to no page of the guide`);
        else if (help[2] && !target.ids.has(help[2])) problems.push(`${here}: link "${href}" leads to no section "${help[2]}"`);
      } else if (/\.md(#|$)/.test(href)) problems.push(`${here}: link "${href}" is not turned into a /help link (vite-guide.mjs)`);
    }
  }

  // Bold names are what the app shows, in the page's language.
  for (const [key, { markdown }] of labels ? pages : []) {
    const [lang, page] = key.split('/');
    if (!labels[lang]) continue;
    for (const { name, line } of boldNames(markdown)) {
      if (!labels[lang].has(name)) problems.push(`${rel(lang, page)}:${line}: **${name}** is no label of src/locales/${lang}.json (name it as the app does, or add it to EMPHASIS)`);
    }
  }

  // The app's Help links (src/guide.ts) lead to pages and sections every language has.
  if (guideTs !== null) {
    const listed = /GUIDE_PAGES = \[([^\]]*)\]/.exec(guideTs)?.[1].match(/'([^']+)'/g)?.map((s) => s.slice(1, -1)).sort() ?? [];
    if (listed.join() !== english.join()) problems.push(`src/guide.ts GUIDE_PAGES (${listed.join(', ')}) differ from the English pages (${english.join(', ')})`);
    const targets = [
      ...[...guideTs.matchAll(/page: '([a-zA-Z-]+)', section: '([a-z0-9-]+)'/g)].map((m) => [m[1], m[2]]),
      ...[...guideTs.matchAll(/admin: \['([a-zA-Z-]+)', '([a-z0-9-]+)'\]/g)].map((m) => [m[1], m[2]]),
      ...[...guideTs.matchAll(/guideHref\('([a-zA-Z-]+)', '([a-z0-9-]+)'\)/g)].map((m) => [m[1], m[2]]),
    ];
    if (!targets.length) problems.push('src/guide.ts: found no Help link to check (has its form changed?)');
    for (const [page, section] of targets) {
      for (const lang of ['en', ...languages]) {
        const p = pages.get(`${lang}/${page}`);
        if (p && !p.ids.has(section)) problems.push(`src/guide.ts: a Help link leads to ${page}#${section}, which ${rel(lang, page)} does not have`);
        if (!p && lang === 'en') problems.push(`src/guide.ts: a Help link leads to ${page}, which the guide does not have`);
      }
    }
  }
  return { languages: Object.fromEntries(['en', ...languages].map((l) => [l, [...pages.keys()].filter((k) => k.startsWith(`${l}/`)).length])), problems };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { languages, problems } = checkGuide();
  console.log(`guide: ${Object.entries(languages).map(([l, n]) => `${l} ${n}`).join(', ')} pages`);
  for (const p of problems) console.log(`    FAIL ${p}`);
  if (problems.length) {
    console.error('guide: check failed (see above)');
    process.exit(1);
  }
  console.log('guide: every page in every language, every link leads somewhere, every bold name is on screen');
}
