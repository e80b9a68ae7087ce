import { useState } from 'react';
import { api, call, readAllPages, type ActorRecord, type ResponseOf } from '../../api/client';
import { EmptyState, ErrorNotice, Field, Loading, UserText } from '../../components/ui';
import { useLoad } from '../../hooks';
import { isolate, useI18n } from '../../i18n/i18n';
import { Link, navigate, paths } from '../../router';

type MergePreview = ResponseOf<'/api/v1/actors/{id}/merge-preview'>;

/** What the merge would move, as the server computed it; nothing is changed until "Merge" is pressed. */
function PreviewDetails({ preview, investigationId }: { preview: MergePreview; investigationId: string }) {
  const { t, label } = useI18n();
  return (
    <div data-testid="merge-preview">
      <p>{t('merge.summary', { merged: isolate(preview.merged.name), kept: isolate(preview.kept.name) })}</p>
      <h4>{t('merge.aliasesAdded', { count: preview.aliases_added.length })}</h4>
      {preview.aliases_added.length > 0 && (
        <ul>
          {preview.aliases_added.map((alias) => (
            <li key={alias}>
              <bdi dir="auto">{alias}</bdi>
            </li>
          ))}
        </ul>
      )}
      <p>
        {t('merge.countryAfter')} <UserText text={preview.country_code_after} />
      </p>
      <h4>{t('merge.traceRequests', { count: preview.trace_requests.length })}</h4>
      {preview.trace_requests.length > 0 && (
        <ul>
          {preview.trace_requests.map((request) => (
            <li key={request.id}>
              <bdi dir="auto">{request.subject}</bdi> · {label('traceStatus', request.status)}
              {request.archived_at !== null && ` · ${t('register.archived')}`}
            </li>
          ))}
        </ul>
      )}
      <h4>{t('merge.claims', { count: preview.provenance_claims.length })}</h4>
      {preview.provenance_claims.length > 0 && (
        <ul>
          {preview.provenance_claims.map((claim) => (
            <li key={claim.id}>
              {label('provenanceEvent', claim.event_type)} · {label('mergeRole', claim.role)} ·{' '}
              {claim.item_id !== null ? (
                <Link to={paths.item(investigationId, claim.item_id)}>{t('merge.item')}</Link>
              ) : (
                <bdi dir="auto">{claim.lot_marking}</bdi>
              )}
              {claim.archived_at !== null && ` · ${t('register.archived')}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Merges this actor (a duplicate) into another one chosen here: first the server's preview of what moves (aliases,
 * trace requests, claims), then the merge on confirmation. Editors and owners only; the server checks again.
 */
export function MergePanel({ actor, investigationId }: { actor: ActorRecord; investigationId: string }) {
  const { t } = useI18n();
  const [intoId, setIntoId] = useState('');
  const [preview, setPreview] = useState<MergePreview | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const candidates = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/actors', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows.filter((candidate) => candidate.id !== actor.id),
    [investigationId, actor.id],
  );

  const run = async (step: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await step();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const showPreview = () =>
    run(async () => {
      setPreview(
        await call(
          api.GET('/api/v1/actors/{id}/merge-preview', {
            params: { path: { id: actor.id }, query: { into_id: intoId } },
          }),
        ),
      );
    });
  const merge = () =>
    run(async () => {
      const result = await call(
        api.POST('/api/v1/actors/{id}/merge', {
          params: { path: { id: actor.id } },
          body: { into_id: intoId, version: actor.version },
        }),
      );
      navigate(paths.actor(investigationId, result.kept.id));
    });

  return (
    <section className="section" aria-labelledby="merge-title">
      <h2 id="merge-title">{t('merge.title')}</h2>
      <p className="muted">{t('merge.intro')}</p>
      {candidates.data === undefined && candidates.error === undefined && <Loading />}
      {candidates.error !== undefined && <ErrorNotice error={candidates.error} />}
      {candidates.data?.length === 0 && <EmptyState>{t('merge.noOther')}</EmptyState>}
      {candidates.data !== undefined && candidates.data.length > 0 && (
        <Field label={t('merge.into')} hint={t('merge.intoHint')}>
          {(control) => (
            <select
              {...control}
              value={intoId}
              onChange={(event) => {
                setIntoId(event.target.value);
                setPreview(undefined);
                setError(undefined);
              }}
            >
              <option value="">{t('merge.choose')}</option>
              {candidates.data?.map((candidate) => (
                <option key={candidate.id} value={candidate.id} dir="auto">
                  {[candidate.name, ...candidate.aliases].join(' · ')}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div className="actions">
        <button type="button" disabled={intoId === '' || busy} onClick={() => void showPreview()}>
          {t('merge.preview')}
        </button>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {preview !== undefined && (
        <div className="card">
          <PreviewDetails preview={preview} investigationId={investigationId} />
          <div className="actions">
            <button type="button" className="button-danger" disabled={busy} onClick={() => void merge()}>
              {t('merge.confirm')}
            </button>
            <button type="button" onClick={() => setPreview(undefined)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
