import type { ResponseOf } from '../../api/client';
import { useI18n } from '../../i18n/i18n';

export type ImportJob = ResponseOf<'/api/v1/imports/jobs/{jobId}'>;

/**
 * Where a running import stands: rows checked again, then rows written out of all of them, then the statistics
 * refreshed; a bar that fills as the server reports.
 */
export function ImportJobProgress({ job }: { job: ImportJob | undefined }) {
  const { t } = useI18n();
  const phase = job?.phase ?? 'queued';
  const done = job?.done ?? 0;
  const total = job?.total ?? null;
  const label =
    phase === 'validate'
      ? t('transfer.import.progressValidate', { count: done })
      : phase === 'load'
        ? t('transfer.import.progressLoad', { done, count: total ?? done })
        : phase === 'analyse'
          ? t('transfer.import.progressAnalyse')
          : t('transfer.import.progressQueued');
  return (
    <div className="transfer-progress" role="status" data-testid="import-progress" data-phase={phase}>
      <span>{label}</span>
      {total !== null && total > 0 ? (
        <progress value={done} max={total} aria-label={label} />
      ) : (
        <progress aria-label={label} />
      )}
    </div>
  );
}
