// The bound on the version diff (src/diff-plan.ts): a word diff while its edit budget holds, a
// line diff when the words would cost too much, neither (both versions whole) when the lines
// would too. Each diff's budget is its edits × tokens, so a pair of long, wholly rewritten
// texts is settled in a bounded number of steps instead of freezing the tab. No test of time:
// the cases below would take minutes unbounded; bounded, they finish.
// No browser and no server: the module is compiled by Vite's transform (unit-import.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { importSource } from './unit-import.mjs';

let dp;
before(async () => {
  dp = await importSource('diff-plan.ts');
});

/** `n` pseudo-random words (a fixed seed: the same text every run). */
function words(n, seed) {
  let x = seed;
  const out = [];
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647; // Park–Miller: exact in doubles
    out.push(`w${x.toString(36)}`);
  }
  return out;
}
const text = (ws, perLine = 12) => ws.map((w, i) => (i % perLine === perLine - 1 ? `${w}\n` : `${w} `)).join('');

test('the edit budget is the step budget over the tokens, at least one', () => {
  assert.equal(dp.editBudget(2_000, 4_000_000), 2_000);
  assert.equal(dp.editBudget(40_000, 4_000_000), 100);
  assert.equal(dp.editBudget(10_000_000, 4_000_000), 1);
  assert.equal(dp.editBudget(0, 4_000_000), 1);
  assert.ok(dp.DIFF_BUDGET >= 1_000_000 && dp.DIFF_BUDGET <= 10_000_000, 'a few million steps');
});

test('ordinary revisions are compared word by word', () => {
  const a = 'The group met in Geneva on 9 May.\nIOM chaired.';
  const b = 'The group met in New York on 9 May.\nIOM chaired.';
  const plan = dp.planDiff(a, b);
  assert.equal(plan.kind, 'words');
  assert.equal(plan.parts.filter((p) => p.removed).map((p) => p.value).join(''), 'Geneva');
  assert.match(plan.parts.filter((p) => p.added).map((p) => p.value).join('|'), /^New\|York ?$/);
  assert.equal(dp.planDiff(a, a).parts.length, 1, 'the same text: one unchanged part');
  // Long minutes with a few edits here and there stay word by word.
  const long = words(20_000, 7);
  const edited = long.map((w, i) => (i % 2_000 === 0 ? 'changed' : w));
  assert.equal(dp.planDiff(text(long), text(edited)).kind, 'words');
});

test('a wholesale rewrite of long minutes falls back to lines, then to neither', () => {
  // 20,000 words each side, none in common: ~80,000 tokens, a word diff of 80,000 edits.
  const a = text(words(20_000, 1));
  const b = text(words(20_000, 2));
  const plan = dp.planDiff(a, b);
  assert.notEqual(plan.kind, 'words');
  // Lines: ~3,300 lines, 3,300 edits, ~11 million steps: over the default budget too.
  assert.equal(plan.kind, 'too-different');
  // With a budget that lets lines through (but not words), the line diff is used, whole.
  const lines = dp.planDiff(a, b, 30_000_000);
  assert.equal(lines.kind, 'lines');
  assert.equal(lines.parts.filter((p) => p.removed).map((p) => p.value).join(''), a);
  assert.equal(lines.parts.filter((p) => p.added).map((p) => p.value).join(''), b);
});

test('half the lines rewritten: compared line by line, the unchanged lines kept', () => {
  const base = words(12_000, 3);
  const other = words(12_000, 4);
  const a = text(base);
  // Every other line replaced.
  const b = text(base.map((w, i) => (Math.floor(i / 12) % 2 === 0 ? w : other[i])));
  const plan = dp.planDiff(a, b);
  assert.equal(plan.kind, 'lines');
  const kept = plan.parts.filter((p) => !p.added && !p.removed).map((p) => p.value).join('');
  assert.ok(kept.split('\n').length > 400, 'the unchanged lines show as unchanged');
});

test('a tiny budget still gives a result for each kind, and never throws', () => {
  assert.equal(dp.planDiff('a b c', 'x y z', 1).kind, 'too-different');
  assert.equal(dp.planDiff('', '', 1).kind, 'words');
  assert.equal(dp.planDiff('', 'new text', 1_000).kind, 'words');
});
