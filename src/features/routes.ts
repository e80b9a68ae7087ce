import type { ApiApp, RouteDeps } from '../http/types.js';
import type { Config } from '../config/config.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import type { JobQueue, PeriodicJob } from '../jobs/index.js';
import { registerAuditJobs } from './audit/jobs.js';
import { registerBagJobs } from './bags/jobs.js';
import { registerActorRoutes } from './actors/routes.js';
import { registerAnalysisRoutes } from './analysis/routes.js';
import { registerAuditRoutes, registerInvestigationAuditRoutes } from './audit/routes.js';
import { registerBagRoutes } from './bags/routes.js';
import { registerCustodyRoutes } from './custody/routes.js';
import { registerExportRoutes } from './export/routes.js';
import { registerFormRoutes } from './forms/routes.js';
import { registerImportJobs } from './imports/jobs.js';
import { registerImportRoutes } from './imports/routes.js';
import { registerIncidentRoutes } from './incidents/routes.js';
import { registerInvestigationRoutes } from './investigations/routes.js';
import { registerItemRoutes } from './items/routes.js';
import { registerJobRoutes } from './jobs/routes.js';
import { registerMarkingGroupRoutes } from './marking-groups/routes.js';
import { registerMarkingSearchRoutes } from './marking-search/routes.js';
import { registerMarkingRecordRoutes, registerMarkingRoutes } from './markings/routes.js';
import { verifyMediaFiles } from './media/originals.js';
import { derivativesSweep, queuePendingDerivatives, registerMediaJobs } from './media/derivative-jobs.js';
import { registerMediaRoutes } from './media/routes.js';
import { registerReportJobs } from './report/jobs.js';
import { registerReportRoutes } from './report/routes.js';
import { registerReferenceTransferRoutes } from './reference-transfers/routes.js';
import { registerSigningRoutes } from './signing/routes.js';
import { registerReviewRoutes } from './review/routes.js';
import { registerSensitivityRoutes } from './sensitivity/routes.js';
import { registerSiteRoutes } from './sites/routes.js';
import { registerSourceRoutes } from './sources/routes.js';
import { registerSyncRoutes } from './sync/routes.js';
import { registerProvenanceRoutes } from './provenance/routes.js';
import { registerTraceRequestFollowUpRoutes, registerTraceRequestRoutes } from './trace-requests/routes.js';
import { registerUserRoutes } from './users/routes.js';

/** Who is acting, for the authentication hook: the users feature's sessions and API tokens. */
export { usersAuthentication as featureAuthentication } from './users/authentication.js';

/**
 * Every feature's jobs (work run in the background, src/jobs/), named on the queue where the program is
 * assembled (`armtrace serve`, a CLI session that waits for its job, a test). A feature with long work adds one
 * line here.
 */
export function registerFeatureJobs(queue: JobQueue, deps: { config: Config }): void {
  registerReportJobs(queue);
  registerImportJobs(queue);
  registerBagJobs(queue, deps);
  registerMediaJobs(queue, deps);
  // Composed here, as for GET /audit/verify: verify re-hashes the files the media records refer to.
  registerAuditJobs(queue, {
    config: deps.config,
    checkStoredFilesOf: (db, store) => (onProgress) => verifyMediaFiles(db, store, onProgress),
  });
}

/**
 * Work left waiting by a process that stopped, queued again when `armtrace serve` has started its queue: media
 * derivatives still pending with no job (the CLI added the file without a server and was stopped, or a server
 * stopped between an upload's commit and its enqueue).
 */
export async function queueWaitingFeatureWork(db: Kysely<DB>, queue: JobQueue): Promise<number> {
  return queuePendingDerivatives(db, queue);
}

/**
 * The features' periodic jobs, asked for by `armtrace serve` at start and every interval (`startPeriodicJob`, run
 * once per interval across servers): the sweep of media derivatives left pending with no job.
 */
export function featurePeriodicJobs(): PeriodicJob[] {
  return [derivativesSweep()];
}

/** Every feature's routes, mounted under /api/v1. A new feature adds one line here. */
export function registerFeatureRoutes(app: ApiApp, deps: RouteDeps): void {
  registerUserRoutes(app, deps);
  registerItemRoutes(app, deps);
  registerMarkingRoutes(app, deps);
  registerMarkingSearchRoutes(app, deps);
  registerMarkingGroupRoutes(app, deps);
  // After search and the groups, so that the OpenAPI document keeps its order of paths.
  registerMarkingRecordRoutes(app, deps);
  registerCustodyRoutes(app, deps);
  registerSourceRoutes(app, deps);
  registerMediaRoutes(app, deps);
  registerIncidentRoutes(app, deps);
  registerActorRoutes(app, deps);
  registerTraceRequestRoutes(app, deps);
  registerProvenanceRoutes(app, deps);
  // After provenance, so that the OpenAPI document keeps its order of paths.
  registerTraceRequestFollowUpRoutes(app, deps);
  registerReferenceTransferRoutes(app, deps);
  registerAnalysisRoutes(app, deps);
  registerReportRoutes(app, deps);
  // Composed here, so that audit needs no media: verify re-hashes the files the media records refer to.
  registerAuditRoutes(app, deps, {
    checkStoredFiles: (onProgress) => verifyMediaFiles(deps.db, deps.store, onProgress),
  });
  registerInvestigationRoutes(app, deps);
  registerSensitivityRoutes(app, deps);
  registerInvestigationAuditRoutes(app, deps);
  registerExportRoutes(app, deps);
  registerBagRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerSiteRoutes(app, deps);
  registerSyncRoutes(app, deps);
  registerSigningRoutes(app, deps);
  registerFormRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerJobRoutes(app, deps);
}
