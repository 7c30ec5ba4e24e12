// Serves src/locales/<lang>.json as `virtual:gmg-catalog/<lang>`, each ICU message compiled by
// Lingui's compiler at build time, so the browser gets ready-to-run messages and no parser.
// A message that does not parse fails the build, naming the language and key.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';

const PREFIX = 'virtual:gmg-catalog/';
const RESOLVED = '\0gmg-catalog:';
const localesDir = fileURLToPath(new URL('./src/locales/', import.meta.url));

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

/** @returns {import('vite').Plugin} */
export function catalogs() {
  return {
    name: 'gmg-catalogs',
    resolveId(id) {
      return id.startsWith(PREFIX) ? RESOLVED + id.slice(PREFIX.length) : null;
    },
    load(id) {
      if (!id.startsWith(RESOLVED)) return null;
      const lang = id.slice(RESOLVED.length);
      if (!/^[a-z]{2}$/.test(lang)) throw new Error(`no catalogue "${lang}"`);
      const file = `${localesDir}${lang}.json`;
      this.addWatchFile(file);
      const compiled = compileCatalog(lang, JSON.parse(readFileSync(file, 'utf8')));
      return `export default ${JSON.stringify(compiled)};`;
    },
  };
}
