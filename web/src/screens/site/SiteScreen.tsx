import { useState } from 'react';
import { api, call } from '../../api/client';
import { InventoryTable } from '../../components/InventoryTable';
import { MediaSection } from '../../components/MediaSection';
import { Detail, ErrorNotice, LoadedSection, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths, useLocation } from '../../router';
import { RecordHistory } from '../../components/record/RecordHistory';
import { SiteRecordActions } from './SiteRecordActions';
import { labelsOf, useSiteFields } from './siteFields';
import { ZonesSection } from './ZonesSection';
import { useRecordAccess } from '../../components/useRecordAccess';
import { ReviewPanel } from '../review/ReviewPanel';
import { MediaReviewToggle } from '../review/RecordReviewToggle';
import { SensitivityBadge, SensitivityDetail } from '../../components/sensitivity/SensitivityBadge';

export function SitePage({ investigationId, siteId }: { investigationId: string; siteId: string }) {
  const { t, label, formatDate, formatNumber } = useI18n();
  const site = useLoad(() => call(api.GET('/api/v1/sites/{id}', { params: { path: { id: siteId } } })), [siteId]);
  const incidents = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/incidents', {
          params: { path: { id: investigationId }, query: { site_id: siteId, limit: 100 } },
        }),
      ),
    [investigationId, siteId],
  );
  const mayChange = useRecordAccess(investigationId);
  const { query } = useLocation();
  const [opened] = useState<'location' | 'site' | undefined>(() =>
    query.get('correct') === 'location' ? 'location' : query.get('edit') === 'site' ? 'site' : undefined,
  );
  const historyLabels = labelsOf(useSiteFields(), { archive_reason: t('record.archive.reason') });
  useDocumentTitle(site.data?.name);

  if (site.error !== undefined) return <ErrorNotice error={site.error} />;
  if (site.data === undefined) return <Loading />;
  const data = site.data;
  const otherNames = Object.entries(data.names);
  const mayEdit = mayChange(data);

  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={paths.map(investigationId)}>{t('nav.map')}</Link>
        </p>
        <h1>
          <UserText text={data.name} />
        </h1>
        <p className="muted">{label('siteType', data.site_type)}</p>
        <p className="record-badges">
          <SensitivityBadge level={data.sensitivity} />
        </p>
        {data.archived_at !== null && (
          <p className="notice notice-warning" data-testid="archived">
            {t('edit.archivedNotice')} <bdi dir="auto">{data.archive_reason}</bdi>
          </p>
        )}
        <div className="actions">
          <Link className="button button-primary" to={paths.newItem(investigationId, siteId)}>
            {t('site.addItem')}
          </Link>
        </div>
      </header>

      <section className="section" aria-labelledby="site-details-title">
        <h2 id="site-details-title">{t('site.details')}</h2>
        <dl className="details">
          <Detail term={t('site.externalRef')}>
            <UserText text={data.external_ref} />
          </Detail>
          <Detail term={t('site.coordinates')}>
            {data.latitude === null || data.longitude === null ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              <bdi dir="ltr">
                {data.latitude.toFixed(6)}, {data.longitude.toFixed(6)}
              </bdi>
            )}
          </Detail>
          <Detail term={t('site.precision')}>
            {data.precision_m === null ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              t('site.metres', { value: data.precision_m })
            )}
          </Detail>
          <Detail term={t('site.recoveredBy')}>
            <UserText text={data.recovered_by} />
          </Detail>
          <Detail term={t('site.recoveredOn')}>
            {data.recovered_on === null ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              formatDate(data.recovered_on)
            )}
          </Detail>
          <SensitivityDetail record={data} />
          {otherNames.length > 0 && (
            <Detail term={t('site.otherNames')}>
              <ul className="plain-list">
                {otherNames.map(([language, name]) => (
                  <li key={language}>
                    <span className="muted">{language}</span>{' '}
                    <bdi lang={language} dir="auto">
                      {name}
                    </bdi>
                  </li>
                ))}
              </ul>
            </Detail>
          )}
        </dl>
        {data.context !== '' && (
          <p className="prose" dir="auto">
            {data.context}
          </p>
        )}
        <SiteRecordActions site={data} mayEdit={mayEdit} opened={opened} onChanged={site.reload} />
      </section>

      <ReviewPanel kind="site" recordId={siteId} refreshKey={data.version} />

      <section className="section" aria-labelledby="inventory-title">
        <h2 id="inventory-title">{t('site.inventory')}</h2>
        <InventoryTable investigationId={investigationId} siteId={siteId} />
      </section>

      <div className="grid-2">
        <ZonesSection investigationId={investigationId} siteId={siteId} mayChange={mayChange} />

        <LoadedSection
          id="incidents"
          title={t('site.incidents')}
          loaded={incidents}
          isEmpty={(found) => found.items.length === 0}
          empty={t('site.noIncidents')}
        >
          {(found) => (
            <ul className="plain-list">
              {found.items.map((incident) => (
                <li key={incident.id}>
                  <strong>
                    <UserText text={incident.title} />
                  </strong>{' '}
                  <span className="muted">
                    {label('incidentType', incident.incident_type)}
                    {incident.occurred_on !== null && ` · ${formatDate(incident.occurred_on)}`}
                    {incident.killed !== null && ` · ${t('site.killed', { count: incident.killed })}`}
                    {incident.injured !== null && ` · ${t('site.injured', { count: incident.injured })}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </LoadedSection>
      </div>

      <MediaSection
        investigationId={investigationId}
        target={{ siteId }}
        extra={(media) => <MediaReviewToggle media={media} />}
      />
      <RecordHistory
        investigationId={investigationId}
        entityId={siteId}
        refreshKey={data.version}
        title={t('edit.site.historyTitle')}
        fieldLabels={historyLabels}
      />
      <p className="muted small">{t('site.lastUpdated', { version: formatNumber(data.version) })}</p>
    </div>
  );
}
