// Content recorded in several languages (an activity's titles and descriptions), shown in the
// reader's language when it has one, else in its first language with a note saying which: the
// text is marked with its `lang` (WCAG 3.1.2, so a screen reader speaks it with the right voice)
// and the note, in the reader's language, follows it.
import type { ComponentChildren } from 'preact';
import { inLanguageNote } from './activities';

/** `(in English)` after a text that is not in the reader's language; nothing when it is. */
export function LangNote({ lang, readers }: { lang: string; readers: boolean }) {
  if (readers || !lang) return null;
  return (
    <>
      {' '}
      <span class="lang-note meta" data-testid="lang-note">
        {inLanguageNote(lang)}
      </span>
    </>
  );
}

/** `children` marked as written in `lang` (when known). */
export function InLang({ lang, children }: { lang: string; children: ComponentChildren }) {
  return <span lang={lang || undefined}>{children}</span>;
}
