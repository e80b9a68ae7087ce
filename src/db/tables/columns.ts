// Column groups and column types the table interfaces share (src/db/tables.ts re-exports the tables).
import type { ColumnType, Generated } from 'kysely';

/** Columns every mutable record carries: optimistic version and audited tombstone. */
export interface MutableColumns {
  created_by: string;
  created_at: Date;
  updated_at: Date;
  version: Generated<number>;
  archived_at: Date | null;
  archive_reason: string | null;
}

export type DefaultedText = ColumnType<string, string | undefined, string>;

export type DefaultedTextArray = ColumnType<string[], string[] | undefined, string[]>;

export type Json = ColumnType<unknown, string, string>;

export type Defaulted<T> = ColumnType<T, T | undefined, T>;

/**
 * Added by 0018_review.sql: the review state of sites, items, markings, provenance claims and media (draft,
 * submitted, verified, published), the version last verified (kept when a correction sends the record back to
 * submitted) and who verified and published it when.
 */
export interface ReviewColumns {
  review_state: DefaultedText;
  verified_version: Defaulted<number | null>;
  verified_by: Defaulted<string | null>;
  verified_at: Defaulted<Date | null>;
  published_by: Defaulted<string | null>;
  published_at: Defaulted<Date | null>;
  /** Added by 0027_unpublish.sql: the last time an owner took the record back from publication, and why. */
  unpublished_by: Defaulted<string | null>;
  unpublished_at: Defaulted<Date | null>;
  unpublish_reason: Defaulted<string | null>;
}

/**
 * Added by 0025_sensitivity.sql: who may see a record (public < partners < internal < restricted) and why. An
 * insert that gives no level takes the investigation's `default_sensitivity` (a trigger fills it in); a reason is
 * required for `restricted`.
 */
export interface SensitivityColumns {
  sensitivity: DefaultedText;
  sensitivity_reason: Defaulted<string | null>;
}

/** `date` columns travel as ISO `YYYY-MM-DD` strings on both drivers (see src/db/database.ts). */
export type DateOnly = string;
