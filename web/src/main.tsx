import { render } from 'preact';
import { App, preloadRoute } from './app';
import { activate, initialLanguage } from './i18n';
import './styles.css';

const root = document.getElementById('app')!;
// The reader's language (its core catalogue) and the page asked for (its code and catalogue
// areas) are fetched side by side before the first paint, so that it is already the page, in
// that language; if the language's fetch fails the app starts in English.
Promise.all([activate(initialLanguage()).catch(() => activate('en')), preloadRoute(location.pathname).catch(() => {})])
  .catch(() => {})
  .finally(() => {
    root.textContent = ''; // drop the "Loading…" placeholder from index.html
    render(<App />, root);
  });
