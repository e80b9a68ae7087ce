import { useState } from 'react';
import { api, call, readAllPages } from '../../api/client';
import { ErrorNotice, Loading } from '../../components/ui';
import { useLoad } from '../../hooks';
import { isolate, useI18n } from '../../i18n/i18n';
import { RecordReviewToggle } from '../review/RecordReviewToggle';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { useAccess, useActors } from '../trace-requests/data';
import { ClaimForm, type ClaimFormLists } from './ClaimForm';
import type { ClaimNames } from './ClaimView';
import { ProvenanceTimeline } from './ProvenanceTimeline';
import type { TimelineClaim } from './timeline';

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
  const { t, label } = useI18n();
  const access = useAccess(investigationId);
  const { lists, error, reload } = useClaimLists(investigationId);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (lists === undefined) return <Loading />;
  const names: ClaimNames = {
    actor: (id) => lists.actors.find((actor) => actor.id === id)?.name,
    source: (id) => lists.sources.find((source) => source.id === id)?.title,
  };
  const saved = () => {
    setEditing(undefined);
    reload();
    onChanged();
  };

  const claimName = (claim: TimelineClaim) => {
    const actor = claim.actor_id === null ? undefined : names.actor(claim.actor_id);
    const event = label('provenanceEvent', claim.event_type);
    return actor === undefined ? event : `${event} · ${isolate(actor)}`;
  };
  const claimActions = (claim: TimelineClaim) =>
    access.canChange(claim) &&
    (editing === claim.id ? (
      <ClaimForm
        investigationId={investigationId}
        target={target}
        claim={claim}
        lists={lists}
        onSaved={saved}
        onCancel={() => setEditing(undefined)}
      />
    ) : (
      <p className="actions">
        <button type="button" className="button-link" onClick={() => setEditing(claim.id)}>
          {t('claims.edit')}
        </button>
        <ArchiveButton
          label={t('claims.archive')}
          title={t('claims.archive')}
          onArchive={(reason) =>
            call(
              api.POST('/api/v1/provenance-claims/{id}/archive', {
                params: { path: { id: claim.id } },
                body: { version: claim.version, reason },
              }),
            )
          }
          onArchived={saved}
        />
      </p>
    ));

  return (
    <>
      <ProvenanceTimeline
        claims={claims}
        names={names}
        investigationId={investigationId}
        actions={(claim) => (
          <>
            {claimActions(claim)}
            <RecordReviewToggle
              kind="provenance_claim"
              recordId={claim.id}
              refreshKey={claim.version}
              name={claimName(claim)}
            />
          </>
        )}
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
