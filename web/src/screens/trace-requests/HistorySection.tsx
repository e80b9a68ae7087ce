import { api, call, type ActorRecord } from '../../api/client';
import { valueText } from '../../components/record/recordDiff';
import { LoadedSection, UserText } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { useTraceRequestFields } from './fields';

// Bookkeeping every row carries: not worth a line in the history.
const hidden = new Set([
  'id',
  'investigation_id',
  'trace_request_id',
  'created_by',
  'created_at',
  'updated_at',
  'version',
]);

/** Every change to the request, its items and its documents, oldest first, from the audit chain. */
export function HistorySection({
  requestId,
  version,
  actors,
}: {
  requestId: string;
  version: number;
  actors: readonly ActorRecord[];
}) {
  const { t, label, formatDateTime } = useI18n();
  const fields = useTraceRequestFields(actors);
  const extraLabels: Record<string, string> = {
    item_id: t('lots.item'),
    kind: t('traceDocs.kind'),
    description: t('traceDocs.description'),
    archive_reason: t('record.archive.reason'),
  };
  const describe = (field: string, value: unknown) => {
    const known = fields.find((candidate) => candidate.key === field);
    const text =
      field === 'kind' && typeof value === 'string'
        ? label('traceDocumentKind', value)
        : (known?.display ?? valueText)(value);
    return text === '' ? t('record.history.emptyValue') : text;
  };
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
                <UserText text={entry.actor_label} /> · {label('action', entry.action)}
                <ul className="plain-list small">
                  {entry.changes
                    .filter((change) => !hidden.has(change.field))
                    .map((change) => (
                      <li key={change.field}>
                        {fields.find((field) => field.key === change.field)?.label ??
                          extraLabels[change.field] ??
                          change.field}
                        {t('record.history.colon')}
                        <bdi dir="auto">{describe(change.field, change.before)}</bdi> {t('tracing.arrow')}{' '}
                        <bdi dir="auto">{describe(change.field, change.after)}</bdi>
                      </li>
                    ))}
                </ul>
              </span>
            </li>
          ))}
        </ol>
      )}
    </LoadedSection>
  );
}
