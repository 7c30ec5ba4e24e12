import { render } from 'preact';
import { App } from './app';
import { activate, initialLanguage } from './i18n';
import './styles.css';

const root = document.getElementById('app')!;
// The reader's language first (a non-English catalogue is one small fetch), so the first paint
// is already in it; if that fetch fails the app starts in English.
activate(initialLanguage())
  .catch(() => activate('en'))
  .finally(() => {
    root.textContent = ''; // drop the "Loading…" placeholder from index.html
    render(<App />, root);
  });
