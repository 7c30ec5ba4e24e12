// A diff between two versions of a position's text (jsdiff's word diff), readable by everyone:
// insertions in <ins>, deletions in <del>, each with a visually hidden "added"/"removed" label
// (screen readers do not announce those elements by default); colour is never the only sign
// (positions.css underlines and strikes through).
import { diffWordsWithSpace } from 'diff';
import { t } from './i18n';
import { formatNumber } from './format';

export function PositionDiff({ before, after }: { before: string; after: string }) {
  const parts = diffWordsWithSpace(before, after);
  const added = parts.filter((p) => p.added).length;
  const removed = parts.filter((p) => p.removed).length;
  return (
    <div class="pos-diff" data-testid="position-diff">
      <p class="meta" data-testid="position-diff-summary">
        {added + removed === 0 ? t('positions.diff.same') : t('positions.diff.summary', { added: formatNumber(added), removed: formatNumber(removed) })}
      </p>
      <div class="pos-diff-body" dir="auto">
        {parts.map((p, i) =>
          p.added ? (
            <ins key={i}>
              <span class="sr-only">{t('positions.diff.added')} </span>
              {p.value}
              <span class="sr-only"> {t('positions.diff.addedEnd')}</span>
            </ins>
          ) : p.removed ? (
            <del key={i}>
              <span class="sr-only">{t('positions.diff.removed')} </span>
              {p.value}
              <span class="sr-only"> {t('positions.diff.removedEnd')}</span>
            </del>
          ) : (
            <span key={i}>{p.value}</span>
          ),
        )}
      </div>
    </div>
  );
}
