import type { Command } from 'commander';
import { DomainError } from '../../errors.js';
import { profileOptionsOf, profileQuerySchema, type ProfileOptions } from './profiles.js';

/**
 * Adds `--profile` and `--grid-km` to an output command (export json/tables/bag/site, report).
 *
 * @example
 * withProfileOptions(exportCommand.command('json <out>'))
 */
export function withProfileOptions(command: Command, defaultProfile = 'internal'): Command {
  return command
    .option('--profile <profile>', 'internal, partner or public (see docs/exports.md)', defaultProfile)
    .option('--grid-km <km>', 'public profile: grid cell size in km coordinates are generalised to', '10');
}

/** The profile options from `--profile` and `--grid-km`, refused with the field named when not valid. */
export function parseProfileOptions(options: { profile?: string; gridKm?: string }): ProfileOptions {
  const parsed = profileQuerySchema.safeParse({ profile: options.profile, grid_km: options.gridKm });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'grid_km' ? 'grid-km' : 'profile';
    throw new DomainError('validation_failed', `Invalid --${field}: ${issue?.message ?? 'not valid'}.`, [
      { field, message: field === 'profile' ? 'internal, partner or public' : 'a whole number of km from 1 to 1000' },
    ]);
  }
  return profileOptionsOf(parsed.data);
}
