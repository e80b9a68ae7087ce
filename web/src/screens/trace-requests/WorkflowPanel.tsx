import { useState, type SubmitEvent } from 'react';
import { api, ApiError, call, fieldErrors, type TraceRequest } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { todayUtc } from './model';
import { nextStatuses, type TraceStatus } from './vocabulary';

/**
 * Moves a request along its workflow (draft → sent → acknowledged → answered … → closed) with its dates: sending
 * records the date sent and the answer's due date; an answer can carry its text. The version read is sent, so a
 * change someone made meanwhile is not overwritten (409).
 */
export function WorkflowPanel({
  request,
  onChanged,
  onConflict,
}: {
  request: TraceRequest;
  onChanged: (request: TraceRequest) => void;
  onConflict: (error: unknown) => void;
}) {
  const { t } = useI18n();
  const choices = nextStatuses[request.status];
  const [next, setNext] = useState<TraceStatus | ''>(choices[0] ?? '');
  const [sentOn, setSentOn] = useState(request.sent_on ?? todayUtc());
  const [dueOn, setDueOn] = useState(request.due_on ?? '');
  const [response, setResponse] = useState(request.response_text ?? '');
  const [error, setError] = useState<unknown>(undefined);
  if (choices.length === 0) return <p className="muted">{t('traceWorkflow.finished')}</p>;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const updated = await call(
        api.PATCH('/api/v1/trace-requests/{id}', {
          params: { path: { id: request.id } },
          body: {
            version: request.version,
            ...(next === '' ? {} : { status: next }),
            ...(next === 'sent' ? { sent_on: sentOn === '' ? null : sentOn } : {}),
            due_on: dueOn === '' ? null : dueOn,
            ...(next === 'answered' || next === 'declined'
              ? { response_text: response.trim() === '' ? null : response }
              : {}),
          },
        }),
      );
      onChanged(updated);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) onConflict(caught);
      else setError(caught);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('traceWorkflow.title')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <div className="field-grid">
        <Field label={t('traceWorkflow.next')} error={errors.status}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="traceStatus"
              values={choices}
              value={next}
              onChange={(value) => setNext(value as TraceStatus)}
            />
          )}
        </Field>
        {next === 'sent' && (
          <Field label={t('traceNew.sentOn')} error={errors.sent_on}>
            {(control) => (
              <input {...control} type="date" value={sentOn} onChange={(event) => setSentOn(event.target.value)} />
            )}
          </Field>
        )}
        {next !== 'closed' && (
          <Field label={t('traceNew.dueOn')} error={errors.due_on} hint={t('traceWorkflow.dueHint')}>
            {(control) => (
              <input {...control} type="date" value={dueOn} onChange={(event) => setDueOn(event.target.value)} />
            )}
          </Field>
        )}
      </div>
      {(next === 'answered' || next === 'declined') && (
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
      )}
      <button type="submit" className="button-primary">
        {t('traceWorkflow.apply')}
      </button>
    </form>
  );
}
