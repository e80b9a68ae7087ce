import { api, call } from '../../api/client';
import { LoadedSection } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';

function shown(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every change to the request, its items and its documents, oldest first, from the audit chain. */
export function HistorySection({ requestId, version }: { requestId: string; version: number }) {
  const { t, formatDateTime } = useI18n();
  const history = useLoad(
    () => call(api.GET('/api/v1/trace-requests/{id}/history', { params: { path: { id: requestId } } })),
    [requestId, version],
  );
  return (
    <LoadedSection
      id="trace-history"
      title={t('traceDetail.history')}
      loaded={history}
      isEmpty={(data) => data.entries.length === 0}
      empty={t('traceDetail.noHistory')}
    >
      {(data) => (
        <ol className="timeline history-list">
          {data.entries.map((entry) => (
            <li key={entry.seq} data-testid="history-entry">
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              <span>
                <strong dir="ltr">{entry.action}</strong> · <bdi dir="auto">{entry.actor_label}</bdi>
                {entry.changes.length > 0 && (
                  <ul className="plain-list small">
                    {entry.changes
                      .filter((change) => !['updated_at', 'version', 'created_at'].includes(change.field))
                      .map((change) => (
                        <li key={change.field}>
                          <span dir="ltr">{change.field}</span>: <bdi dir="auto">{shown(change.before)}</bdi>{' '}
                          {t('tracing.arrow')} <bdi dir="auto">{shown(change.after)}</bdi>
                        </li>
                      ))}
                  </ul>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </LoadedSection>
  );
}
