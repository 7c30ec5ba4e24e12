// Pages are loaded on first use, each with the catalogue areas it shows (i18n.ts): the first
// paint of a page waits for its code and its words, and no other page's.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { areasReady, currentLanguage, loadAreas, retainAreas, t, type Area } from './i18n';
import { ErrorBox, Loading } from './ui';

/** A page component that can also be fetched ahead of showing it (its code and its areas). */
export type LazyPage<P extends object> = ComponentType<P> & { preload(): Promise<unknown> };

/**
 * A page whose code is `load()`ed on first use and which renders once that code and the
 * catalogue `areas` it shows (beyond the core) are in, for the language in force. While shown,
 * its areas are "in use": a language change fetches them before switching.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>, areas: readonly Area[]): LazyPage<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  function loadCode(): Promise<ComponentType<P>> {
    pending ??= load().then(
      (c) => (loaded = c),
      (e) => {
        pending = null; // try again on the next visit
        throw e;
      },
    );
    return pending;
  }
  const preload = () => Promise.all([loadCode(), loadAreas(areas)]);

  function LazyPage(props: P) {
    const [, setTick] = useState(0);
    const [error, setError] = useState<unknown>(null);
    const language = currentLanguage();
    useEffect(() => retainAreas(areas), []);
    const ready = loaded !== null && areasReady(areas);
    useEffect(() => {
      if (ready) return;
      let live = true;
      setError(null);
      preload().then(
        () => live && setTick((n) => n + 1),
        (e) => live && setError(e),
      );
      return () => {
        live = false;
      };
    }, [ready, language]);
    if (error) return <ErrorBox error={error} title={t('shell.pageLoadFailed')} />;
    const Page = loaded;
    return Page && ready ? <Page {...props} /> : <Loading what={t('shell.loadingPage')} />;
  }
  return Object.assign(LazyPage, { preload });
}
