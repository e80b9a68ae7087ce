import { useState, type SubmitEvent } from 'react';
import {
  api,
  call,
  fieldErrors,
  type ActorRecord,
  type ResponseOf,
  type Source,
  type TraceRequest,
} from '../../api/client';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { useVersionedEdit } from '../../components/record/useVersionedEdit';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { ActorPicker, emptyActorChoice, resolveActor, type ActorChoice } from '../trace-requests/ActorPicker';
import { confidences, eventTypes, type Confidence, type EventType } from '../trace-requests/vocabulary';
import { claimChanges, useClaimFields } from './claimFields';
import type { TimelineClaim } from './timeline';
import { SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import { useSensitivityInput } from '../../components/sensitivity/useSensitivityInput';

export interface ClaimFormLists {
  actors: readonly ActorRecord[];
  sources: readonly Source[];
  requests: readonly TraceRequest[];
}

/**
 * Adds a claim about an item or a lot, or corrects one (`claim` given: its version goes with the change, and a stale
 * one is refused with 409 and handed to `onConflict` with what the user tried).
 */
export function ClaimForm({
  investigationId,
  target,
  claim,
  lists,
  onSaved,
  onCancel,
}: {
  investigationId: string;
  target: { itemId: string } | { lotMarking: string };
  claim?: TimelineClaim;
  lists: ClaimFormLists;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [eventType, setEventType] = useState<EventType>(claim?.event_type ?? 'produced');
  const [actor, setActor] = useState<ActorChoice>({ ...emptyActorChoice, actorId: claim?.actor_id ?? '' });
  const [counterpart, setCounterpart] = useState<ActorChoice>({
    ...emptyActorChoice,
    actorId: claim?.counterpart_id ?? '',
  });
  const [from, setFrom] = useState(claim?.occurred_from ?? '');
  const [to, setTo] = useState(claim?.occurred_to ?? '');
  const [place, setPlace] = useState(claim?.place ?? '');
  const [sourceId, setSourceId] = useState(claim?.source_id ?? '');
  const [requestId, setRequestId] = useState(claim?.trace_request_id ?? '');
  const [confidence, setConfidence] = useState<Confidence>(claim?.confidence ?? 'probable');
  const [notes, setNotes] = useState(claim?.notes ?? '');
  const [error, setError] = useState<unknown>(undefined);
  const sensitivity = useSensitivityInput(investigationId, claim);
  const title = claim === undefined ? t('claims.add') : t('claims.edit');
  const staleFields = useClaimFields(lists);
  const edit = useVersionedEdit<ResponseOf<'/api/v1/provenance-claims/{id}'>>({
    version: claim?.version ?? 1,
    send: (body) =>
      call(api.PATCH('/api/v1/provenance-claims/{id}', { params: { path: { id: claim?.id ?? '' } }, body })),
    readCurrent: () => call(api.GET('/api/v1/provenance-claims/{id}', { params: { path: { id: claim?.id ?? '' } } })),
    onSaved,
    // Taking the current version closes the form on it; the timeline shows it.
    onUseCurrent: onSaved,
  });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    // A new claim leaves the level out for the investigation's default; restricted needs its reason.
    const sensitivityFields = sensitivity.fields(claim);
    if (sensitivityFields === undefined) return;
    const createActor: Parameters<typeof resolveActor>[1] = (body) =>
      call(api.POST('/api/v1/investigations/{id}/actors', { params: { path: { id: investigationId } }, body }));
    try {
      const actorId = await resolveActor(actor, createActor);
      if (actorId !== null) setActor({ ...emptyActorChoice, actorId });
      const counterpartId = await resolveActor(counterpart, createActor);
      if (counterpartId !== null) setCounterpart({ ...emptyActorChoice, actorId: counterpartId });
      const fields = {
        event_type: eventType,
        actor_id: actorId,
        counterpart_id: counterpartId,
        occurred_from: from === '' ? null : from,
        occurred_to: to === '' ? null : to,
        place: place.trim() === '' ? null : place,
        source_id: sourceId === '' ? null : sourceId,
        trace_request_id: requestId === '' ? null : requestId,
        confidence,
        notes,
      };
      if (claim === undefined) {
        const about = 'itemId' in target ? { item_id: target.itemId } : { lot_marking: target.lotMarking };
        await call(
          api.POST('/api/v1/investigations/{id}/provenance-claims', {
            params: { path: { id: investigationId } },
            body: { ...about, ...fields, ...sensitivityFields },
          }),
        );
        setNotes('');
        setPlace('');
        sensitivity.reset();
        onSaved();
      } else {
        await edit.save({ ...claimChanges(claim, fields), ...sensitivityFields });
      }
    } catch (caught) {
      setError(caught);
    }
  };

  const errors = fieldErrors(error ?? edit.error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline claim-form" aria-label={title} onSubmit={(event) => void submit(event)}>
      {edit.conflict !== undefined && (
        <StaleEditNotice
          fields={staleFields}
          mine={edit.conflict.mine}
          current={edit.conflict.current}
          onUseCurrent={edit.useCurrent}
          onApplyMine={() => void edit.applyMine()}
          busy={edit.busy}
        />
      )}
      {Object.keys(errors).length === 0 && <ErrorNotice error={error ?? edit.error} />}
      <div className="field-grid">
        <Field label={t('claims.event')} error={errors.event_type}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="provenanceEvent"
              values={eventTypes}
              value={eventType}
              onChange={(value) => setEventType(value as EventType)}
            />
          )}
        </Field>
        <ActorPicker
          label={t('claims.actor')}
          actors={lists.actors}
          choice={actor}
          onChange={setActor}
          allowNone
          error={errors.actor_id}
          nameError={errors.name}
        />
        <ActorPicker
          label={t('claims.counterpart')}
          actors={lists.actors}
          choice={counterpart}
          onChange={setCounterpart}
          allowNone
          error={errors.counterpart_id}
        />
        <Field label={t('claims.from')} error={errors.occurred_from}>
          {(control) => (
            <input {...control} type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
          )}
        </Field>
        <Field label={t('claims.to')} error={errors.occurred_to}>
          {(control) => <input {...control} type="date" value={to} onChange={(event) => setTo(event.target.value)} />}
        </Field>
        <Field label={t('claims.place')} error={errors.place}>
          {(control) => (
            <input {...control} dir="auto" value={place} onChange={(event) => setPlace(event.target.value)} />
          )}
        </Field>
        <Field label={t('claims.source')} error={errors.source_id}>
          {(control) => (
            <select {...control} value={sourceId} onChange={(event) => setSourceId(event.target.value)}>
              <option value="">{t('common.notRecorded')}</option>
              {lists.sources.map((source) => (
                <option key={source.id} value={source.id}>
                  {source.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('claims.traceRequest')} error={errors.trace_request_id}>
          {(control) => (
            <select {...control} value={requestId} onChange={(event) => setRequestId(event.target.value)}>
              <option value="">{t('common.notRecorded')}</option>
              {lists.requests.map((request) => (
                <option key={request.id} value={request.id}>
                  {request.subject}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('claims.confidence')} error={errors.confidence}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="confidence"
              values={confidences}
              value={confidence}
              onChange={(value) => setConfidence(value as Confidence)}
            />
          )}
        </Field>
      </div>
      <Field label={t('claims.notes')} error={errors.notes}>
        {(control) => (
          <textarea {...control} dir="auto" rows={3} value={notes} onChange={(event) => setNotes(event.target.value)} />
        )}
      </Field>
      <SensitivityFields {...sensitivity.props(errors)} />
      <div className="actions">
        {sensitivity.reasonMissing && (
          <p className="notice notice-error" role="alert">
            {t('edit.notSaved')}
          </p>
        )}
        <button type="submit" className="button-primary">
          {claim === undefined ? title : t('claims.save')}
        </button>
        {onCancel !== undefined && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
