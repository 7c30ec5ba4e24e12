// A diff between two versions of a text (minutes, positions; jsdiff), readable by everyone:
// insertions in <ins>, deletions in <del>, each with a visually hidden "added"/"removed" label,
// since screen readers do not announce those elements by default; colour is never the only sign
// (styles.css underlines and strikes through). Word by word when that stays within a bound,
// else line by line, else both versions whole (diff-plan.ts), so a long, much rewritten text
// never freezes the tab. The words are the core `ui.` area's.
import { useMemo } from 'preact/hooks';
import type { Change } from 'diff';
import { t } from './i18n';
import { formatNumber } from './format';
import { planDiff } from './diff-plan';

export function TextDiff({ before, after, testId = 'diff' }: { before: string; after: string; testId?: string }) {
  const plan = useMemo(() => planDiff(before, after), [before, after]);
  if (plan.kind === 'too-different') {
    return (
      <div class="text-diff" data-testid={testId} data-diff="none">
        <p class="meta" data-testid={`${testId}-summary`}>
          {t('ui.diff.tooDifferent')}
        </p>
        <div class="diff-sides">
          <section aria-labelledby={`${testId}-before-label`}>
            <p class="diff-side-label" id={`${testId}-before-label`}>
              {t('ui.diff.before')}
            </p>
            <pre class="diff-body" dir="auto" data-testid={`${testId}-before`}>
              {before}
            </pre>
          </section>
          <section aria-labelledby={`${testId}-after-label`}>
            <p class="diff-side-label" id={`${testId}-after-label`}>
              {t('ui.diff.after')}
            </p>
            <pre class="diff-body" dir="auto" data-testid={`${testId}-after`}>
              {after}
            </pre>
          </section>
        </div>
      </div>
    );
  }
  const { parts } = plan;
  const added = parts.filter((p) => p.added).length;
  const removed = parts.filter((p) => p.removed).length;
  return (
    <div class="text-diff" data-testid={testId} data-diff={plan.kind}>
      <p class="meta" data-testid={`${testId}-summary`}>
        {added + removed === 0 ? t('ui.diff.same') : t('ui.diff.summary', { added: formatNumber(added), removed: formatNumber(removed) })}
        {plan.kind === 'lines' && <> {t('ui.diff.byLines')}</>}
      </p>
      <pre class="diff-body" dir="auto">
        {parts.map((p, i) => (
          <Part key={i} part={p} />
        ))}
      </pre>
    </div>
  );
}

function Part({ part: p }: { part: Change }) {
  if (p.added) {
    return (
      <ins>
        <span class="sr-only">{t('ui.diff.added')} </span>
        {p.value}
        <span class="sr-only"> {t('ui.diff.addedEnd')}</span>
      </ins>
    );
  }
  if (p.removed) {
    return (
      <del>
        <span class="sr-only">{t('ui.diff.removed')} </span>
        {p.value}
        <span class="sr-only"> {t('ui.diff.removedEnd')}</span>
      </del>
    );
  }
  return <span>{p.value}</span>;
}
