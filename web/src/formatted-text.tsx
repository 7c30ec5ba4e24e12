// A Markdown text shown formatted (markdown.tsx), with a button that shows its source instead:
// what the author typed, as preformatted text. The version diff compares sources, not this.
// The words are the core `ui.` area's.
import { useState } from 'preact/hooks';
import { t } from './i18n';
import { Markdown } from './markdown';

export function FormattedText({ text, testId, headingBase = 3 }: { text: string; testId: string; headingBase?: number }) {
  const [source, setSource] = useState(false);
  return (
    <div class="formatted-text" data-testid={testId}>
      <p class="formatted-toggle">
        <button type="button" class="secondary small" aria-pressed={source} onClick={() => setSource(!source)} data-testid={`${testId}-source-toggle`}>
          {t('ui.markdown.showSource')}
        </button>
      </p>
      {source ? (
        <pre class="markdown-source" dir="auto" data-testid={`${testId}-source`}>
          {text}
        </pre>
      ) : (
        <Markdown text={text} headingBase={headingBase} testId={`${testId}-formatted`} />
      )}
    </div>
  );
}
