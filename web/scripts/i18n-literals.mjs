#!/usr/bin/env node
// Fails when a component holds a literal user-visible string (`npm run i18n:check`, part of
// `make test`): JSX text with a letter in it, a string written directly in a JSX expression
// (`{busy ? 'Saving…' : 'Save'}`), or a string literal in an attribute a person reads or hears
// (title, aria-label, placeholder, alt, and our components' label, hint, what). Text goes
// through t('area.key') instead (docs/translating.md). Letters are what count: "*", "–", "·"
// and the like pass.
//
// NOT_YET_CONVERTED lists the files still written in English; they are reported, loudly, as
// remaining work, and do not fail the check. A listed file with no literal left fails it: take
// it off the list. The goal is an empty list.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@babel/parser';

const NOT_YET_CONVERTED = new Set([
]);
const READ_ATTRIBUTES = new Set(['title', 'aria-label', 'aria-description', 'aria-valuetext', 'placeholder', 'alt', 'label', 'hint', 'what']);
const hasLetter = (s) => /\p{L}/u.test(s);

const root = fileURLToPath(new URL('..', import.meta.url));
function tsxFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsxFiles(p) : p.endsWith('.tsx') ? [p] : [];
  });
}

// Strings an expression shows as it is: the literal itself, either branch of a ?:, either side
// of && / || / ??. A call's arguments (t('key'), encodeURIComponent(x)) are not shown text.
function shownStrings(expr, out) {
  if (!expr) return out;
  switch (expr.type) {
    case 'StringLiteral':
      if (hasLetter(expr.value)) out.push({ node: expr, text: expr.value });
      break;
    case 'TemplateLiteral': {
      const text = expr.quasis.map((q) => q.value.cooked).join('…');
      if (hasLetter(text)) out.push({ node: expr, text });
      break;
    }
    case 'ConditionalExpression':
      shownStrings(expr.consequent, out);
      shownStrings(expr.alternate, out);
      break;
    case 'LogicalExpression':
      shownStrings(expr.left, out);
      shownStrings(expr.right, out);
      break;
    case 'TSAsExpression':
    case 'ParenthesizedExpression':
      shownStrings(expr.expression, out);
      break;
  }
  return out;
}

function literalsIn(file) {
  const ast = parse(readFileSync(file, 'utf8'), { sourceType: 'module', plugins: ['jsx', 'typescript'] });
  const found = [];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'JSXText' && hasLetter(node.value)) found.push({ node, text: node.value.trim() });
    if (node.type === 'JSXExpressionContainer' && node.expression.type !== 'JSXEmptyExpression') {
      found.push(...shownStrings(node.expression, []));
    }
    if (node.type === 'JSXAttribute') {
      const name = node.name.type === 'JSXIdentifier' ? node.name.name : '';
      if (READ_ATTRIBUTES.has(name) && node.value?.type === 'StringLiteral' && hasLetter(node.value.value)) {
        found.push({ node: node.value, text: `${name}="${node.value.value}"` });
      }
      // {…} in an attribute is checked only for attributes a person reads: class={a ? 'x' : 'y'} is not text.
      if (node.value?.type === 'JSXExpressionContainer' && !READ_ATTRIBUTES.has(name)) {
        visitChildren(node.value.expression);
        return;
      }
    }
    visitChildren(node);
  };
  const visitChildren = (node) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'start' || k === 'end' || k === 'extra' || k.endsWith('Comments')) continue;
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v.type === 'string') visit(v);
    }
  };
  visit(ast.program);
  return found;
}

let failed = false;
const pending = [];
for (const file of tsxFiles(join(root, 'src')).sort()) {
  const rel = relative(root, file);
  const found = literalsIn(file);
  if (NOT_YET_CONVERTED.has(rel)) {
    if (found.length === 0) {
      console.error(`FAIL ${rel} has no literal text left: take it off NOT_YET_CONVERTED in scripts/i18n-literals.mjs`);
      failed = true;
    } else {
      pending.push(`${rel} (${found.length})`);
    }
    continue;
  }
  for (const f of found) {
    console.error(`FAIL ${rel}:${f.node.loc.start.line}: literal text "${f.text.slice(0, 60)}" — use t('…') (docs/translating.md)`);
    failed = true;
  }
}
if (pending.length) {
  console.log('');
  console.log('!!! REMAINING WORK (issue 9): these components are not yet translated, literal strings in');
  console.log('!!! each; convert them and take them off NOT_YET_CONVERTED in scripts/i18n-literals.mjs:');
  for (const p of pending) console.log(`!!!   ${p}`);
  console.log('');
}
if (failed) process.exit(1);
console.log('i18n: no literal user-visible text outside the files listed above');
