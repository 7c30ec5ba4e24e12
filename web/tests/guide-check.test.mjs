// The guide's check (scripts/guide-check.mjs, run by `npm run i18n:check`): the real guide passes;
// a guide with an English page lacking its French, Spanish or Arabic counterpart, a missing section id, a
// broken or cross-language link, or a Help link to a missing section fails, and says where.
// No browser and no server: the check reads Markdown files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkGuide } from '../scripts/guide-check.mjs';

/** A guide in a temporary directory: `files` maps a path under docs/guide/ to its Markdown. */
function withGuide(files, fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-guide-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const index = (lang) => `# Guide ${lang}\n\n- [Visitors](visitors.md)\n- [Sign in](visitors.md#sign-in)\n`;
const visitors = (lang) => `# Visitors ${lang}\n\n<a id="sign-in"></a>\n\n## Sign in ${lang}\n\nBack to [the guide](README.md).\n`;
const whole = {
  'README.md': index('en'),
  'visitors.md': visitors('en'),
  'fr/README.md': index('fr'),
  'fr/visitors.md': visitors('fr'),
  'es/README.md': index('es'),
  'es/visitors.md': visitors('es'),
  'ar/README.md': index('ar'),
  'ar/visitors.md': visitors('ar'),
};
const helpLinks = (section) => `export const GUIDE_PAGES = ['README', 'visitors'] as const;\nconst RULES = [{ pattern: /^\\/$/, page: 'visitors', section: '${section}' }];\n`;

test('the guide of this repository is whole in French, Spanish and Arabic and its links work', () => {
  const { languages, problems } = checkGuide();
  assert.deepEqual(problems, []);
  assert.ok(languages.en >= 5, `English pages: ${languages.en}`);
  assert.equal(languages.fr, languages.en);
  assert.equal(languages.es, languages.en);
  assert.equal(languages.ar, languages.en);
});

test('a whole guide passes', () => {
  withGuide(whole, (dir) => assert.deepEqual(checkGuide(dir, helpLinks('sign-in')).problems, []));
});

test('an English page without its French or Spanish counterpart fails', () => {
  const files = { ...whole };
  delete files['es/visitors.md'];
  withGuide(files, (dir) => {
    const { problems } = checkGuide(dir, null);
    assert.deepEqual(problems, [
      'es/visitors.md is missing: visitors.md has no es counterpart',
      'es/README.md: link "visitors.md": es/visitors.md does not exist',
      'es/README.md: link "visitors.md#sign-in": es/visitors.md does not exist',
    ]);
  });
  withGuide({ ...whole, 'fr/old.md': '# Old\n' }, (dir) => {
    assert.deepEqual(checkGuide(dir, null).problems, ['fr/old.md has no English original (old.md)']);
  });
});

test('a translation without a section id of its original fails', () => {
  withGuide({ ...whole, 'fr/visitors.md': '# Visiteurs\n\n## Se connecter\n' }, (dir) => {
    const { problems } = checkGuide(dir, null);
    assert.ok(problems.includes('fr/visitors.md lacks the section ids of visitors.md: sign-in'), problems.join('\n'));
    assert.ok(problems.some((p) => /fr\/README\.md: link "visitors\.md#sign-in".*no section "sign-in"/.test(p)), problems.join('\n'));
  });
});

test('a broken link, a link to another language or to a missing section fails', () => {
  withGuide({ ...whole, 'fr/README.md': '# Guide\n\n[A](../visitors.md) [B](visitors.md#nowhere) [C](chair.md) [D](https://example.org) [E](/activities)\n' }, (dir) => {
    const { problems } = checkGuide(dir, null);
    assert.deepEqual(problems, [
      'fr/README.md: link "../visitors.md" leads to a page in another language (visitors.md)',
      'fr/README.md: link "visitors.md#nowhere": fr/visitors.md has no section "nowhere"',
      'fr/README.md: link "chair.md": fr/chair.md does not exist',
      'fr/README.md: link "/help/visitors#nowhere" leads to no section "nowhere"',
      'fr/README.md: link "/help/chair" leads to no page of the guide',
    ]);
  });
});

test('a Help link of the app (src/guide.ts) to a section some language lacks fails', () => {
  withGuide(whole, (dir) => {
    assert.deepEqual(checkGuide(dir, helpLinks('find-activities')).problems, [
      'src/guide.ts: a Help link leads to visitors#find-activities, which visitors.md does not have',
      'src/guide.ts: a Help link leads to visitors#find-activities, which ar/visitors.md does not have',
      'src/guide.ts: a Help link leads to visitors#find-activities, which es/visitors.md does not have',
      'src/guide.ts: a Help link leads to visitors#find-activities, which fr/visitors.md does not have',
    ]);
  });
});

test('a bold name that is no label of the catalogue fails; labels, their part before a parenthesis and emphasis pass', () => {
  const page = (lang, body) => `# Visitors ${lang}\n\n<a id="sign-in"></a>\n\n## Sign in ${lang}\n\n${body}\n`;
  withGuide({
    ...whole,
    'visitors.md': page('en', 'Choose **Save profile**, then **Save now**; tick **Global**. It is shown **once**, `**code**`.'),
    'fr/visitors.md': page('fr', 'Choisissez **Enregistrer le\nprofil**, puis **Enregistrer maintenant**.'),
  }, (dir) => {
    assert.deepEqual(checkGuide(dir, null).problems, [
      'visitors.md:7: **Save now** is no label of src/locales/en.json (name it as the app does, or add it to EMPHASIS)',
      'fr/visitors.md:8: **Enregistrer maintenant** is no label of src/locales/fr.json (name it as the app does, or add it to EMPHASIS)',
    ]);
    assert.deepEqual(checkGuide(dir, null, null).problems, []);
  });
});
