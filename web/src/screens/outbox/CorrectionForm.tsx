import { useState } from 'react';
import { Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { syncNow } from '../../offline/controller';
import type { OutboxEntry } from '../../offline/outbox';
import { replaceEntry, resend } from '../../offline/sync';
import { vault } from '../../offline/vault';
import { fieldLabels, parsedLike, problemErrors, shown, type Json } from './recordFields';

/** A refused record's fields, editable, with the server's errors beside them; sent again under a new op_id. */
export function CorrectionForm({ entry, onDone }: { entry: OutboxEntry; onDone: () => void }) {
  const { t } = useI18n();
  const body = entry.operation!.body;
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(body).map(([key, value]) => [key, shown(value)])),
  );
  const errors = problemErrors(entry, t);
  const send = async () => {
    const corrected: Json = Object.fromEntries(
      Object.entries(draft).map(([key, text]) => [key, parsedLike(body[key], text)]),
    );
    await replaceEntry(vault, entry, resend(entry, corrected, entry.operation!.base_version));
    onDone();
    void syncNow();
  };
  return (
    <form
      className="outbox-correction"
      aria-label={t('offline.correct.title')}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <h3>{t('offline.correct.title')}</h3>
      {Object.keys(draft).map((key) => (
        <Field
          key={key}
          label={fieldLabels[key] === undefined ? key : t(fieldLabels[key])}
          error={errors[key] ?? Object.entries(errors).find(([f]) => f.startsWith(`${key}.`))?.[1]}
        >
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={draft[key]}
              onChange={(event) => setDraft((previous) => ({ ...previous, [key]: event.target.value }))}
            />
          )}
        </Field>
      ))}
      <div className="actions">
        <button type="submit" className="button-primary">
          {t('offline.correct.send')}
        </button>
      </div>
    </form>
  );
}
