import { api, call, readAllPages } from '../../api/client';
import { AuditList } from '../../components/AuditList';
import { HazardTable } from '../../components/HazardTable';
import { Appended, EmptyState, ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { SensitivityBadge } from '../../components/sensitivity/SensitivityBadge';

function CountTable({
  caption,
  columnLabel,
  rows,
}: {
  caption: string;
  columnLabel: string;
  rows: { key: string; label: string; items: number; units?: number }[];
}) {
  const { t, formatNumber } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{columnLabel}</th>
            <th scope="col" className="numeric">
              {t('overview.items')}
            </th>
            {rows.some((row) => row.units !== undefined) && (
              <th scope="col" className="numeric">
                {t('overview.units')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                {t('overview.noItems')}
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td className="numeric">{formatNumber(row.items)}</td>
              {row.units !== undefined && <td className="numeric">{formatNumber(row.units)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OverviewPage({ investigationId }: { investigationId: string }) {
  const { t, label, formatNumber, formatDate } = useI18n();
  const path = { params: { path: { id: investigationId } } };
  const investigation = useLoad(() => call(api.GET('/api/v1/investigations/{id}', path)), [investigationId]);
  const overview = useLoad(() => call(api.GET('/api/v1/investigations/{id}/overview', path)), [investigationId]);
  const hazards = useLoad(() => call(api.GET('/api/v1/investigations/{id}/hazards', path)), [investigationId]);
  const audit = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/audit', {
          params: { path: { id: investigationId }, query: { limit: 15 } },
        }),
      ),
    [investigationId],
  );
  const sources = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/sources', {
          params: { path: { id: investigationId }, query: { limit: 100 } },
        }),
      ),
    [investigationId],
  );
  const sites = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/sites', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows,
    [investigationId],
  );
  useDocumentTitle(investigation.data?.title);

  if (investigation.error !== undefined) return <ErrorNotice error={investigation.error} />;
  const counts = overview.data?.counts;

  return (
    <div className="page">
      <header className="page-header">
        <h1>
          <UserText text={investigation.data?.title ?? t('common.loading')} />
        </h1>
        {investigation.data !== undefined && investigation.data.summary !== '' && (
          <p className="lead" dir="auto">
            {investigation.data.summary}
          </p>
        )}
        <div className="actions">
          <Link className="button" to={paths.map(investigationId)}>
            {t('overview.openMap')}
          </Link>
          <Link className="button" to={paths.search(investigationId)}>
            {t('overview.search')}
          </Link>
          <Link className="button" to={paths.analysis(investigationId)}>
            {t('overview.analysis')}
          </Link>
        </div>
      </header>

      <section aria-labelledby="hazards-title" className="section section-hazards">
        <h2 id="hazards-title">{t('hazards.title')}</h2>
        <p className="muted">{t('hazards.explanation')}</p>
        {hazards.error !== undefined && <ErrorNotice error={hazards.error} />}
        {hazards.data === undefined ? (
          hazards.error === undefined && <Loading />
        ) : (
          <HazardTable investigationId={investigationId} hazards={hazards.data.items} />
        )}
      </section>

      <section aria-labelledby="counts-title" className="section">
        <h2 id="counts-title">{t('overview.counts')}</h2>
        {overview.error !== undefined && <ErrorNotice error={overview.error} />}
        {counts === undefined ? (
          overview.error === undefined && <Loading />
        ) : (
          <>
            <dl className="stats">
              {(
                [
                  ['overview.sites', counts.sites],
                  ['overview.items', counts.items],
                  ['overview.units', counts.item_units],
                  ['overview.markings', counts.markings],
                  ['overview.hazardous', counts.hazardous_items],
                ] as const
              ).map(([key, value]) => (
                <div key={key} className="stat">
                  <dt>{t(key)}</dt>
                  <dd>{formatNumber(value)}</dd>
                </div>
              ))}
            </dl>
            <div className="grid-3">
              <CountTable
                caption={t('overview.byCategory')}
                columnLabel={t('item.category')}
                rows={overview.data!.by_category.map((row) => ({
                  key: row.category,
                  label: label('category', row.category),
                  items: row.items,
                  units: row.units,
                }))}
              />
              <CountTable
                caption={t('overview.byCondition')}
                columnLabel={t('item.condition')}
                rows={overview.data!.by_condition.map((row) => ({
                  key: row.condition ?? '',
                  label: label('condition', row.condition),
                  items: row.items,
                }))}
              />
              <CountTable
                caption={t('overview.byProductionType')}
                columnLabel={t('item.productionType')}
                rows={overview.data!.by_production_type.map((row) => ({
                  key: row.production_type,
                  label: label('productionType', row.production_type),
                  items: row.items,
                }))}
              />
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="sites-title" className="section">
        <h2 id="sites-title">{t('overview.sitesTitle')}</h2>
        {sites.error !== undefined && <ErrorNotice error={sites.error} />}
        {sites.data === undefined ? (
          sites.error === undefined && <Loading />
        ) : sites.data.length === 0 ? (
          <EmptyState>
            {t('overview.noSites')} <Link to={paths.map(investigationId)}>{t('overview.addSiteOnMap')}</Link>
          </EmptyState>
        ) : (
          <ul className="link-list">
            {sites.data.map((site) => (
              <li key={site.id}>
                <Link to={paths.site(investigationId, site.id)}>
                  <UserText text={site.name} />
                </Link>{' '}
                <SensitivityBadge level={site.sensitivity} quietPublic />{' '}
                <span className="muted">
                  {label('siteType', site.site_type)}
                  {site.recovered_on !== null && ` · ${formatDate(site.recovered_on)}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="grid-2">
        <section aria-labelledby="activity-title" className="section">
          <h2 id="activity-title">{t('overview.activity')}</h2>
          {audit.error !== undefined && <ErrorNotice error={audit.error} />}
          {audit.data === undefined ? (
            audit.error === undefined && <Loading />
          ) : (
            <AuditList entries={audit.data.items} />
          )}
        </section>

        <section aria-labelledby="sources-title" className="section">
          <h2 id="sources-title">{t('sources.title')}</h2>
          <p className="muted">{t('sources.gradingExplanation')}</p>
          {sources.error !== undefined && <ErrorNotice error={sources.error} />}
          {sources.data === undefined ? (
            sources.error === undefined && <Loading />
          ) : sources.data.items.length === 0 ? (
            <EmptyState>{t('sources.empty')}</EmptyState>
          ) : (
            <ul className="source-list">
              {sources.data.items.map((source) => (
                <li key={source.id}>
                  <span
                    className={`grading${source.grading === null ? ' grading-none' : ''}`}
                    title={t('sources.gradingTitle')}
                  >
                    {source.grading ?? t('sources.ungraded')}
                  </span>
                  <span>
                    <UserText text={source.title} />
                    <span className="muted">
                      {' · '}
                      {label('sourceKind', source.kind)}
                      <Appended separator=" · " text={source.publisher} />
                      {source.published_on !== null && ` · ${formatDate(source.published_on)}`}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
