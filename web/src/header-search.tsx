// The header's search box (every page): its words go to /search (pages/search.tsx), the one
// search over the GMG's work. Only the core catalogue's `shell.` messages, so it costs the
// first page nothing.
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { navigate, useLocation } from './router';

/** The search page's address for words `q` narrowed to `kind` ("" = every kind). */
export function searchPath(q: string, kind: string): string {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (kind) p.set('kind', kind);
  const s = p.toString();
  return s ? `/search?${s}` : '/search';
}

/** The header's search box: sends its words to /search. */
export function HeaderSearch() {
  const { path, search } = useLocation();
  const [text, setText] = useState(path === '/search' ? (search.get('q') ?? '') : '');
  useEffect(() => {
    if (path !== '/search') setText('');
  }, [path]);
  return (
    <form
      role="search"
      class="header-search"
      aria-label={t('shell.search.label')}
      onSubmit={(e) => {
        e.preventDefault();
        const q = text.trim();
        if (q) navigate(searchPath(q, ''));
      }}
    >
      <input type="search" name="q" value={text} maxLength={200} aria-label={t('shell.search.label')} placeholder={t('shell.search.placeholder')} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} data-testid="header-search" />
    </form>
  );
}
