import { useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { syncNow } from '../../offline/controller';
import { removeOutboxEntry, updateOutboxEntry, type OutboxEntry } from '../../offline/outbox';
import { vault } from '../../offline/vault';
import { ConflictView } from './ConflictView';
import { CorrectionForm } from './CorrectionForm';

/** One operation waiting on the device: its status and error, and what the user may do about it. */
export function EntryRow({ entry, onChanged }: { entry: OutboxEntry; onChanged: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [confirming, setConfirming] = useState(false);
  // A conflict opens by itself (also when it arrives while the screen is shown); the user may close it.
  const [openChoice, setOpen] = useState<boolean | undefined>(undefined);
  const open = openChoice ?? entry.status === 'conflict';
  // A file refused for a hash mismatch was most likely damaged on the way: the device's copy is sent again.
  const retry = async () => {
    const next: OutboxEntry = { ...entry, status: 'pending' };
    delete next.problem;
    await updateOutboxEntry(vault, next);
    onChanged();
    void syncNow();
  };
  const discard = async () => {
    await removeOutboxEntry(vault, entry.id);
    onChanged();
  };
  return (
    <li className={`outbox-entry outbox-${entry.status}`} data-testid="outbox-entry" data-status={entry.status}>
      <div className="outbox-entry-head">
        <span className="outbox-kind">{t(`offline.kind.${entry.kind}` as MessageKey)}</span>
        <bdi dir="auto" className="outbox-label">
          {entry.label}
        </bdi>
        <span className="muted">{formatDateTime(entry.created_at)}</span>
        <span className="outbox-entry-status">{t(`offline.status.${entry.status}` as MessageKey)}</span>
        {entry.attempts > 0 && <span className="muted">{t('offline.outbox.attempts', { count: entry.attempts })}</span>}
      </div>
      {entry.problem !== undefined && entry.status !== 'conflict' && (
        <p className="field-error">
          <bdi dir="auto">{entry.problem.detail}</bdi>
        </p>
      )}
      <div className="actions">
        {entry.status === 'rejected' && entry.operation !== undefined && (
          <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
            {t('offline.outbox.correct')}
          </button>
        )}
        {entry.status === 'rejected' && (entry.photo !== undefined || entry.link !== undefined) && (
          <button type="button" onClick={() => void retry()}>
            {t('offline.outbox.retry')}
          </button>
        )}
        {entry.status === 'conflict' && (
          <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
            {t('offline.outbox.resolve')}
          </button>
        )}
        <button type="button" className="button-link" onClick={() => setConfirming(true)}>
          {t('offline.outbox.discard')}
        </button>
      </div>
      {confirming && (
        <div className="notice notice-warning" role="alertdialog" aria-label={t('offline.outbox.discard')}>
          <p>{t('offline.outbox.discardConfirm')}</p>
          <div className="actions">
            <button type="button" className="button-danger" onClick={() => void discard()}>
              {t('offline.outbox.discardYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {open && entry.status === 'rejected' && entry.operation !== undefined && (
        <CorrectionForm entry={entry} onDone={onChanged} />
      )}
      {open && entry.status === 'conflict' && <ConflictView entry={entry} onDone={onChanged} />}
    </li>
  );
}
