import type { TransferProgress } from '../api/transfer';
import { useI18n } from '../i18n/i18n';

/** A progress bar for a transfer: its share when the size is known, else a busy bar with the bytes so far. */
export function TransferProgressBar({ label, progress }: { label: string; progress: TransferProgress | undefined }) {
  const { t, formatNumber } = useI18n();
  const total = progress?.total;
  const loaded = progress?.loaded ?? 0;
  const kilobytes = (bytes: number) => formatNumber(Math.ceil(bytes / 1024));
  return (
    <div className="transfer-progress" role="status">
      <span>{label}</span>
      {total !== undefined && total > 0 ? (
        <>
          <progress value={loaded} max={total} aria-label={label} />
          <span>{t('transfer.progress.known', { loaded: kilobytes(loaded), total: kilobytes(total) })}</span>
        </>
      ) : (
        <>
          <progress aria-label={label} />
          {loaded > 0 && <span>{t('transfer.progress.unknown', { loaded: kilobytes(loaded) })}</span>}
        </>
      )}
    </div>
  );
}
