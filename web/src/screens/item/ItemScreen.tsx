import { api, call } from '../../api/client';
import { MediaSection } from '../../components/MediaSection';
import { RecordHistory } from '../../components/record/RecordHistory';
import { Appended, Detail, ErrorNotice, LoadedSection, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { isolate, useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { CustodyForm } from './CustodyForm';
import { DisposalForm } from './DisposalForm';
import { useItemFields } from './itemFields';
import { ItemRecordActions } from './ItemRecordActions';
import { ReviewPanel } from '../review/ReviewPanel';
import { MediaReviewToggle } from '../review/RecordReviewToggle';
import { MarkingsSection } from './MarkingsSection';
import { ItemTracing } from '../provenance/ItemTracing';
import { labelsOf } from '../site/siteFields';
import { useRecordAccess } from '../../components/useRecordAccess';
import { SensitivityBadge, SensitivityDetail } from '../../components/sensitivity/SensitivityBadge';

export function ItemPage({ investigationId, itemId }: { investigationId: string; itemId: string }) {
  const { t, label, formatNumber, formatDateTime } = useI18n();
  const item = useLoad(() => call(api.GET('/api/v1/items/{id}', { params: { path: { id: itemId } } })), [itemId]);
  const siteId = item.data?.site_id ?? undefined;
  const site = useLoad(
    () =>
      siteId === undefined
        ? Promise.resolve(undefined)
        : call(api.GET('/api/v1/sites/{id}', { params: { path: { id: siteId } } })),
    [siteId],
  );
  const zones = useLoad(
    () =>
      siteId === undefined
        ? Promise.resolve(undefined)
        : call(api.GET('/api/v1/sites/{id}/zones', { params: { path: { id: siteId }, query: { limit: 500 } } })),
    [siteId],
  );
  const custody = useLoad(
    () => call(api.GET('/api/v1/items/{id}/custody', { params: { path: { id: itemId } } })),
    [itemId],
  );
  const mayChange = useRecordAccess(investigationId);
  const zoneName = (id: string) => zones.data?.items.find((zone) => zone.id === id)?.name;
  const historyLabels = labelsOf(useItemFields((id) => (id === site.data?.id ? site.data.name : zoneName(id))));
  const title = item.data === undefined ? undefined : label('category', item.data.category);
  useDocumentTitle(title);

  if (item.error !== undefined) return <ErrorNotice error={item.error} />;
  if (item.data === undefined) return <Loading />;
  const data = item.data;
  const zone = zones.data?.items.find((candidate) => candidate.id === data.zone_id);
  const refresh = item.reload;

  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          {data.site_id === null ? (
            <span>{t('item.siteHidden')}</span>
          ) : (
            <Link to={paths.site(investigationId, data.site_id)}>
              {site.data === undefined ? t('item.site') : <UserText text={site.data.name} />}
            </Link>
          )}
        </p>
        <h1>
          {title}
          <Appended separator=" · " text={data.model} />
        </h1>
        <p className="record-badges">
          <SensitivityBadge level={data.sensitivity} />
        </p>
        {data.archived_at !== null && (
          <p className="notice notice-warning">
            {t('item.archived')} <bdi dir="auto">{data.archive_reason}</bdi>
          </p>
        )}
        <ItemRecordActions item={data} mayEdit={mayChange(data)} onChanged={refresh} />
      </header>

      <section className="section" aria-labelledby="item-details-title">
        <h2 id="item-details-title">{t('item.details')}</h2>
        <dl className="details">
          <Detail term={t('item.externalRef')}>
            <UserText text={data.external_ref} />
          </Detail>
          <Detail term={t('item.quantity')}>{formatNumber(data.quantity)}</Detail>
          <Detail term={t('item.zone')}>
            {zone === undefined ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              <UserText text={zone.name} />
            )}
          </Detail>
          <Detail term={t('item.condition')}>{label('condition', data.condition)}</Detail>
          <Detail term={t('item.assemblyState')}>{label('assembly', data.assembly_state)}</Detail>
          <Detail term={t('item.productionType')}>{label('productionType', data.production_type)}</Detail>
          <Detail term={t('item.tags')}>
            {data.tags.length === 0 ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              <ul className="tags">
                {data.tags.map((tag) => (
                  <li key={tag}>
                    <bdi dir="auto">{tag}</bdi>
                  </li>
                ))}
              </ul>
            )}
          </Detail>
          <Detail term={t('item.recorded')}>{formatDateTime(data.created_at)}</Detail>
          <SensitivityDetail record={data} />
        </dl>
        {data.observations !== '' && (
          <>
            <h3>{t('item.observations')}</h3>
            <p className="prose" dir="auto">
              {data.observations}
            </p>
          </>
        )}
      </section>

      <MarkingsSection item={data} mayChange={mayChange} onChanged={refresh} />

      <MediaSection
        investigationId={investigationId}
        target={{ itemId, markingIds: data.markings.map((marking) => marking.id) }}
        markingText={(markingId) => data.markings.find((marking) => marking.id === markingId)?.text}
        extra={(media) => <MediaReviewToggle media={media} />}
      />

      <ReviewPanel kind="item" recordId={itemId} refreshKey={data.version} />

      <section className="section section-hazards" aria-labelledby="hazard-title">
        <h2 id="hazard-title">{t('item.hazardAndDisposal')}</h2>
        <dl className="details">
          <Detail term={t('item.fuzeFitted')}>{label('hazardState', data.fuze_fitted)}</Detail>
          <Detail term={t('item.safetyDeviceFitted')}>{label('hazardState', data.safety_device_fitted)}</Detail>
          <Detail term={t('item.disposalStatus')}>{label('disposal', data.disposal_status)}</Detail>
          <Detail term={t('item.disposalNote')}>
            <UserText text={data.disposal_note} />
          </Detail>
        </dl>
        <DisposalForm key={data.version} item={data} onChanged={refresh} />
      </section>

      <LoadedSection
        id="custody"
        title={t('custody.title')}
        loaded={custody}
        isEmpty={(found) => found.items.length === 0}
        empty={t('custody.empty')}
        footer={<CustodyForm investigationId={investigationId} itemId={itemId} onAdded={custody.reload} />}
      >
        {(found) => (
          <ol className="timeline">
            {found.items.map((event) => (
              <li key={event.id}>
                <time dateTime={event.occurred_at}>{formatDateTime(event.occurred_at)}</time>
                <span>
                  {t('custody.handOver', { from: isolate(event.from_party), to: isolate(event.to_party) })}
                  <Appended separator=" · " text={event.place} />
                  <Appended separator=" — " text={event.note} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </LoadedSection>

      <ItemTracing investigationId={investigationId} itemId={itemId} markings={data.markings} />

      <RecordHistory
        investigationId={investigationId}
        entityId={itemId}
        refreshKey={data.version}
        title={t('item.history')}
        fieldLabels={historyLabels}
      />
    </div>
  );
}
