import { api, call, readAllPages, type ActorRecord } from '../../api/client';
import { useLoad } from '../../hooks';

export interface Access {
  /** May record new trace requests, claims and documents (investigator or above). */
  canAdd: boolean;
  /** May change or archive this record: editors and owners any, investigators their own. */
  canChange: (record: { created_by: string }) => boolean;
}

const noAccess: Access = { canAdd: false, canChange: () => false };

/**
 * What the signed-in user may do in an investigation, for hiding or disabling actions (the server checks again).
 * Nothing is allowed until both the user and the role are known.
 */
export function useAccess(investigationId: string): Access {
  const loaded = useLoad(
    () =>
      Promise.all([
        call(api.GET('/api/v1/auth/me')),
        call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
      ]),
    [investigationId],
  );
  if (loaded.data === undefined) return noAccess;
  const [me, investigation] = loaded.data;
  const role = investigation.my_role;
  const canAdd = role !== 'viewer';
  return {
    canAdd,
    canChange: (record) => role === 'owner' || role === 'editor' || (canAdd && record.created_by === me.id),
  };
}

/** Every live actor of the investigation (addressees, producers, recipients), loaded once per screen. */
export function useActors(investigationId: string) {
  return useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/actors', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows,
    [investigationId],
  );
}

/** The actor whose name or one of whose aliases is this name, ignoring case and spacing. */
export function findActorByName(actors: readonly ActorRecord[], name: string): ActorRecord | undefined {
  const fold = (text: string) => text.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  const wanted = fold(name);
  if (wanted === '') return undefined;
  return actors.find((actor) => fold(actor.name) === wanted || actor.aliases.some((alias) => fold(alias) === wanted));
}
