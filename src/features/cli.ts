import type { Command } from 'commander';
import { registerAuditCommands } from './audit/cli.js';
import { registerExportCommands } from './export/cli.js';
import { registerInvestigationCommands } from './investigations/cli.js';
import { registerUserCommands } from './users/cli.js';

/** Every feature's commands. A new feature adds one line here. */
export function registerFeatureCommands(program: Command): void {
  registerUserCommands(program);
  registerInvestigationCommands(program);
  registerAuditCommands(program);
  registerExportCommands(program);
}
