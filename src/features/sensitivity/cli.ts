import { InvalidArgumentError, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson } from '../../cli/output.js';
import {
  grantableRoles,
  sensitivityLevels,
  type GrantableRole,
  type SensitivityLevel,
  type SensitivitySettings,
} from './schema.js';
import * as service from './service.js';

function readLevel(value: string): SensitivityLevel {
  if (!(sensitivityLevels as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`give one of ${sensitivityLevels.join(', ')}`);
  }
  return value as SensitivityLevel;
}

function readRole(value: string): GrantableRole {
  if (!(grantableRoles as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`give one of ${grantableRoles.join(', ')} (owners always see restricted records)`);
  }
  return value as GrantableRole;
}

function printSettings(settings: SensitivitySettings, json: boolean | undefined): void {
  if (json === true) return printJson(settings);
  const reason = settings.default_sensitivity_reason === null ? '' : ` (${settings.default_sensitivity_reason})`;
  const roles = settings.restricted_roles.map((grant) => grant.role);
  process.stdout.write(
    `Default sensitivity: ${settings.default_sensitivity}${reason}\n` +
      `Restricted records seen by: owner${roles.length === 0 ? '' : `, ${roles.join(', ')}`}\n` +
      `Your clearance: ${settings.clearance}\n`,
  );
}

/** `armtrace sensitivity …`: the default level of new records and who sees restricted records. */
export function registerSensitivityCommands(program: Command): void {
  const sensitivity = program
    .command('sensitivity')
    .description('Who may see records: the default level of new records and the roles that see restricted ones');
  sensitivity
    .command('show <investigationId>')
    .description('The default sensitivity, the roles that see restricted records, and your clearance')
    .option('--json', 'print JSON')
    .action(async (investigationId: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        printSettings(await service.getSensitivitySettings(db, actor, investigationId), options.json);
      });
    });
  sensitivity
    .command('default <investigationId> <level>')
    .description(`Set the level new records take when none is given (owners; ${sensitivityLevels.join(', ')})`)
    .option('--reason <text>', 'why (required for restricted)')
    .option('--json', 'print JSON')
    .action(
      async (
        investigationId: string,
        level: string,
        options: { reason?: string; json?: boolean },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const current = await service.getSensitivitySettings(db, actor, investigationId);
          const settings = await service.setDefaultSensitivity(db, actor, investigationId, {
            version: current.version,
            default_sensitivity: readLevel(level),
            default_sensitivity_reason: options.reason ?? null,
          });
          printSettings(settings, options.json);
        });
      },
    );
  for (const [name, granted, description] of [
    ['grant', true, 'Let a role see the restricted records of the investigation (owners; audited)'],
    ['revoke', false, 'Withdraw a role’s sight of restricted records (owners; audited)'],
  ] as const) {
    sensitivity
      .command(`${name} <investigationId> <role>`)
      .description(`${description}; role: ${grantableRoles.join(', ')}`)
      .option('--json', 'print JSON')
      .action(async (investigationId: string, role: string, options: { json?: boolean }, command: Command) => {
        await withSession(command, async ({ db, actor }) => {
          printSettings(
            await service.setRestrictedGrant(db, actor, investigationId, readRole(role), granted),
            options.json,
          );
        });
      });
  }
}
