// Content recorded in several languages (an activity's titles and descriptions), shown in the
// reader's language when it has one, else in its first language with a note saying which: the
// text is marked with its `lang` (WCAG 3.1.2, so a screen reader speaks it with the right voice)
// and the note, in the reader's language, follows it.
//
// The hub's own records are kept in one language, English (RECORDS_LANGUAGE): the GMG's profile
// (name, summary, purposes, issues, history), member organisations' names, mandates and titles,
// themes, chair exceptions' reasons, focal points' titles. Shown to a reader of another language
// they are marked `lang="en"` and `dir="auto"` (recordText, InRecords), so a screen reader
// speaks English and an English sentence in an Arabic page keeps its punctuation at its end.
import { Fragment, type ComponentChildren } from 'preact';
import { inLanguageNote } from './activities';
import { currentLanguage } from './i18n';

/** The language the hub's one-language records are written in. */
export const RECORDS_LANGUAGE = 'en';

/**
 * Attributes for an element that shows a record's text: `lang` and `dir="auto"` (the direction
 * of the text itself) when the reader's language is not the records'; none when it is.
 */
export function recordText(): { lang?: string; dir?: 'auto' } {
  return currentLanguage() === RECORDS_LANGUAGE ? {} : { lang: RECORDS_LANGUAGE, dir: 'auto' };
}

/**
 * A record's text in a run of the reader's words (a member's name, a theme; in a sentence through
 * ui.tsx's Rich): a span marked as recordText says, so it keeps its own direction.
 */
export function InRecords({ children }: { children: ComponentChildren }) {
  const attrs = recordText();
  return attrs.lang ? <span {...attrs}>{children}</span> : <>{children}</>;
}

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

/** Records' texts listed in the reader's words (themes: `Labour migration، Remittances`), each marked, joined by `separator`. */
export function InRecordsList({ texts, separator }: { texts: string[]; separator: string }) {
  return (
    <>
      {texts.map((text, i) => (
        <Fragment key={i}>
          {i > 0 && separator}
          <InRecords>{text}</InRecords>
        </Fragment>
      ))}
    </>
  );
}
