import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type ActorRecord, type TraceRequest } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { useVersionedEdit } from '../../components/record/useVersionedEdit';
import { ErrorNotice, Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { changedFields, draftOf, type TraceRequestDraftFields } from './editDraft';
import { useTraceRequestFields } from './fields';

/**
 * Corrects a request's subject, addressee, lot, dates and answer. Only the fields the user changed are sent, with
 * the version read: when someone changed the request meanwhile nothing is overwritten and both versions show.
 */
export function EditTraceRequestForm({
  request,
  actors,
  onSaved,
  onCancel,
}: {
  request: TraceRequest;
  actors: readonly ActorRecord[];
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const fields = useTraceRequestFields(actors);
  const [base, setBase] = useState(request);
  const [draft, setDraft] = useState<TraceRequestDraftFields>(() => draftOf(request));
  const edit = useVersionedEdit<TraceRequest>({
    version: request.version,
    send: (body) => call(api.PATCH('/api/v1/trace-requests/{id}', { params: { path: { id: request.id } }, body })),
    readCurrent: () => call(api.GET('/api/v1/trace-requests/{id}', { params: { path: { id: request.id } } })),
    onSaved,
    onUseCurrent: (current) => {
      setBase(current);
      setDraft(draftOf(current));
    },
  });
  const set = (name: keyof TraceRequestDraftFields) => (value: string) => setDraft({ ...draft, [name]: value });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void edit.save(changedFields(base, draft));
  };

  const errors = fieldErrors(edit.error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('traceDetail.edit')} onSubmit={submit}>
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
        <Field label={t('trace.subject')} error={errors.subject}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={draft.subject}
              onChange={(event) => set('subject')(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('traceList.addressee')} error={errors.addressee_id}>
          {(control) => (
            <select
              {...control}
              value={draft.addressee_id}
              onChange={(event) => set('addressee_id')(event.target.value)}
            >
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
              value={draft.lot_marking}
              onChange={(event) => set('lot_marking')(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('traceNew.sentOn')} error={errors.sent_on}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={draft.sent_on}
              onChange={(event) => set('sent_on')(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('traceNew.dueOn')} error={errors.due_on}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={draft.due_on}
              onChange={(event) => set('due_on')(event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label={t('traceDetail.response')} error={errors.response_text}>
        {(control) => (
          <textarea
            {...control}
            dir="auto"
            rows={4}
            value={draft.response_text}
            onChange={(event) => set('response_text')(event.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={edit.busy}>
          {t('traceDetail.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
