// Investigations, their memberships and who may see their restricted records (src/db/tables.ts).
import type { Generated } from 'kysely';
import type { Defaulted, DefaultedText, MutableColumns } from './columns.js';

export interface InvestigationsTable extends MutableColumns {
  id: string;
  title: string;
  summary: DefaultedText;
  /** Added by 0018_review.sql: what may be published, 'verified' (only verified records) or 'submitted'. */
  publication_rule: DefaultedText;
  /** Added by 0025_sensitivity.sql: the sensitivity new records take when the writer gives none. */
  default_sensitivity: DefaultedText;
  default_sensitivity_reason: Defaulted<string | null>;
}

/** Added by 0025_sensitivity.sql: a role (besides owners) granted sight of an investigation's restricted records. */
export interface RestrictedGrantsTable {
  investigation_id: string;
  role: string;
  granted_by: string;
  granted_at: Generated<Date>;
}

export interface MembershipsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  user_id: string;
  role: string;
}
