import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ErrorNotice, Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { saveOrQueue } from '../../offline/save';

/** Records a hand-over of the item (append-only); kept on the device when offline. */
export function CustodyForm({
  investigationId,
  itemId,
  onAdded,
}: {
  investigationId: string;
  itemId: string;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const [fromParty, setFromParty] = useState('');
  const [toParty, setToParty] = useState('');
  const [occurredAt, setOccurredAt] = useState('');
  const [place, setPlace] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = {
        from_party: fromParty,
        to_party: toParty,
        occurred_at: occurredAt === '' ? undefined : new Date(occurredAt).toISOString(),
        place: place.trim() === '' ? null : place.trim(),
        note,
      };
      await saveOrQueue({
        type: 'custody.create',
        investigationId,
        body: { ...body, item_id: itemId },
        label: `${fromParty} → ${toParty}`,
        rest: () => call(api.POST('/api/v1/items/{id}/custody', { params: { path: { id: itemId } }, body })),
      });
      setFromParty('');
      setToParty('');
      setOccurredAt('');
      setPlace('');
      setNote('');
      onAdded();
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('custody.record')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <p className="field-hint">{t('custody.appendOnly')}</p>
      <div className="field-grid">
        <Field label={t('custody.from')} error={errors.from_party}>
          {(control) => (
            <input {...control} dir="auto" value={fromParty} onChange={(event) => setFromParty(event.target.value)} />
          )}
        </Field>
        <Field label={t('custody.to')} error={errors.to_party}>
          {(control) => (
            <input {...control} dir="auto" value={toParty} onChange={(event) => setToParty(event.target.value)} />
          )}
        </Field>
        <Field label={t('custody.when')} error={errors.occurred_at} hint={t('custody.whenHint')}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={occurredAt}
              onChange={(event) => setOccurredAt(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('custody.place')} error={errors.place}>
          {(control) => (
            <input {...control} dir="auto" value={place} onChange={(event) => setPlace(event.target.value)} />
          )}
        </Field>
      </div>
      <Field label={t('custody.note')} error={errors.note}>
        {(control) => <input {...control} dir="auto" value={note} onChange={(event) => setNote(event.target.value)} />}
      </Field>
      <button type="submit">{t('custody.record')}</button>
    </form>
  );
}
