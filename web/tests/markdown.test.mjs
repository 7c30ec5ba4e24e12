// The Markdown subset of minutes and positions (src/markdown.tsx): what each construct becomes,
// and hostile input: javascript: and other links are never linked, raw HTML stays text, no
// element carries innerHTML, deep nesting is bounded, and very long or pathological input is
// parsed (in one pass: no test of time, only that it finishes and stays text).
// No browser and no server: the module is compiled by Vite's transform (unit-import.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { importSource } from './unit-import.mjs';

let md;
before(async () => {
  md = await importSource('markdown.tsx');
});
const parse = (s) => md.parseMarkdown(s);
const inline = (s) => md.parseInline(s);

/** Every element of a Preact tree (VNodes), depth first. */
function* elements(node) {
  if (node == null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) yield* elements(n);
    return;
  }
  if (typeof node.type === 'string') yield node;
  yield* elements(node.props?.children);
}
const rendered = (s, base) => [...elements(md.renderMarkdown(md.parseMarkdown(s), base))];
/** The text of a tree. */
function text(node) {
  if (node == null || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(text).join('');
  return text(node.props?.children);
}

test('paragraphs, line breaks, headings', () => {
  assert.deepEqual(parse('One\ntwo\n\nThree'), [
    { t: 'p', c: ['One', { t: 'br' }, 'two'] },
    { t: 'p', c: ['Three'] },
  ]);
  assert.deepEqual(parse('# Opening ##\n### Item 3'), [
    { t: 'h', level: 1, c: ['Opening'] },
    { t: 'h', level: 3, c: ['Item 3'] },
  ]);
  assert.deepEqual(parse('#hashtag'), [{ t: 'p', c: ['#hashtag'] }], 'no space, no heading');
  // Headings start under the page's own (h3 by default) and stop at h6.
  assert.deepEqual(rendered('# A\n## B\n###### F').map((e) => e.type), ['h3', 'h4', 'h6']);
  assert.deepEqual(rendered('# A', 2).map((e) => e.type), ['h2']);
});

test('bullet and numbered lists, nested, with their start number', () => {
  assert.deepEqual(parse('- IOM\n- ILO\n  - Geneva\n* other list'), [
    { t: 'ul', start: 1, tight: true, items: [[{ t: 'p', c: ['IOM'] }], [{ t: 'p', c: ['ILO'] }, { t: 'ul', start: 1, tight: true, items: [[{ t: 'p', c: ['Geneva'] }]] }]] },
    { t: 'ul', start: 1, tight: true, items: [[{ t: 'p', c: ['other list'] }]] },
  ]);
  const ol = parse('3. adopt\n4. close\n   continued');
  assert.equal(ol[0].t, 'ol');
  assert.equal(ol[0].start, 3);
  assert.deepEqual(ol[0].items[1], [{ t: 'p', c: ['close', { t: 'br' }, 'continued'] }]);
  assert.equal(rendered('3. a')[0].props.start, 3);
  assert.equal(rendered('1. a')[0].props.start, undefined);
  // Loose items (blank lines between) keep their paragraphs; tight ones are inline.
  assert.deepEqual(rendered('- a\n\n- b').map((e) => e.type), ['ul', 'li', 'p', 'li', 'p']);
  assert.deepEqual(rendered('- a\n- b').map((e) => e.type), ['ul', 'li', 'span', 'li', 'span']);
});

test('bold, italic, both, nested, code, escapes', () => {
  assert.deepEqual(inline('**bold** *it* _it_ ***both***'), [
    { t: 'strong', c: ['bold'] }, ' ', { t: 'em', c: ['it'] }, ' ', { t: 'em', c: ['it'] }, ' ', { t: 'strong', c: [{ t: 'em', c: ['both'] }] },
  ]);
  assert.deepEqual(inline('**a *b* c**'), [{ t: 'strong', c: ['a ', { t: 'em', c: ['b'] }, ' c'] }]);
  assert.deepEqual(inline('*a **b** c*'), [{ t: 'em', c: ['a ', { t: 'strong', c: ['b'] }, ' c'] }]);
  assert.deepEqual(inline('snake_case_name and 2 * 3 * 4'), ['snake_case_name and 2 * 3 * 4']);
  assert.deepEqual(inline('\\*not\\* `**code**`'), ['*not* ', { t: 'code', v: '**code**' }]);
  assert.deepEqual(inline('**unclosed'), ['**unclosed']);
  assert.deepEqual(inline('****four****'), ['****four****'], 'longer runs are text');
});

test('links: only http(s) and mailto, with rel="noopener noreferrer"; anything else is its text', () => {
  assert.deepEqual(inline('[IOM](https://www.iom.int/) <mailto:gmg@example.org>'), [
    { t: 'a', href: 'https://www.iom.int/', c: ['IOM'] }, ' ', { t: 'a', href: 'mailto:gmg@example.org', c: ['mailto:gmg@example.org'] },
  ]);
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '//evil.example/', '/relative', 'https:evil', 'file:///etc/passwd']) {
    assert.equal(md.safeHref(bad), null, bad);
    const els = rendered(`[click](${bad}) <${bad}>`);
    assert.equal(els.filter((e) => e.type === 'a').length, 0, `no link for ${bad}`);
  }
  assert.equal(md.safeHref(' https://a.example/x '), 'https://a.example/x');
  const [p, a] = rendered('see [the report](https://example.org/r?x=1&y=2)');
  assert.equal(p.type, 'p');
  assert.deepEqual({ href: a.props.href, rel: a.props.rel }, { href: 'https://example.org/r?x=1&y=2', rel: 'noopener noreferrer' });
  // No link inside a link's text.
  assert.deepEqual(rendered('[a [b](https://b.example) c](https://a.example)').filter((e) => e.type === 'a').length, 1);
});

