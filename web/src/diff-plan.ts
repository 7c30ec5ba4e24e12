// Which diff a pair of versions gets, bounded so that no pair can freeze the tab. jsdiff's Myers
// algorithm costs about (n + m) × d token comparisons for n and m tokens and d edits; a word
// diff of two long, very different texts is billions of steps. So each diff runs with an edit
// budget (maxEditLength = DIFF_BUDGET / (n + m)): word by word when that is enough, else line
// by line under the same budget, else neither (the reader gets both versions side by side).
// Pure, no words of its own (text-diff.tsx shows the plan).
import { diffLines, diffWordsWithSpace, wordsWithSpaceDiff, type Change } from 'diff';

/** Token comparisons allowed for one diff: a few million, well under a second in a browser. */
export const DIFF_BUDGET = 4_000_000;

export type DiffPlan = { kind: 'words' | 'lines'; parts: Change[] } | { kind: 'too-different' };

/** The most edits a diff of `tokens` tokens (both sides together) may look for under `budget`. */
export function editBudget(tokens: number, budget: number): number {
  if (tokens <= 0) return 1;
  return Math.max(1, Math.floor(budget / tokens));
}

/** The word diff when it fits `budget`, else the line diff when that fits, else neither. */
export function planDiff(before: string, after: string, budget = DIFF_BUDGET): DiffPlan {
  const words = wordsWithSpaceDiff.tokenize(before).length + wordsWithSpaceDiff.tokenize(after).length;
  const byWords = diffWordsWithSpace(before, after, { maxEditLength: editBudget(words, budget) });
  if (byWords) return { kind: 'words', parts: byWords };
  const lines = before.split('\n').length + after.split('\n').length;
  const byLines = diffLines(before, after, { maxEditLength: editBudget(lines, budget) });
  if (byLines) return { kind: 'lines', parts: byLines };
  return { kind: 'too-different' };
}
