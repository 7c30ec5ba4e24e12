// Pages that few visitors open (the activity form, the IATI import, the themes admin) are
// loaded on first use, so the first paint of every other page does not wait for their code.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { ErrorBox, Loading } from './ui';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyPage(props: P) {
    const [, setTick] = useState(0);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (loaded) return;
      pending ??= load();
      let live = true;
      pending.then(
        (c) => {
          loaded = c;
          if (live) setTick((t) => t + 1);
        },
        (e) => {
          pending = null; // try again on the next visit
          if (live) setError(e);
        },
      );
      return () => {
        live = false;
      };
    }, []);
    if (error) return <ErrorBox error={error} title={t('shell.pageLoadFailed')} />;
    const Page = loaded;
    return Page ? <Page {...props} /> : <Loading what={t('shell.loadingPage')} />;
  };
}
