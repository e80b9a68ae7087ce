import { useCallback, useEffect, useState } from 'react';
import { api, call, readAllPages, signedOutEvent, type Me } from './api/client';
import { Layout } from './components/Layout';
import { ErrorNotice, Loading } from './components/ui';
import { useLoad } from './hooks';
import { useI18n } from './i18n/i18n';
import { keepFocusAboveSaveBar } from './components/keepFocusAboveSaveBar';
import { resumeAfterSignIn, startAutoSync } from './offline/controller';
import { useVaultState } from './offline/hooks';
import { offlineReads } from './offline/localReads';
import { OfflineGate } from './offline/OfflineScreens';
import { OutboxStatus } from './offline/OutboxStatus';
import { vault } from './offline/vault';
import { SignInPage } from './screens/sign-in/SignInScreen';
import { Link, paths, useLocation } from './router';
import { renderRoute, type RouteContext } from './routes';

// Reads are kept (encrypted) for offline use and served from the device when the server cannot be reached.
api.use(offlineReads);

function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to={paths.home()}>{t('notFound.home')}</Link>
      </p>
    </section>
  );
}

function Routes(context: RouteContext) {
  const { path } = useLocation();
  return renderRoute(path, context) ?? <NotFoundPage />;
}

function SignedIn({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const { path } = useLocation();
  // Read again once offline use is unlocked, so the list is kept for offline starts.
  const vaultState = useVaultState();
  const investigations = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(api.GET('/api/v1/investigations', { params: { query: { limit: 500, after } } })),
        )
      ).rows,
    [vaultState === 'unlocked'],
  );
  const investigationId = path.startsWith('/investigations/') ? path.split('/')[2] : undefined;
  return (
    <Layout me={me} investigations={investigations.data ?? []} investigationId={investigationId} onSignOut={onSignOut}>
      {investigations.error !== undefined ? (
        <ErrorNotice error={investigations.error} />
      ) : investigations.data === undefined ? (
        <Loading />
      ) : (
        <Routes me={me} investigations={investigations.data} onInvestigationsChanged={investigations.reload} />
      )}
    </Layout>
  );
}

function AppContent() {
  // undefined: not known yet; null: signed out.
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  // Tab never leaves the user typing into a field hidden behind a sticky save bar.
  useEffect(() => keepFocusAboveSaveBar(document), []);

  useEffect(() => {
    startAutoSync();
    call(api.GET('/api/v1/auth/me')).then(setMe, () => setMe(null));
    const onSignedOut = () => setMe(null);
    window.addEventListener(signedOutEvent, onSignedOut);
    return () => window.removeEventListener(signedOutEvent, onSignedOut);
  }, []);

  // Once offline use is unlocked (or set up) the signed-in user is read again, so it is kept for offline starts.
  const vaultState = useVaultState();
  useEffect(() => {
    if (vaultState === 'unlocked') void call(api.GET('/api/v1/auth/me')).catch(() => undefined);
  }, [vaultState]);

  const signOut = useCallback(() => {
    // Unsent records stay on the device, encrypted; only the key leaves memory.
    vault.lock();
    void api.POST('/api/v1/auth/sign-out').finally(() => setMe(null));
  }, []);

  const signedIn = useCallback((next: Me) => {
    setMe(next);
    resumeAfterSignIn();
  }, []);

  if (me === undefined) return <Loading />;
  if (me === null)
    return (
      <>
        <OutboxStatus offerSetUp={false} />
        <SignInPage onSignedIn={signedIn} />
      </>
    );
  return <SignedIn me={me} onSignOut={signOut} />;
}

/** The app, behind the offline store's unlock screen when this device keeps offline records. */
export function App() {
  return (
    <OfflineGate>
      <AppContent />
    </OfflineGate>
  );
}
