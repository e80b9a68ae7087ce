// What a role may do in the web app, mirroring the server's rule (src/features/access/service.ts requireCanEdit),
// so a page offers only what the server will accept; the server still decides.

export type InvestigationRole = 'owner' | 'editor' | 'investigator' | 'viewer';

const rank: Record<InvestigationRole, number> = { viewer: 0, investigator: 1, editor: 2, owner: 3 };

/**
 * Whether someone with this role may change a record: editors and owners any record, investigators the records
 * they created, viewers none.
 *
 * @example mayChangeRecord('investigator', 'u1', { created_by: 'u1' }) // true
 */
export function mayChangeRecord(role: InvestigationRole, userId: string, record: { created_by: string }): boolean {
  if (rank[role] >= rank.editor) return true;
  return role === 'investigator' && record.created_by === userId;
}
