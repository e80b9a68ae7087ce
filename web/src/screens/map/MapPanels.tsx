// The side panel's lists of the map screen: the craft layer switch with its ranking, the legend of site types,
// and the list of located sites (the keyboard's way to every point on the map).
import { type CraftClusters, type SiteType } from '../../api/client';
import { siteTypeColours, siteTypes } from '../../api/vocabulary';
import { ErrorNotice, Loading, UserText } from '../../components/ui';
import { type Loaded } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';

/** What the list needs of a located site (a feature of the sites' GeoJSON). */
interface LocatedSite {
  id: string;
  properties: { name: string; site_type: SiteType };
}

/** The craft-production layer switch and, when on, the ten sites with the most craft-produced items. */
export function CraftLayerPanel({
  investigationId,
  show,
  onShowChange,
  craft,
}: {
  investigationId: string;
  show: boolean;
  onShowChange: (show: boolean) => void;
  craft: Loaded<CraftClusters | undefined>;
}) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="craft-layer-title">
      <h2 id="craft-layer-title">{t('map.layers')}</h2>
      <label className="checkbox">
        <input type="checkbox" checked={show} onChange={(event) => onShowChange(event.target.checked)} />
        {t('map.craftLayer')}
      </label>
      {show && craft.error !== undefined && <ErrorNotice error={craft.error} />}
      {show && craft.data !== undefined && (
        <>
          <p className="field-hint">{t('map.craftLayerHint')}</p>
          {craft.data.sites.length === 0 ? (
            <p className="empty">{t('analysis.noCraft')}</p>
          ) : (
            <ol className="link-list craft-ranking" aria-label={t('map.craftRanking')}>
              {craft.data.sites.slice(0, 10).map((site) => (
                <li key={site.site_id}>
                  <Link to={paths.site(investigationId, site.site_id)}>
                    <UserText text={site.name} />
                  </Link>{' '}
                  <span className="muted">{t('map.craftItems', { count: site.craft_items })}</span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

/** The colour of each site type on the map. */
export function SiteTypeLegend() {
  const { t, label } = useI18n();
  return (
    <section aria-labelledby="legend-title">
      <h2 id="legend-title">{t('map.legend')}</h2>
      <ul className="legend">
        {siteTypes.map((type) => (
          <li key={type}>
            <span className="site-dot" style={{ background: siteTypeColours[type] }} aria-hidden="true" />
            {label('siteType', type)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Every located site as a link, with its type. */
export function LocatedSitesList({
  investigationId,
  located,
  features,
}: {
  investigationId: string;
  located: readonly LocatedSite[];
  /** The loading state of the sites: an error, or nothing yet. */
  features: { data: unknown; error: unknown };
}) {
  const { t, label } = useI18n();
  return (
    <section aria-labelledby="map-sites-title">
      <h2 id="map-sites-title">{t('map.sites', { count: located.length })}</h2>
      {features.error !== undefined && <ErrorNotice error={features.error} />}
      {features.data === undefined && features.error === undefined && <Loading />}
      <ul className="link-list">
        {located.map((site) => (
          <li key={site.id}>
            <Link to={paths.site(investigationId, site.id)}>
              <UserText text={site.properties.name} />
            </Link>{' '}
            <span className="muted">{label('siteType', site.properties.site_type)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
