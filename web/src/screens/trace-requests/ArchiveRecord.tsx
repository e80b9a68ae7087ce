import { useState, type SubmitEvent } from 'react';
import { fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ErrorNotice, Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';

/** Archives a record with the reason the user gives (nothing is deleted; the reason is kept and audited). */
export function ArchiveRecord({
  title,
  archive,
  startOpen = false,
  onCancel,
}: {
  title: string;
  archive: (reason: string) => Promise<unknown>;
  startOpen?: boolean;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(startOpen);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await archive(reason);
      setOpen(false);
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  if (!open)
    return (
      <p className="actions">
        <button type="button" className="button-danger" onClick={() => setOpen(true)}>
          {title}
        </button>
      </p>
    );
  return (
    <form className="form-inline" aria-label={title} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <Field label={t('tracing.archiveReason')} error={errors.reason} hint={t('tracing.archiveHint')}>
        {(control) => (
          <input {...control} dir="auto" autoFocus value={reason} onChange={(event) => setReason(event.target.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button-danger">
          {title}
        </button>
        <button
          type="button"
          onClick={() => {
            setOpen(false);
            onCancel?.();
          }}
        >
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
