import { api, call, readAllPages } from '../../api/client';
import { comparableLot } from '../../components/TraceRequestList';
import { LoadedSection } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router';
import { tracingPaths } from '../trace-requests/paths';

/** The trace requests about a lot (any spelling of it), with where each stands. */
export function LotTraceRequests({ investigationId, lotMarking }: { investigationId: string; lotMarking: string }) {
  const { t, label } = useI18n();
  const requests = useLoad(async () => {
    const wanted = comparableLot(lotMarking);
    const { rows } = await readAllPages((after) =>
      call(
        api.GET('/api/v1/investigations/{id}/trace-requests', {
          params: { path: { id: investigationId }, query: { limit: 500, after } },
        }),
      ),
    );
    return rows.filter((request) => request.lot_marking !== null && comparableLot(request.lot_marking) === wanted);
  }, [investigationId, lotMarking]);
  return (
    <LoadedSection
      id="lot-requests"
      title={t('lots.requests')}
      loaded={requests}
      isEmpty={(rows) => rows.length === 0}
      empty={t('lots.noRequests')}
    >
      {(rows) => (
        <ul className="plain-list lot-list">
          {rows.map((request) => (
            <li key={request.id}>
              <Link to={tracingPaths.request(investigationId, request.id)}>
                <bdi dir="auto">{request.subject}</bdi>
              </Link>{' '}
              <span className="badge">{label('traceStatus', request.status)}</span>
              {request.overdue && <span className="badge badge-overdue">{t('trace.overdue')}</span>}
              <br />
              <span className="muted small">
                {t('trace.to')} <bdi dir="auto">{request.addressee_name}</bdi>
              </span>
            </li>
          ))}
        </ul>
      )}
    </LoadedSection>
  );
}
