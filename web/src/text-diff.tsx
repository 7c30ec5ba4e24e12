// A diff between two versions of a text (minutes, positions; jsdiff's word diff), readable by everyone:
// insertions in <ins>, deletions in <del>, each with a visually hidden "added"/"removed" label,
// since screen readers do not announce those elements by default; colour is never the only sign
// (styles.css underlines and strikes through). The words are the core `ui.` area's.
import { diffWordsWithSpace } from 'diff';
import { t } from './i18n';
import { formatNumber } from './format';

export function TextDiff({ before, after, testId = 'diff' }: { before: string; after: string; testId?: string }) {
  const parts = diffWordsWithSpace(before, after);
  const added = parts.filter((p) => p.added).length;
  const removed = parts.filter((p) => p.removed).length;
  return (
    <div class="text-diff" data-testid={testId}>
      <p class="meta" data-testid={`${testId}-summary`}>
        {added + removed === 0 ? t('ui.diff.same') : t('ui.diff.summary', { added: formatNumber(added), removed: formatNumber(removed) })}
      </p>
      <pre class="diff-body" dir="auto">
        {parts.map((p, i) =>
          p.added ? (
            <ins key={i}>
              <span class="sr-only">{t('ui.diff.added')} </span>
              {p.value}
              <span class="sr-only"> {t('ui.diff.addedEnd')}</span>
            </ins>
          ) : p.removed ? (
            <del key={i}>
              <span class="sr-only">{t('ui.diff.removed')} </span>
              {p.value}
              <span class="sr-only"> {t('ui.diff.removedEnd')}</span>
            </del>
          ) : (
            <span key={i}>{p.value}</span>
          ),
        )}
      </pre>
    </div>
  );
}
