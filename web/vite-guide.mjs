// The people's guide (docs/guide/**/*.md) for the web app's /help page: each Markdown file,
// imported with the `?guide` query, becomes a module exporting its HTML, rendered here at build
// time by `marked` (a devDependency), so the browser gets HTML and no Markdown parser.
//
// Two conventions of the guide's Markdown:
// - `<a id="find-activities"></a>` on its own line before a heading gives that heading a stable
//   id, the same in every language (the app's Help links point at it: src/guide.ts).
// - Links to other guide files (`focal-points.md#import`, `../visitors.md`, `README.md`) become
//   links to the web app's help pages (`/help/focal-points#import`, `/help/visitors`, `/help`).
import { readFileSync } from 'node:fs';
import { Marked } from 'marked';

const QUERY = '?guide';
const GUIDE_LINK = /^(?:\.\.\/)?([a-z-]+|README)\.md(#[a-z0-9-]+)?$/;

const marked = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type !== 'link') return;
    const m = GUIDE_LINK.exec(token.href);
    if (m) token.href = (m[1] === 'README' ? '/help' : `/help/${m[1]}`) + (m[2] ?? '');
  },
});

/** The HTML of one guide page: anchors folded into the headings they precede. */
export function renderGuide(markdown) {
  const html = marked.parse(markdown, { async: false });
  return html.replace(/(?:<p>)?<a id="([a-z0-9-]+)"><\/a>(?:<\/p>)?\s*<h([1-6])>/g, '<h$2 id="$1">');
}

/** @returns {import('vite').Plugin} */
export function guide() {
  return {
    name: 'gmg-guide',
    load(id) {
      if (!id.endsWith(`.md${QUERY}`)) return null;
      const file = id.slice(0, -QUERY.length);
      this.addWatchFile(file);
      return `export default ${JSON.stringify(renderGuide(readFileSync(file, 'utf8')))};`;
    },
  };
}
