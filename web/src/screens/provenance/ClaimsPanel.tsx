import { useState } from 'react';
import { api, call, readAllPages } from '../../api/client';
import { ErrorNotice, Loading } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { ArchiveRecord } from '../trace-requests/ArchiveRecord';
import { useAccess, useActors } from '../trace-requests/data';
import { StaleEdit } from '../trace-requests/StaleEdit';
import { ClaimForm, type ClaimFormLists } from './ClaimForm';
import type { ClaimNames } from './ClaimView';
import { ProvenanceTimeline } from './ProvenanceTimeline';
import type { TimelineClaim } from './timeline';

const comparedFields = [
  'event_type',
  'actor_id',
  'counterpart_id',
  'occurred_from',
  'occurred_to',
  'place',
  'confidence',
  'notes',
];

/** The sources and trace requests a claim may cite as evidence, and the actors it may name. */
function useClaimLists(investigationId: string) {
  const actors = useActors(investigationId);
  const rest = useLoad(async () => {
    const [sources, requests] = await Promise.all([
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/sources', {
            params: { path: { id: investigationId }, query: { limit: 500, after } },
          }),
        ),
      ),
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/trace-requests', {
            params: { path: { id: investigationId }, query: { limit: 500, after } },
          }),
        ),
      ),
    ]);
    return { sources: sources.rows, requests: requests.rows };
  }, [investigationId]);
  const lists: ClaimFormLists | undefined =
    actors.data === undefined || rest.data === undefined ? undefined : { actors: actors.data, ...rest.data };
  return { lists, error: actors.error ?? rest.error, reload: actors.reload };
}

/**
 * The claims of an item or a lot as a timeline, with the contradictions side by side, a form to add a claim, and
 * for each claim the user may change: edit (with the version check) and archive with a reason.
 */
export function ClaimsPanel({
  investigationId,
  target,
  claims,
  onChanged,
}: {
  investigationId: string;
  target: { itemId: string } | { lotMarking: string };
  claims: readonly TimelineClaim[];
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const access = useAccess(investigationId);
  const { lists, error, reload } = useClaimLists(investigationId);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [archiving, setArchiving] = useState<string | undefined>(undefined);
  const [stale, setStale] = useState<{ claimId: string; mine: Record<string, unknown> } | undefined>(undefined);
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (lists === undefined) return <Loading />;
  const names: ClaimNames = {
    actor: (id) => lists.actors.find((actor) => actor.id === id)?.name,
    source: (id) => lists.sources.find((source) => source.id === id)?.title,
  };
  const saved = () => {
    setEditing(undefined);
    setArchiving(undefined);
    reload();
    onChanged();
  };
  const staleClaim = stale === undefined ? undefined : claims.find((claim) => claim.id === stale.claimId);

  return (
    <>
      {stale !== undefined && staleClaim !== undefined && (
        <StaleEdit
          fields={comparedFields}
          mine={stale.mine}
          theirs={staleClaim}
          onDismiss={() => setStale(undefined)}
        />
      )}
      <ProvenanceTimeline
        claims={claims}
        names={names}
        investigationId={investigationId}
        actions={(claim) =>
          access.canChange(claim) &&
          (editing === claim.id ? (
            <ClaimForm
              investigationId={investigationId}
              target={target}
              claim={claim}
              lists={lists}
              onSaved={saved}
              onCancel={() => setEditing(undefined)}
              onConflict={(mine) => {
                setEditing(undefined);
                setStale({ claimId: claim.id, mine });
                onChanged();
              }}
            />
          ) : archiving === claim.id ? (
            <ArchiveRecord
              title={t('claims.archive')}
              startOpen
              onCancel={() => setArchiving(undefined)}
              archive={(reason) =>
                call(
                  api.POST('/api/v1/provenance-claims/{id}/archive', {
                    params: { path: { id: claim.id } },
                    body: { version: claim.version, reason },
                  }),
                ).then(saved)
              }
            />
          ) : (
            <p className="actions">
              <button type="button" className="button-link" onClick={() => setEditing(claim.id)}>
                {t('claims.edit')}
              </button>
              <button type="button" className="button-link" onClick={() => setArchiving(claim.id)}>
                {t('claims.archive')}
              </button>
            </p>
          ))
        }
      />
      {access.canAdd && (
        <details className="add-claim">
          <summary>{t('claims.add')}</summary>
          <ClaimForm investigationId={investigationId} target={target} lists={lists} onSaved={saved} />
        </details>
      )}
    </>
  );
}
