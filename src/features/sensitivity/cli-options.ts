import type { Command } from 'commander';
import { sensitivityLevels, type SensitivityLevel } from './schema.js';

/** The options `--sensitivity` and `--sensitivity-reason` as commander hands them to an action. */
export interface SensitivityOptions {
  sensitivity?: string;
  sensitivityReason?: string;
}

/**
 * Adds `--sensitivity <level>` and `--sensitivity-reason <text>` to a command that creates (`'create'`: the
 * investigation's default when left out) or changes (`'update'`) a record, worded as on `site add|update`.
 *
 * @example
 * addSensitivityOptions(item.command('add'), 'create').action(async (options) => …);
 */
export function addSensitivityOptions(command: Command, use: 'create' | 'update'): Command {
  return command
    .option(
      '--sensitivity <level>',
      `who may see it: ${sensitivityLevels.join(', ')}${use === 'create' ? " (default: the investigation's)" : ''}`,
    )
    .option('--sensitivity-reason <text>', 'why it has this sensitivity (required for restricted)');
}

/**
 * The body fields for the options given, leaving out those not given (an update keeps them as they are). The
 * level is passed on as typed: the service's schema refuses an unknown level with the same field error as the API.
 *
 * @example
 * await service.updateItem(db, actor, id, { version, ...sensitivityFromOptions(options) });
 */
export function sensitivityFromOptions(options: SensitivityOptions): {
  sensitivity?: SensitivityLevel;
  sensitivity_reason?: string;
} {
  return {
    ...(options.sensitivity === undefined ? {} : { sensitivity: options.sensitivity as SensitivityLevel }),
    ...(options.sensitivityReason === undefined ? {} : { sensitivity_reason: options.sensitivityReason }),
  };
}
