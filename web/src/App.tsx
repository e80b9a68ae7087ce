import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, call, readAllPages, signedOutEvent, type Investigation, type Me } from './api/client';
import { Layout } from './components/Layout';
import { ErrorNotice, Loading } from './components/ui';
import { useLoad } from './hooks';
import { useI18n } from './i18n/i18n';
import { keepFocusAboveSaveBar } from './components/keepFocusAboveSaveBar';
import { resumeAfterSignIn, startAutoSync } from './offline/controller';
import { useVaultState } from './offline/hooks';
import { offlineReads } from './offline/localReads';
import { OfflineGate } from './offline/OfflineScreens';
import { OutboxPage } from './offline/OutboxPage';
import { OutboxStatus } from './offline/OutboxStatus';
import { vault } from './offline/vault';
import { AnalysisPage } from './screens/analysis/AnalysisScreen';
import { HomePage } from './pages/HomePage';
import { ItemCapturePage } from './pages/ItemCapturePage';
import { ItemPage } from './pages/ItemPage';
import { OverviewPage } from './pages/OverviewPage';
import { SearchPage } from './pages/SearchPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';
import { SitePage } from './pages/SitePage';
import { tracingRoute } from './screens/trace-requests/routes';
import { Link, matchPath, paths, registerRoutes, useLocation } from './router';
import { MembersScreen } from './screens/people/MembersScreen';
import { UsersScreen } from './screens/people/UsersScreen';
import { AuditLogScreen } from './screens/audit-log/AuditLogScreen';
import { DownloadsScreen } from './screens/downloads/DownloadsScreen';
import { ImportScreen } from './screens/import/ImportScreen';
import { VerifyScreen } from './screens/verify/VerifyScreen';

// Reads are kept (encrypted) for offline use and served from the device when the server cannot be reached.
api.use(offlineReads);

// Leaflet and the basemap are only loaded when the map is opened.
const MapPage = lazy(() => import('./pages/MapPage'));

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

function Routes({ me, investigations, onInvestigationsChanged }: RoutesProps) {
  const { path } = useLocation();
  let match: Record<string, string> | undefined;
  if (path === '/') return <HomePage investigations={investigations} onCreated={onInvestigationsChanged} />;
  if (path === paths.settings()) return <SettingsPage />;
  if (path === paths.outbox()) return <OutboxPage />;
  if (path === paths.users()) return <UsersScreen />;
  if ((match = matchPath('/investigations/:id', path))) return <OverviewPage investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/map', path)))
    return (
      <Suspense fallback={<Loading />}>
        <MapPage investigationId={match.id!} />
      </Suspense>
    );
  if ((match = matchPath('/investigations/:id/search', path))) return <SearchPage investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/analysis', path))) return <AnalysisPage investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/members', path))) return <MembersScreen investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/sites/:siteId', path)))
    return <SitePage investigationId={match.id!} siteId={match.siteId!} />;
  if ((match = matchPath('/investigations/:id/sites/:siteId/items/new', path)))
    return <ItemCapturePage investigationId={match.id!} siteId={match.siteId!} />;
  if ((match = matchPath('/investigations/:id/items/:itemId', path)))
    return <ItemPage investigationId={match.id!} itemId={match.itemId!} />;
  for (const { pattern, Screen } of registerRoutes) {
    if ((match = matchPath(pattern, path)))
      return (
        <Suspense fallback={<Loading />}>
          <Screen key={path} investigationId={match.id!} recordId={match.recordId ?? ''} />
        </Suspense>
      );
  }
  const tracing = tracingRoute(path);
  if (tracing !== undefined) return tracing;
  if ((match = matchPath('/investigations/:id/import', path))) return <ImportScreen investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/downloads', path)))
    return <DownloadsScreen investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/audit', path))) return <AuditLogScreen investigationId={match.id!} />;
  if (path === paths.verify()) return <VerifyScreen me={me} />;
  return <NotFoundPage />;
}

interface RoutesProps {
  me: Me;
  investigations: Investigation[];
  onInvestigationsChanged: () => void;
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
