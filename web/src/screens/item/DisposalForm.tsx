import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type Item } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { disposalStatuses } from '../../api/vocabulary';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { saveOrQueue } from '../../offline/save';

/** Records the item's disposal status (a status only) with a note; kept on the device when offline. */
export function DisposalForm({ item, onChanged }: { item: Item; onChanged: () => void }) {
  const { t, label } = useI18n();
  const [status, setStatus] = useState<Item['disposal_status']>(item.disposal_status);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const change = { disposal_status: status, note: note.trim() === '' ? undefined : note.trim() };
      await saveOrQueue({
        type: 'item.disposal',
        investigationId: item.investigation_id,
        recordId: item.id,
        baseVersion: item.version,
        body: change,
        label: label('disposal', status),
        rest: () =>
          call(
            api.PATCH('/api/v1/items/{id}/disposal', {
              params: { path: { id: item.id } },
              body: { version: item.version, ...change },
            }),
          ),
      });
      setNote('');
      onChanged();
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('item.changeDisposal')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <Field label={t('item.disposalStatus')} error={errors.disposal_status}>
        {(control) => (
          <VocabularySelect
            control={control}
            group="disposal"
            values={disposalStatuses}
            value={status}
            onChange={(value) => setStatus(value as Item['disposal_status'])}
          />
        )}
      </Field>
      <Field label={t('item.disposalNote')} error={errors.note} hint={t('item.disposalNoteHint')}>
        {(control) => <input {...control} dir="auto" value={note} onChange={(event) => setNote(event.target.value)} />}
      </Field>
      <button type="submit">{t('item.changeDisposal')}</button>
    </form>
  );
}
