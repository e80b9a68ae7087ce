import type { Command } from 'commander';
import { registerActorCommands } from './actors/cli.js';
import { registerAnalysisCommands } from './analysis/cli.js';
import { registerAuditCommands } from './audit/cli.js';
import { registerBagCommands } from './bags/cli.js';
import { registerCustodyCommands } from './custody/cli.js';
import { registerDemoCommands } from './demo/cli.js';
import { registerExportCommands } from './export/cli.js';
import { registerFormCommands } from './forms/cli.js';
import { registerImportCommands } from './imports/cli.js';
import { registerIncidentCommands } from './incidents/cli.js';
import { registerInvestigationCommands } from './investigations/cli.js';
import { registerItemCommands } from './items/cli.js';
import { registerJobCommands } from './jobs/cli.js';
import { registerMarkingGroupCommands } from './marking-groups/cli.js';
import { registerMarkingSearchCommands } from './marking-search/cli.js';
import { registerMarkingCommands } from './markings/cli.js';
import { registerMediaCommands } from './media/cli.js';
import { verifyMediaFiles } from './media/originals.js';
import { registerReferenceTransferCommands } from './reference-transfers/cli.js';
import { registerReportCommands } from './report/cli.js';
import { registerSigningCommands } from './signing/cli.js';
import { registerReviewCommands } from './review/cli.js';
import { registerSensitivityCommands } from './sensitivity/cli.js';
import { registerSiteCommands } from './sites/cli.js';
import { registerSourceCommands } from './sources/cli.js';
import { registerProvenanceCommands } from './provenance/cli.js';
import { registerTraceRequestCommands } from './trace-requests/cli.js';
import { registerUserCommands } from './users/cli.js';

/** Every feature's commands. A new feature adds one line here. */
export function registerFeatureCommands(program: Command): void {
  registerUserCommands(program);
  registerItemCommands(program);
  registerMarkingCommands(program);
  registerMarkingSearchCommands(program);
  registerMarkingGroupCommands(program);
  registerImportCommands(program);
  registerCustodyCommands(program);
  registerSourceCommands(program);
  registerMediaCommands(program);
  registerIncidentCommands(program);
  registerActorCommands(program);
  registerTraceRequestCommands(program);
  registerProvenanceCommands(program);
  registerReferenceTransferCommands(program);
  registerAnalysisCommands(program);
  registerReportCommands(program);
  registerInvestigationCommands(program);
  // Composed here, so that audit needs no media: verify re-hashes the files the media records refer to.
  registerAuditCommands(program, {
    checkStoredFiles:
      ({ db, store }) =>
      (onProgress) =>
        verifyMediaFiles(db, store, onProgress),
  });
  registerExportCommands(program);
  registerDemoCommands(program);
  registerSiteCommands(program);
  registerBagCommands(program);
  registerFormCommands(program);
  registerSigningCommands(program);
  registerReviewCommands(program);
  registerJobCommands(program);
  registerSensitivityCommands(program);
}
