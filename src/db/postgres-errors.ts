import { DomainError } from '../errors.js';

interface PostgresErrorShape {
  code: string;
  message: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
  hint?: string;
}

function isPostgresError(error: unknown): error is PostgresErrorShape {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as { code: string }).code)
  );
}

/** `items_category_check` on table `items` → `category`; `sites_investigation_id_external_ref_key` → `external_ref`. */
function fieldFromConstraint(constraint: string | undefined, table: string | undefined): string {
  if (constraint === undefined) return 'record';
  let name = constraint;
  if (table !== undefined && name.startsWith(`${table}_`)) name = name.slice(table.length + 1);
  name = name.replace(/_(check|key|fkey|pkey|not_null)\d*$/, '');
  name = name.replace(/^investigation_id_/, '').replace(/_investigation_id$/, '');
  // A composite key such as zone_id_site_id is reported by its first column, the one the client chose.
  const firstColumn = /^(.+?_id)_.+_id$/.exec(name);
  if (firstColumn?.[1] !== undefined) name = firstColumn[1];
  return name === '' ? 'record' : name;
}

/**
 * Turns a PostgreSQL error (from pg or PGlite) into a domain error, so a
 * constraint enforced by the database reads like one enforced by the service.
 * Anything unknown is returned unchanged and reported as an internal error.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (!isPostgresError(error)) return error;
  const field = fieldFromConstraint(error.constraint, error.table);
  switch (error.code) {
    case '23505':
      return new DomainError('already_exists', `Another record already has this ${field}.`, [
        { field, code: 'already_used', message: 'already used' },
      ]);
    case '23503':
      return new DomainError(
        'reference_invalid',
        `The record named by ${field} does not exist in this investigation (or belongs to another site or item).`,
        [{ field, code: 'unknown_reference', message: 'unknown reference' }],
      );
    case '23514':
      return new DomainError('constraint_violated', `The value of ${field} is not allowed.`, [
        { field, code: 'not_allowed', message: 'not allowed' },
      ]);
    case '23502':
      return new DomainError('validation_failed', `${error.column ?? 'A field'} is required.`, [
        { field: error.column ?? 'record', code: 'required', message: 'required' },
      ]);
    case '22P02':
    case '22007':
    case '22008':
      return new DomainError('validation_failed', `A value has the wrong format: ${error.message}`);
    case '23001':
      if (error.hint === 'append_only') return new DomainError('append_only', error.message);
      return error;
    default:
      return error;
  }
}
