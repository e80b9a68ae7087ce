import { api, call } from '../api/client';
import { useLoad } from '../hooks';
import { mayChangeRecord } from './access';

/**
 * Whether the signed-in user may change a record of this investigation (see {@link mayChangeRecord}); false while
 * the role is not known yet, so nothing is offered that the server would refuse.
 *
 * @example
 * const mayChange = useRecordAccess(investigationId);
 * mayChange(site) && <button>…</button>
 */
export function useRecordAccess(investigationId: string): (record: { created_by: string }) => boolean {
  const investigation = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const me = useLoad(() => call(api.GET('/api/v1/auth/me')), []);
  const role = investigation.data?.my_role;
  const userId = me.data?.id;
  return (record) => role !== undefined && userId !== undefined && mayChangeRecord(role, userId, record);
}
