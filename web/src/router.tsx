import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A few lines of history-API routing (no nested layouts); the route table itself is web/src/routes.tsx.

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

const currentLocation = () => `${window.location.pathname}${window.location.search}`;

/** The current path and query, re-rendering on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, currentLocation);
  const [path = '/', search = ''] = location.split('?');
  return { path, query: new URLSearchParams(search) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * Matches `/sites/:id`-style patterns; returns the named parts or undefined.
 *
 * @example
 * matchPath('/investigations/:id/map', '/investigations/42/map') // { id: '42' }
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

/** An ordinary link that navigates inside the app without reloading it. */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handleClick} {...rest} />;
}

export const paths = {
  home: () => '/',
  settings: () => '/settings',
  users: () => '/settings/users',
  outbox: () => '/outbox',
  overview: (investigationId: string) => `/investigations/${investigationId}`,
  map: (investigationId: string, layer?: 'craft') =>
    `/investigations/${investigationId}/map${layer === undefined ? '' : `?layer=${layer}`}`,
  analysis: (investigationId: string) => `/investigations/${investigationId}/analysis`,
  members: (investigationId: string) => `/investigations/${investigationId}/members`,
  sensitivity: (investigationId: string) => `/investigations/${investigationId}/sensitivity`,
  /** `kind` narrows the markings; `everywhere` searches markings in every investigation the user can read. */
  search: (investigationId: string, q?: string, filters: { kind?: string; everywhere?: boolean } = {}) => {
    const query = new URLSearchParams();
    if (q !== undefined && q !== '') query.set('q', q);
    if (filters.kind !== undefined && filters.kind !== '') query.set('kind', filters.kind);
    if (filters.everywhere === true) query.set('scope', 'all');
    const search = query.toString();
    return `/investigations/${investigationId}/search${search === '' ? '' : `?${search}`}`;
  },
  site: (investigationId: string, siteId: string) => `/investigations/${investigationId}/sites/${siteId}`,
  newItem: (investigationId: string, siteId: string) => `/investigations/${investigationId}/sites/${siteId}/items/new`,
  item: (investigationId: string, itemId: string) => `/investigations/${investigationId}/items/${itemId}`,
  // Registers of an investigation (issue 11, items 4–6).
  actors: (investigationId: string) => `/investigations/${investigationId}/actors`,
  actor: (investigationId: string, actorId: string) => `/investigations/${investigationId}/actors/${actorId}`,
  sources: (investigationId: string) => `/investigations/${investigationId}/sources`,
  source: (investigationId: string, sourceId: string) => `/investigations/${investigationId}/sources/${sourceId}`,
  incidents: (investigationId: string) => `/investigations/${investigationId}/incidents`,
  incident: (investigationId: string, incidentId: string) =>
    `/investigations/${investigationId}/incidents/${incidentId}`,
  importItems: (investigationId: string) => `/investigations/${investigationId}/import`,
  importForms: (investigationId: string) => `/investigations/${investigationId}/import/forms`,
  downloads: (investigationId: string) => `/investigations/${investigationId}/downloads`,
  auditLog: (investigationId: string, filters: Record<string, string> = {}) => {
    const search = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== '')).toString();
    return `/investigations/${investigationId}/audit${search === '' ? '' : `?${search}`}`;
  },
  verify: () => '/verify',
  reviewQueue: (investigationId: string) => `/investigations/${investigationId}/review`,
};

/** What a register screen is given: the investigation, and the record for a record's own screen. */
export interface RegisterScreenProps {
  investigationId: string;
  recordId: string;
}
