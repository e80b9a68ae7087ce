import { useEffect, useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ErrorNotice, Field, Loading, VocabularySelect } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths, useLocation } from '../../router';
import { ActorPicker, choiceForName, emptyActorChoice, resolveActor, type ActorChoice } from './ActorPicker';
import { findActorByName, useAccess, useActors } from './data';
import { readDraft } from './model';
import { tracingPaths } from './paths';
import { SelectedItems } from './SelectedItems';

/**
 * A new trace request, from an item, a lot, a selection of items or a transfer lead: the entry point fills in what it
 * knows (see `startTraceRequest`), the user names the addressee and the rest, and nothing is written before "Save".
 */
export function NewTraceRequestPage({ investigationId }: { investigationId: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('traceNew.title'));
  const { query } = useLocation();
  const [draft] = useState(() => readDraft(query, window.history.state));
  const access = useAccess(investigationId);
  const actors = useActors(investigationId);
  const [itemIds, setItemIds] = useState(draft.itemIds);
  const [addressee, setAddressee] = useState<ActorChoice>(emptyActorChoice);
  const [subject, setSubject] = useState(draft.subject);
  const [lotMarking, setLotMarking] = useState(draft.lotMarking);
  const [status, setStatus] = useState<'draft' | 'sent'>('draft');
  const [sentOn, setSentOn] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);

  // A suggested addressee (a lead's supplier) becomes the matching actor, or a new actor of that name.
  useEffect(() => {
    if (actors.data === undefined || draft.addresseeName === '') return;
    setAddressee(choiceForName(findActorByName(actors.data, draft.addresseeName), draft.addresseeName));
  }, [actors.data, draft.addresseeName]);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaving(true);
    try {
      const addresseeId = await resolveActor(addressee, (body) =>
        call(api.POST('/api/v1/investigations/{id}/actors', { params: { path: { id: investigationId } }, body })),
      );
      // A new actor is recorded once: a retry after a refused request uses it.
      if (addresseeId !== null) setAddressee({ ...emptyActorChoice, actorId: addresseeId });
      const created = await call(
        api.POST('/api/v1/investigations/{id}/trace-requests', {
          params: { path: { id: investigationId } },
          body: {
            // An empty id is sent as such, so the server names the field that is missing.
            addressee_id: addresseeId ?? '',
            subject,
            lot_marking: lotMarking.trim() === '' ? null : lotMarking,
            status,
            sent_on: sentOn === '' ? null : sentOn,
            due_on: dueOn === '' ? null : dueOn,
            item_ids: itemIds,
          },
        }),
      );
      navigate(tracingPaths.request(investigationId, created.id), { replace: true });
    } catch (caught) {
      setError(caught);
      actors.reload();
    } finally {
      setSaving(false);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  if (actors.data === undefined) return actors.error === undefined ? <Loading /> : <ErrorNotice error={actors.error} />;
  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={tracingPaths.list(investigationId)}>{t('trace.title')}</Link>
        </p>
        <h1>{t('traceNew.title')}</h1>
      </header>
      {!access.canAdd && <p className="notice notice-warning">{t('tracing.readOnly')}</p>}
      <form className="section" aria-label={t('traceNew.title')} onSubmit={(event) => void submit(event)}>
        {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
        <div className="field-grid">
          <ActorPicker
            label={t('traceList.addressee')}
            actors={actors.data}
            choice={addressee}
            onChange={setAddressee}
            error={errors.addressee_id}
            nameError={errors.name}
          />
          <Field label={t('trace.subject')} error={errors.subject}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                required
                value={subject}
                onChange={(event) => setSubject(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('traceNew.lot')} error={errors.lot_marking} hint={t('traceNew.lotHint')}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                spellCheck={false}
                value={lotMarking}
                onChange={(event) => setLotMarking(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('trace.status')} error={errors.status} hint={t('traceNew.statusHint')}>
            {(control) => (
              <VocabularySelect
                control={control}
                group="traceStatus"
                values={['draft', 'sent']}
                value={status}
                onChange={(value) => setStatus(value as 'draft' | 'sent')}
              />
            )}
          </Field>
          <Field label={t('traceNew.sentOn')} error={errors.sent_on}>
            {(control) => (
              <input {...control} type="date" value={sentOn} onChange={(event) => setSentOn(event.target.value)} />
            )}
          </Field>
          <Field label={t('traceNew.dueOn')} error={errors.due_on}>
            {(control) => (
              <input {...control} type="date" value={dueOn} onChange={(event) => setDueOn(event.target.value)} />
            )}
          </Field>
        </div>
        <SelectedItems
          investigationId={investigationId}
          itemIds={itemIds}
          onChange={setItemIds}
          error={errors.item_ids}
        />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={!access.canAdd || saving}>
            {t('traceNew.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
