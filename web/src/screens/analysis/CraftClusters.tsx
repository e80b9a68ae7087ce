import { type CraftClusters } from '../../api/client';
import { BarChart, ChartFigure, type Bar } from '../../components/charts';
import { TableScroll } from '../../components/TableScroll';
import { DataTable } from '../../components/DataTable';
import { EmptyState, UserText } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { productionColours, summarise, useFormats } from './formats';

export function CraftClustersChart({ data, investigationId }: { data: CraftClusters; investigationId: string }) {
  const { t, label, formatDate } = useI18n();
  const format = useFormats();
  if (data.total_craft_items === 0) return <EmptyState>{t('analysis.noCraft')}</EmptyState>;
  const shown = data.sites.slice(0, 15);
  const bars: Bar[] = shown.map((site) => ({
    key: site.site_id,
    // Plain text: the chart is one image to assistive technology; the table below links to each site.
    label: <bdi dir="auto">{site.name}</bdi>,
    labelText: site.name,
    value: site.craft_items,
    valueText: format.countWithShare(site.craft_items, site.share_items),
    segments: [{ colour: productionColours.craft, value: site.craft_items, label: label('productionType', 'craft') }],
  }));
  const title = t('analysis.craftBySite');
  return (
    <>
      <div className="actions">
        <Link className="button" to={paths.map(investigationId, 'craft')}>
          {t('analysis.showOnMap')}
        </Link>
      </div>
      <ChartFigure
        title={title}
        summary={summarise(title, bars)}
        testId="chart-craft-clusters"
        table={
          <DataTable
            rows={data.sites}
            rowKey={(site) => site.site_id}
            columns={[
              {
                key: 'site',
                header: t('item.site'),
                cell: (site) => (
                  <Link to={paths.site(investigationId, site.site_id)}>
                    <UserText text={site.name} />
                  </Link>
                ),
              },
              { key: 'type', header: t('site.type'), cell: (site) => label('siteType', site.site_type) },
              {
                key: 'craft',
                header: t('analysis.craftItems'),
                numeric: true,
                cell: (site) => format.number(site.craft_items),
              },
              {
                key: 'share',
                header: t('analysis.share'),
                numeric: true,
                cell: (site) => format.percent(site.share_items),
              },
              {
                key: 'units',
                header: t('overview.units'),
                numeric: true,
                cell: (site) => format.number(site.craft_quantity),
              },
              {
                key: 'recovered',
                header: t('site.recoveredOn'),
                cell: (site) => (site.recovered_on === null ? '' : formatDate(site.recovered_on)),
              },
            ]}
          />
        }
      >
        <BarChart bars={bars} />
      </ChartFigure>
      {data.zones.length > 0 && (
        <TableScroll label={t('analysis.craftByZone')}>
          <DataTable
            caption={t('analysis.craftByZone')}
            rows={data.zones}
            rowKey={(zone) => zone.zone_id}
            columns={[
              { key: 'zone', header: t('item.zone'), cell: (zone) => <UserText text={zone.name} /> },
              {
                key: 'site',
                header: t('item.site'),
                cell: (zone) => (
                  <Link to={paths.site(investigationId, zone.site_id)}>
                    <UserText text={zone.site_name} />
                  </Link>
                ),
              },
              {
                key: 'craft',
                header: t('analysis.craftItems'),
                numeric: true,
                cell: (zone) => format.number(zone.craft_items),
              },
            ]}
          />
        </TableScroll>
      )}
    </>
  );
}
