// The people's guide (docs/guide/, Markdown rendered to HTML at build time by vite-guide.mjs):
// /help is its index, /help/<page> a part, /help/<page>#<section> a section. Each part is its
// own chunk, in the reader's language when the guide has it, else in English (and said so).
import { useEffect, useRef, useState } from 'preact/hooks';
import { LANGUAGES, currentLanguage, t, type Language } from '../i18n';
import { GUIDE_PAGES, guideHref, isGuidePage, type GuidePage } from '../guide';
import { Link, navigate } from '../router';
import { ErrorBox, Loading, usePageTitle } from '../ui';

const sources = import.meta.glob<string>('../../../docs/guide/**/*.md', { query: '?guide', import: 'default' });

/** The guide page in `lang`, else in English; with the language it is in. */
function pick(page: GuidePage, lang: Language): { load: () => Promise<string>; lang: Language } {
  const translated = sources[`../../../docs/guide/${lang}/${page}.md`];
  if (lang !== 'en' && translated) return { load: translated, lang };
  return { load: sources[`../../../docs/guide/${page}.md`], lang: 'en' };
}

type Shown = { key: string; html: string; lang: Language };

export function HelpPage({ page }: { page: string }) {
  const lang = currentLanguage();
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<unknown>(null);
  const article = useRef<HTMLElement>(null);
  const key = `${lang}/${page}`;
  const title = shown?.key === key ? /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(shown.html)?.[1].replace(/<[^>]+>/g, '') : undefined;
  usePageTitle(isGuidePage(page) ? title : t('help.notFound'));

  useEffect(() => {
    if (!isGuidePage(page)) return;
    let live = true;
    setError(null);
    const source = pick(page, lang);
    source.load().then(
      (html) => live && setShown({ key, html, lang: source.lang }),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [key]);

  // Once the part is shown, take the reader to the section the address names. After an in-app
  // navigation the shell first focuses the page's h1; the section heading follows it.
  useEffect(() => {
    if (shown?.key !== key || !location.hash) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      const h1 = article.current?.querySelector('h1');
      const active = document.activeElement;
      const shellDone = active === h1 || (Date.now() - started > 300 && (active === document.body || active === null));
      if (!target || Date.now() - started > 2000) {
        clearInterval(timer);
      } else if (shellDone) {
        clearInterval(timer);
        target.tabIndex = -1;
        target.focus();
      }
    }, 50);
    return () => clearInterval(timer);
  }, [shown, key]);

  if (!isGuidePage(page)) {
    return (
      <section>
        <h1>{t('help.notFound')}</h1>
        <p>
          <Link href="/help">{t('help.toIndex')}</Link>
        </p>
      </section>
    );
  }

  // Links inside the guide go through the router (no reload); a link to a section of the part
  // on screen focuses that section.
  function onClick(e: MouseEvent) {
    const a = (e.target as Element).closest?.('a');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/help')) return;
    e.preventDefault();
    if (url.pathname === location.pathname) {
      history.pushState(null, '', url.hash || url.pathname);
      const target = url.hash ? document.getElementById(decodeURIComponent(url.hash.slice(1))) : null;
      if (target) {
        target.tabIndex = -1;
        target.focus();
      }
      return;
    }
    navigate(url.pathname + url.hash);
  }

  const languageName = LANGUAGES.find((l) => l.code === lang)?.name ?? lang;
  return (
    <div class="guide-layout">
      {error ? <ErrorBox error={error} title={t('help.loadFailed')} /> : null}
      {shown?.key === key ? (
        <>
          {shown.lang !== lang && (
            <p class="note" data-testid="guide-in-english">
              {t('help.inEnglish', { language: languageName })}
            </p>
          )}
          <article ref={article} class="guide" lang={shown.lang} data-testid="guide" onClick={onClick} dangerouslySetInnerHTML={{ __html: shown.html }} />
        </>
      ) : (
        !error && <Loading what={t('help.loading')} />
      )}
      <nav class="guide-parts" aria-label={t('help.parts')}>
        <ul>
          {GUIDE_PAGES.map((p) => (
            <li key={p}>
              <Link href={guideHref(p)} aria-current={p === page ? 'page' : undefined}>
                {t(`help.page.${p}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
