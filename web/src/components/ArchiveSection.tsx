import { useState, type SubmitEvent } from 'react';
import { ApiError, fieldErrors } from '../api/client';
import { fieldErrorMessage } from '../api/fieldErrors';
import { useI18n } from '../i18n/i18n';
import { ErrorNotice, Field } from './ui';

/**
 * Archives a record with a reason (nothing is deleted): a button that opens the reason field, then a confirmation.
 * `archive` sends the reason with the version read; the server's field errors show beside the reason.
 */
export function ArchiveSection({
  archive,
  onArchived,
}: {
  archive: (reason: string) => Promise<unknown>;
  onArchived: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await archive(reason);
      setOpen(false);
      onArchived();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <p className="actions">
        <button type="button" onClick={() => setOpen(true)}>
          {t('register.archive')}
        </button>
      </p>
    );
  }
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="card" noValidate onSubmit={(event) => void submit(event)} aria-label={t('register.archive')}>
      <Field label={t('register.archiveReason')} hint={t('register.archiveHint')} error={errors.reason}>
        {(control) => (
          <textarea
            {...control}
            name="reason"
            dir="auto"
            rows={2}
            autoFocus
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        )}
      </Field>
      {error instanceof ApiError && errors.reason === undefined && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className="button-danger" disabled={busy}>
          {t('register.archiveConfirm')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
