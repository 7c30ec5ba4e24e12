import { render } from 'preact';
import { App, preloadRoute } from './app';
import { activate, initialLanguage } from './i18n';
import './styles.css';

const root = document.getElementById('app')!;
// The reader's language first (a non-English core catalogue is one small fetch), so the first
// paint is already in it; if that fetch fails the app starts in English. The page asked for
// (its code and catalogue areas) is fetched meanwhile, side by side, and shows as soon as it is
// in (lazy.tsx) — the header does not wait for it.
// (activate() first: from its first line on, areas are fetched in the language it switches to.)
const started = activate(initialLanguage());
preloadRoute(location.pathname).catch(() => {}); // a failure shows on the page (lazy.tsx)
started
  .catch(() => activate('en'))
  .finally(() => {
    root.textContent = ''; // drop the "Loading…" placeholder from index.html
    render(<App />, root);
  });
