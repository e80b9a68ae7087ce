// The one route table of the web app: every screen, its path pattern, and what it is given. The first pattern
// that matches wins, so a fixed segment (`…/trace-requests/new`) comes before a parameter in the same place.
import { lazy, Suspense, type ReactElement } from 'react';
import type { Investigation, Me } from './api/client';
import { Loading } from './components/ui';
import { OutboxPage } from './screens/outbox/OutboxScreen';
import { ItemCapturePage } from './screens/capture/CaptureScreen';
import { ItemPage } from './screens/item/ItemScreen';
import { SettingsPage } from './screens/account/SettingsScreen';
import { SitePage } from './screens/site/SiteScreen';
import { matchPath } from './router';
import { AnalysisPage } from './screens/analysis/AnalysisScreen';
import { AuditLogScreen } from './screens/audit-log/AuditLogScreen';
import { DownloadsScreen } from './screens/downloads/DownloadsScreen';
import { HomePage } from './screens/home/HomeScreen';
import { ImportScreen } from './screens/import/ImportScreen';
import { FormsImportScreen } from './screens/forms-import/FormsImportScreen';
import { OverviewPage } from './screens/overview/OverviewScreen';
import { MembersScreen } from './screens/people/MembersScreen';
import { UsersScreen } from './screens/people/UsersScreen';
import { LotPage } from './screens/provenance/LotPage';
import { LotsPage } from './screens/provenance/LotsPage';
import { SearchPage } from './screens/search/SearchScreen';
import { NewTraceRequestPage } from './screens/trace-requests/NewTraceRequestPage';
import { TraceRequestPage } from './screens/trace-requests/TraceRequestPage';
import { TraceRequestsPage } from './screens/trace-requests/TraceRequestsPage';
import { VerifyScreen } from './screens/verify/VerifyScreen';
import { ReviewQueueScreen } from './screens/review/ReviewQueueScreen';
import { SensitivityPage } from './screens/sensitivity/SensitivityScreen';

/** What every screen may need beyond its path: the signed-in user and their investigations. */
export interface RouteContext {
  me: Me;
  investigations: Investigation[];
  onInvestigationsChanged: () => void;
}

type Params = Record<string, string>;

interface Route {
  pattern: string;
  render: (params: Params, context: RouteContext) => ReactElement;
}

// Screens loaded on first use: the map (Leaflet and the basemap) and the registers.
const MapPage = lazy(() => import('./screens/map/MapScreen'));
const ActorsScreen = lazy(() => import('./screens/actors/ActorsScreen'));
const ActorScreen = lazy(() => import('./screens/actor/ActorScreen'));
const SourcesScreen = lazy(() => import('./screens/sources/SourcesScreen'));
const SourceScreen = lazy(() => import('./screens/source/SourceScreen'));
const IncidentsScreen = lazy(() => import('./screens/incidents/IncidentsScreen'));
const IncidentScreen = lazy(() => import('./screens/incident/IncidentScreen'));

function loadedLater(element: ReactElement): ReactElement {
  return <Suspense fallback={<Loading />}>{element}</Suspense>;
}

const investigation = '/investigations/:id';

export const routes: Route[] = [
  {
    pattern: '/',
    render: (_, { investigations, onInvestigationsChanged }) => (
      <HomePage investigations={investigations} onCreated={onInvestigationsChanged} />
    ),
  },
  { pattern: '/settings', render: () => <SettingsPage /> },
  { pattern: '/settings/users', render: () => <UsersScreen /> },
  { pattern: '/outbox', render: () => <OutboxPage /> },
  { pattern: '/verify', render: (_, { me }) => <VerifyScreen me={me} /> },
  { pattern: investigation, render: ({ id }) => <OverviewPage investigationId={id!} /> },
  { pattern: `${investigation}/map`, render: ({ id }) => loadedLater(<MapPage investigationId={id!} />) },
  { pattern: `${investigation}/search`, render: ({ id }) => <SearchPage investigationId={id!} /> },
  { pattern: `${investigation}/analysis`, render: ({ id }) => <AnalysisPage investigationId={id!} /> },
  { pattern: `${investigation}/members`, render: ({ id }) => <MembersScreen investigationId={id!} /> },
  { pattern: `${investigation}/sensitivity`, render: ({ id }) => <SensitivityPage investigationId={id!} /> },
  {
    pattern: `${investigation}/sites/:siteId`,
    render: ({ id, siteId }) => <SitePage investigationId={id!} siteId={siteId!} />,
  },
  {
    pattern: `${investigation}/sites/:siteId/items/new`,
    render: ({ id, siteId }) => <ItemCapturePage investigationId={id!} siteId={siteId!} />,
  },
  {
    pattern: `${investigation}/items/:itemId`,
    render: ({ id, itemId }) => <ItemPage investigationId={id!} itemId={itemId!} />,
  },
  { pattern: `${investigation}/trace-requests`, render: ({ id }) => <TraceRequestsPage investigationId={id!} /> },
  {
    pattern: `${investigation}/trace-requests/new`,
    render: ({ id }) => <NewTraceRequestPage investigationId={id!} />,
  },
  {
    pattern: `${investigation}/trace-requests/:requestId`,
    render: ({ id, requestId }) => <TraceRequestPage key={requestId} investigationId={id!} requestId={requestId!} />,
  },
  { pattern: `${investigation}/lots`, render: ({ id }) => <LotsPage investigationId={id!} /> },
  { pattern: `${investigation}/lots/view`, render: ({ id }) => <LotPage investigationId={id!} /> },
  {
    pattern: `${investigation}/actors`,
    render: ({ id }) => loadedLater(<ActorsScreen investigationId={id!} recordId="" />),
  },
  {
    pattern: `${investigation}/actors/:recordId`,
    render: ({ id, recordId }) =>
      loadedLater(<ActorScreen key={recordId} investigationId={id!} recordId={recordId!} />),
  },
  {
    pattern: `${investigation}/sources`,
    render: ({ id }) => loadedLater(<SourcesScreen investigationId={id!} recordId="" />),
  },
  {
    pattern: `${investigation}/sources/:recordId`,
    render: ({ id, recordId }) =>
      loadedLater(<SourceScreen key={recordId} investigationId={id!} recordId={recordId!} />),
  },
  {
    pattern: `${investigation}/incidents`,
    render: ({ id }) => loadedLater(<IncidentsScreen investigationId={id!} recordId="" />),
  },
  {
    pattern: `${investigation}/incidents/:recordId`,
    render: ({ id, recordId }) =>
      loadedLater(<IncidentScreen key={recordId} investigationId={id!} recordId={recordId!} />),
  },
  { pattern: `${investigation}/import`, render: ({ id }) => <ImportScreen investigationId={id!} /> },
  { pattern: `${investigation}/import/forms`, render: ({ id }) => <FormsImportScreen investigationId={id!} /> },
  { pattern: `${investigation}/downloads`, render: ({ id }) => <DownloadsScreen investigationId={id!} /> },
  { pattern: `${investigation}/audit`, render: ({ id }) => <AuditLogScreen investigationId={id!} /> },
  { pattern: `${investigation}/review`, render: ({ id }) => <ReviewQueueScreen investigationId={id!} /> },
];

/**
 * The screen for a path, or undefined when no route matches.
 *
 * @example
 * renderRoute('/investigations/42/map', context) // the map screen of investigation 42
 */
export function renderRoute(path: string, context: RouteContext): ReactElement | undefined {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params !== undefined) return route.render(params, context);
  }
  return undefined;
}