test('raw HTML is text: no element but the subset, never innerHTML', () => {
  const hostile = '<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n\n<a href="javascript:alert(1)">x</a> <b onclick="x">y</b>\n# <iframe src="https://evil.example">';
  const els = rendered(hostile);
  const allowed = new Set(['p', 'br', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'span', 'strong', 'em', 'code', 'a']);
  for (const e of els) {
    assert.ok(allowed.has(e.type), `element ${e.type}`);
    assert.equal(e.props.dangerouslySetInnerHTML, undefined);
    for (const k of Object.keys(e.props)) assert.ok(!/^on/i.test(k), `no ${k} handler`);
  }
  assert.equal(els.filter((e) => e.type === 'a').length, 0);
  assert.match(text(md.renderMarkdown(parse(hostile))), /<script>alert\(1\)<\/script>/);
});

test('nesting is bounded: deep lists and emphasis end in text, not in a deep tree', () => {
  const deepList = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
  let depth = 0;
  let blocks = parse(deepList);
  while (blocks.length && blocks[0].t === 'ul') {
    depth++;
    blocks = blocks[0].items[0].slice(1);
  }
  assert.ok(depth <= md.MAX_DEPTH + 1, `lists nested ${depth} deep`);
  const deepEm = `${'*a '.repeat(5000)}x${' b*'.repeat(5000)}`;
  const walk = (n, d = 0) => (typeof n === 'string' || !n.c ? d : Math.max(d, ...n.c.map((c) => walk(c, d + 1))));
  const tree = inline(deepEm);
  assert.ok(Math.max(...tree.map((n) => walk(n))) <= md.MAX_DEPTH + 1);
  // The words are all there, at whatever depth the emphasis stopped.
  const shown = text(md.renderMarkdown([{ t: 'p', c: tree }]));
  assert.equal(shown.match(/a/g).length, 5000);
  assert.equal(shown.match(/b/g).length, 5000);
  assert.match(shown, /x/);
});

test('very long and pathological input is parsed to the end, its text kept', () => {
  const inputs = [
    'word '.repeat(200_000),
    '*'.repeat(100_000),
    '*a '.repeat(50_000),
    '**a '.repeat(50_000),
    '_a_b '.repeat(50_000),
    '[a]('.repeat(50_000),
    `${'['.repeat(50_000)}x](${'y'.repeat(50_000)} z)`,
    '<http:'.repeat(30_000) + '>',
    `${'<https://a.example/'.repeat(20_000)}>`,
    `# ${'#'.repeat(100_000)} x ${' '.repeat(100_000)}#`,
    '- '.repeat(20_000) + 'x',
    `${'\\'.repeat(100_001)}*`,
    `${'1. a\n'.repeat(20_000)}`,
  ];
  for (const s of inputs) {
    const out = text(md.renderMarkdown(parse(s)));
    assert.ok(out.length > 0, `something shown for ${JSON.stringify(s.slice(0, 20))}…`);
  }
  // Plain long text comes through whole.
  const plain = 'The group met in Geneva. '.repeat(40_000).trim();
  assert.equal(text(md.renderMarkdown(parse(plain))), plain);
});
