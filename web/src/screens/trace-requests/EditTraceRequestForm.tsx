import { useState, type SubmitEvent } from 'react';
import { api, ApiError, call, fieldErrors, type ActorRecord, type TraceRequest } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ErrorNotice, Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';

/**
 * Corrects a request's subject, addressee, lot, dates and answer. The version read goes with the change: when
 * someone changed the request meanwhile the server refuses (409) and `onConflict` shows both versions.
 */
export function EditTraceRequestForm({
  request,
  actors,
  onSaved,
  onCancel,
  onConflict,
}: {
  request: TraceRequest;
  actors: readonly ActorRecord[];
  onSaved: (request: TraceRequest) => void;
  onCancel: () => void;
  onConflict: (error: ApiError, mine: Partial<TraceRequest>) => void;
}) {
  const { t } = useI18n();
  const [subject, setSubject] = useState(request.subject);
  const [addresseeId, setAddresseeId] = useState(request.addressee_id);
  const [lot, setLot] = useState(request.lot_marking ?? '');
  const [sentOn, setSentOn] = useState(request.sent_on ?? '');
  const [dueOn, setDueOn] = useState(request.due_on ?? '');
  const [response, setResponse] = useState(request.response_text ?? '');
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    const changes = {
      subject,
      addressee_id: addresseeId,
      lot_marking: lot.trim() === '' ? null : lot,
      sent_on: sentOn === '' ? null : sentOn,
      due_on: dueOn === '' ? null : dueOn,
      response_text: response.trim() === '' ? null : response,
    };
    try {
      onSaved(
        await call(
          api.PATCH('/api/v1/trace-requests/{id}', {
            params: { path: { id: request.id } },
            body: { version: request.version, ...changes },
          }),
        ),
      );
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) onConflict(caught, changes);
      else setError(caught);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('traceDetail.edit')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <div className="field-grid">
        <Field label={t('trace.subject')} error={errors.subject}>
          {(control) => (
            <input {...control} dir="auto" value={subject} onChange={(event) => setSubject(event.target.value)} />
          )}
        </Field>
        <Field label={t('traceList.addressee')} error={errors.addressee_id}>
          {(control) => (
            <select {...control} value={addresseeId} onChange={(event) => setAddresseeId(event.target.value)}>
              {actors.map((actor) => (
                <option key={actor.id} value={actor.id}>
                  {actor.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('traceNew.lot')} error={errors.lot_marking}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              spellCheck={false}
              value={lot}
              onChange={(event) => setLot(event.target.value)}
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
      <Field label={t('traceDetail.response')} error={errors.response_text}>
        {(control) => (
          <textarea
            {...control}
            dir="auto"
            rows={4}
            value={response}
            onChange={(event) => setResponse(event.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button-primary">
          {t('traceDetail.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
