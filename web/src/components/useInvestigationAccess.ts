import { api, call } from '../api/client';
import { useLoad } from '../hooks';
import { mayChangeRecord, type InvestigationRole } from './access';

const rank: Record<InvestigationRole, number> = { viewer: 0, investigator: 1, editor: 2, owner: 3 };

export interface InvestigationAccess {
  /** Undefined while it is being read: offer nothing yet. */
  role: InvestigationRole | undefined;
  /** At least this role (investigator: may add records; editor: may change anyone's, merge). */
  atLeast: (minimum: InvestigationRole) => boolean;
  /** May change (edit, archive, link) this record: editors any, investigators their own. */
  mayChange: (record: { created_by: string }) => boolean;
}

/**
 * What the signed-in user may do in an investigation, mirroring the server's rules so a screen hides or disables
 * what would be refused (the server still decides).
 *
 * @example
 * const access = useInvestigationAccess(investigationId);
 * access.atLeast('editor') && <MergePanel … />
 */
export function useInvestigationAccess(investigationId: string): InvestigationAccess {
  const investigation = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const me = useLoad(() => call(api.GET('/api/v1/auth/me')), []);
  const role = investigation.data?.my_role;
  const userId = me.data?.id;
  const archived = investigation.data?.archived_at != null;
  return {
    role,
    atLeast: (minimum) => role !== undefined && !archived && rank[role] >= rank[minimum],
    mayChange: (record) =>
      role !== undefined && userId !== undefined && !archived && mayChangeRecord(role, userId, record),
  };
}
