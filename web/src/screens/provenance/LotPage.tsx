import { api, call } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice, Loading, LoadedSection } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths, useLocation } from '../../router';
import { useAccess } from '../trace-requests/data';
import { startTraceRequest, tracingPaths } from '../trace-requests/paths';
import { ClaimsPanel } from './ClaimsPanel';
import { LotTraceRequests } from './LotTraceRequests';

/**
 * A lot's provenance: every item carrying the lot wherever it was found, the claims about the lot as a timeline
 * (inherited by each of those items), and a trace request about the lot and its items.
 */
export function LotPage({ investigationId }: { investigationId: string }) {
  const { t, label } = useI18n();
  const lotMarking = useLocation().query.get('lot') ?? '';
  useDocumentTitle(lotMarking);
  const access = useAccess(investigationId);
  const lot = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/lot-provenance', {
          params: { path: { id: investigationId }, query: { lot_marking: lotMarking } },
        }),
      ),
    [investigationId, lotMarking],
  );
  if (lot.error !== undefined) return <ErrorNotice error={lot.error} />;
  if (lot.data === undefined) return <Loading />;
  const data = lot.data;
  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={tracingPaths.lots(investigationId)}>{t('lots.title')}</Link>
        </p>
        <h1>
          {t('lots.lot')} <bdi dir="auto">{data.lot_marking}</bdi>
        </h1>
        {access.canAdd && (
          <p>
            <button
              type="button"
              className="button-primary"
              onClick={() =>
                startTraceRequest(investigationId, {
                  lotMarking: data.lot_marking,
                  subject: t('lots.requestSubject', { lot: data.lot_marking }),
                  itemIds: data.items.map((item) => item.item_id),
                })
              }
            >
              {t('lots.startRequest')}
            </button>
          </p>
        )}
      </header>
      <LoadedSection
        id="lot-items"
        title={t('lots.items', { count: data.items.length })}
        loaded={lot}
        isEmpty={() => data.items.length === 0}
        empty={t('lots.noItems')}
      >
        {() => (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="lot-items-title">
            <DataTable
              caption={<span className="visually-hidden">{t('lots.itemsCaption')}</span>}
              rows={data.items}
              rowKey={(item) => item.item_id}
              columns={[
                {
                  key: 'item',
                  header: t('lots.item'),
                  cell: (item) => (
                    <Link to={paths.item(investigationId, item.item_id)}>
                      {label('category', item.category)}
                      {item.external_ref !== null && (
                        <>
                          {' · '}
                          <bdi dir="auto">{item.external_ref}</bdi>
                        </>
                      )}
                    </Link>
                  ),
                },
                { key: 'marking', header: t('lots.asRead'), cell: (item) => <bdi dir="auto">{item.marking_text}</bdi> },
                {
                  key: 'site',
                  header: t('item.site'),
                  cell: (item) => (
                    <Link to={paths.site(investigationId, item.site_id)}>
                      <bdi dir="auto">{item.site_name}</bdi>
                    </Link>
                  ),
                },
              ]}
            />
          </div>
        )}
      </LoadedSection>
      <LotTraceRequests investigationId={investigationId} lotMarking={data.lot_marking} />
      <section className="section" aria-labelledby="lot-provenance-title">
        <h2 id="lot-provenance-title">{t('provenance.title')}</h2>
        {data.claims.length === 0 && <p className="empty">{t('lots.noClaims')}</p>}
        <ClaimsPanel
          investigationId={investigationId}
          target={{ lotMarking: data.lot_marking }}
          claims={data.claims}
          onChanged={lot.reload}
        />
      </section>
    </div>
  );
}
