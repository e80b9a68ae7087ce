import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type ActorRecord, type TraceRequest } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { useVersionedEdit } from '../../components/record/useVersionedEdit';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { useTraceRequestFields } from './fields';
import { todayUtc } from './model';
import { nextStatuses, type TraceStatus } from './vocabulary';

/**
 * Moves a request along its workflow (draft → sent → acknowledged → answered … → closed) with its dates: sending
 * records the date sent and the answer's due date; an answer can carry its text. The version read is sent, so a
 * change someone made meanwhile is not overwritten: both versions show and the user chooses.
 */
export function WorkflowPanel({
  request,
  actors,
  onChanged,
}: {
  request: TraceRequest;
  actors: readonly ActorRecord[];
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const fields = useTraceRequestFields(actors);
  const choices = nextStatuses[request.status];
  const [next, setNext] = useState<TraceStatus | ''>(choices[0] ?? '');
  const [sentOn, setSentOn] = useState(request.sent_on ?? todayUtc());
  const [dueOn, setDueOn] = useState(request.due_on ?? '');
  const [response, setResponse] = useState(request.response_text ?? '');
  const edit = useVersionedEdit<TraceRequest>({
    version: request.version,
    send: (body) => call(api.PATCH('/api/v1/trace-requests/{id}', { params: { path: { id: request.id } }, body })),
    readCurrent: () => call(api.GET('/api/v1/trace-requests/{id}', { params: { path: { id: request.id } } })),
    onSaved: onChanged,
    onUseCurrent: onChanged,
  });
  if (choices.length === 0) return <p className="muted">{t('traceWorkflow.finished')}</p>;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const answering = next === 'answered' || next === 'declined';
    void edit.save({
      ...(next === '' ? {} : { status: next }),
      ...(next === 'sent' ? { sent_on: sentOn === '' ? null : sentOn } : {}),
      ...(next !== 'closed' && dueOn !== (request.due_on ?? '') ? { due_on: dueOn === '' ? null : dueOn } : {}),
      ...(answering && response !== (request.response_text ?? '')
        ? { response_text: response.trim() === '' ? null : response }
        : {}),
    });
  };

  const errors = fieldErrors(edit.error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('traceWorkflow.title')} onSubmit={submit}>
      {edit.conflict !== undefined && (
        <StaleEditNotice
          fields={fields}
          mine={edit.conflict.mine}
          current={edit.conflict.current}
          onUseCurrent={edit.useCurrent}
          onApplyMine={() => void edit.applyMine()}
          busy={edit.busy}
        />
      )}
      {Object.keys(errors).length === 0 && <ErrorNotice error={edit.error} />}
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
      <button type="submit" className="button-primary" disabled={edit.busy}>
        {t('traceWorkflow.apply')}
      </button>
    </form>
  );
}
