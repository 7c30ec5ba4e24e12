// The message catalogues, compiled at build time by Lingui's compiler (the browser gets
// ready-to-run messages and no parser) and split by language AND by area, so that a page
// fetches only the words it shows. A message id is `<area>.<thing>`; the area is its first part.
//
//   virtual:gmg-catalog/<lang>          the language's core: the areas every page needs (CORE_AREAS)
//   virtual:gmg-catalog/<lang>/<area>   one other area of that language (each its own chunk)
//   virtual:gmg-catalog/loaders         { CORE_AREAS, AREAS, default: { <lang>: { core, <area>: () => import(…) } } }
//
// Every language gets a loader for every area English has (an area a partial catalogue lacks is
// an empty module: English shows). A message that does not parse fails the build, naming the
// language and key. See docs/translating.md ("How the catalogues reach the browser").
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';

const PREFIX = 'virtual:gmg-catalog/';
const RESOLVED = '\0gmg-catalog:';
const LOADERS = 'loaders';
const localesDir = fileURLToPath(new URL('./src/locales/', import.meta.url));

/**
 * The areas in every language's core catalogue: the header, footer and guards (`shell`), shared
 * pieces (`ui`), server error codes (`error`), role names, empty states, the help link and the
 * first-run tour's buttons (`help`, `tour`: the footer shows them on every page). Every other
 * area is fetched with the page that declares it (web/src/app.tsx, ROUTES).
 */
export const CORE_AREAS = ['shell', 'ui', 'error', 'problem', 'role', 'empty', 'help', 'tour'];

/** The area of a message id: its first dot-separated part. */
export const areaOf = (id) => id.split('.')[0];

/** @param {string} lang @param {Record<string, string>} source */
export function compileCatalog(lang, source) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, message] of Object.entries(source)) {
    try {
      out[key] = compileMessageOrThrow(message);
    } catch (e) {
      throw new Error(`src/locales/${lang}.json: "${key}" is not valid ICU MessageFormat: ${e.message}`);
    }
  }
  return out;
}

/** The languages with a catalogue file (src/locales/<lang>.json). */
function languages() {
  return readdirSync(localesDir)
    .filter((f) => /^[a-z]{2}\.json$/.test(f))
    .map((f) => f.slice(0, 2))
    .sort();
}

function readSource(lang) {
  return JSON.parse(readFileSync(`${localesDir}${lang}.json`, 'utf8'));
}

/** English's areas outside the core, sorted. */
function pageAreas() {
  const areas = new Set(Object.keys(readSource('en')).map(areaOf));
  return [...areas].filter((a) => !CORE_AREAS.includes(a)).sort();
}

/** The part of `source` whose ids are in `areas`. */
function pick(source, areas) {
  return Object.fromEntries(Object.entries(source).filter(([id]) => areas.includes(areaOf(id))));
}

function loadersModule() {
  const areas = pageAreas();
  const lines = languages().map((lang) => {
    // English's core is bundled (i18n.ts imports it), so it has no loader.
    const entries = lang === 'en' ? [] : [`core: () => import(${JSON.stringify(PREFIX + lang)})`];
    for (const a of areas) entries.push(`${JSON.stringify(a)}: () => import(${JSON.stringify(`${PREFIX}${lang}/${a}`)})`);
    return `  ${lang}: { ${entries.join(', ')} },`;
  });
  return [
    `export const CORE_AREAS = ${JSON.stringify(CORE_AREAS)};`,
    `export const AREAS = ${JSON.stringify(areas)};`,
    `export default {\n${lines.join('\n')}\n};`,
  ].join('\n');
}

/** @returns {import('vite').Plugin} */
export function catalogs() {
  return {
    name: 'gmg-catalogs',
    resolveId(id) {
      return id.startsWith(PREFIX) ? RESOLVED + id.slice(PREFIX.length) : null;
    },
    load(id) {
      if (!id.startsWith(RESOLVED)) return null;
      const what = id.slice(RESOLVED.length);
      for (const lang of languages()) this.addWatchFile(`${localesDir}${lang}.json`);
      if (what === LOADERS) return loadersModule();
      const m = /^([a-z]{2})(?:\/([a-zA-Z0-9]+))?$/.exec(what);
      if (!m || !languages().includes(m[1])) throw new Error(`no catalogue "${what}"`);
      const [, lang, area] = m;
      if (area && CORE_AREAS.includes(area)) throw new Error(`"${area}" is in the core catalogue, not its own`);
      const source = pick(readSource(lang), area ? [area] : CORE_AREAS);
      return `export default ${JSON.stringify(compileCatalog(lang, source))};`;
    },
  };
}

/** Build output name of a catalogue chunk, `i18n-<lang>-<area>`, so that sizes and tests can tell them apart. */
export function catalogChunkName(moduleId) {
  if (!moduleId?.startsWith(RESOLVED)) return null;
  const what = moduleId.slice(RESOLVED.length);
  return what.includes('/') ? `i18n-${what.replace('/', '-')}` : `i18n-${what}-core`;
}
