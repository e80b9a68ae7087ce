import type { ApiApp, RouteDeps } from '../http/types.js';
import { registerAuditRoutes } from './audit/routes.js';
import { registerExportRoutes } from './export/routes.js';
import { registerInvestigationRoutes } from './investigations/routes.js';
import { registerUserRoutes } from './users/routes.js';

/** Every feature's routes, mounted under /api/v1. A new feature adds one line here. */
export function registerFeatureRoutes(app: ApiApp, deps: RouteDeps): void {
  registerUserRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerInvestigationRoutes(app, deps);
  registerExportRoutes(app, deps);
}
