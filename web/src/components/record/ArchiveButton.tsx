import { useId, useRef, useState, type SubmitEvent } from 'react';
import { fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { useI18n } from '../../i18n/i18n';
import { ErrorNotice, Field } from '../ui';

/**
 * A button that opens a modal dialog asking why the record is archived, then calls `onArchive(reason)`. The
 * dialog is the browser's own modal `<dialog>`: the rest of the page is inert while it is open (focus stays in
 * it), Escape closes it, and the focus returns to the button. A refused archive (e.g. a stale version, a reason
 * too short) shows the server's problem, the reason's own next to the field, and the dialog stays open.
 *
 * @example
 * <ArchiveButton title={t('site.archiveTitle')}
 *   onArchive={(reason) => call(api.POST('/api/v1/sites/{id}/archive', { params, body: { version, reason } }))}
 *   onArchived={site.reload} />
 */
export function ArchiveButton({
  onArchive,
  onArchived,
  label,
  title,
  intro,
  confirmLabel,
  danger = true,
  disabled = false,
}: {
  /** Archives the record; a rejection (an ApiError) is shown in the dialog. */
  onArchive: (reason: string) => Promise<unknown>;
  /** After the server archived the record and the dialog closed. */
  onArchived?: () => void;
  /** The button's text; "Archive" when not given. */
  label?: string;
  /** The dialog's heading; "Archive this record" when not given. */
  title?: string;
  /** What the step does, under the heading; the archive's explanation when not given. */
  intro?: string;
  /** The confirming button's text; "Archive" when not given. */
  confirmLabel?: string;
  /** Whether the opening button looks like a destructive action (archiving does). */
  danger?: boolean;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  const open = () => {
    setReason('');
    setError(undefined);
    setMissing(false);
    dialogRef.current?.showModal();
  };
  const close = () => dialogRef.current?.close();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    setError(undefined);
    setBusy(true);
    try {
      await onArchive(reason);
      close();
      onArchived?.();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  const reasonError = missing ? t('record.archive.reasonRequired') : errors.reason;
  return (
    <>
      <button
        type="button"
        className={danger ? 'button-danger' : 'button'}
        ref={openerRef}
        onClick={open}
        disabled={disabled}
      >
        {label ?? t('record.archive.button')}
      </button>
      <dialog
        ref={dialogRef}
        className="dialog archive-dialog"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-intro`}
        onClose={() => openerRef.current?.focus()}
      >
        <form noValidate onSubmit={(event) => void submit(event)}>
          <h2 id={`${id}-title`}>{title ?? t('record.archive.title')}</h2>
          <p id={`${id}-intro`}>{intro ?? t('record.archive.intro')}</p>
          <Field label={t('record.archive.reason')} hint={t('record.archive.reasonHint')} error={reasonError}>
            {(control) => (
              <textarea
                {...control}
                dir="auto"
                rows={3}
                required
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            )}
          </Field>
          {error !== undefined && errors.reason === undefined && <ErrorNotice error={error} />}
          <div className="actions">
            <button type="submit" className="button-danger" disabled={busy}>
              {confirmLabel ?? t('record.archive.confirm')}
            </button>
            <button type="button" onClick={close}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
