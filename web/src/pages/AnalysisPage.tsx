import { useMemo, useState, type ReactNode } from 'react';
import {
  api,
  call,
  type CategoryFigures,
  type CraftClusters,
  type ExportToRecovery,
  type OpenTraceRequests,
  type ProductionCountries,
  type ProductionSitesOverTime,
} from '../api/client';
import { BarChart, ChartFigure, ColumnChart, type Bar } from '../components/charts';
import { TableScroll } from '../components/TableScroll';
import { DataTable, type DataColumn } from '../components/DataTable';
import { EmptyState, LoadedSection, UserText } from '../components/ui';
import { useDocumentTitle, useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { Link, paths } from '../router';

/** Formats shared by the charts of this page, in the user's language. */
function useFormats() {
  const { locale, t } = useI18n();
  return useMemo(() => {
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const number = new Intl.NumberFormat(locale);
    const years = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const year = new Intl.NumberFormat(locale, { useGrouping: false });
    const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    let regions: Intl.DisplayNames | undefined;
    try {
      regions = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      regions = undefined;
    }
    return {
      percent: (share: number) => percent.format(share),
      number: (value: number) => number.format(value),
      years: (value: number | null) => (value === null ? '—' : years.format(value)),
      countWithShare: (count: number, share: number) => `${number.format(count)} (${percent.format(share)})`,
      /** 'YYYY-MM' or 'YYYY' as a month or a year of the user's calendar display. */
      period: (period: string) => {
        const [yearPart, monthPart] = period.split('-').map(Number);
        if (yearPart === undefined || Number.isNaN(yearPart)) return period;
        if (monthPart === undefined) return year.format(yearPart);
        return month.format(Date.UTC(yearPart, monthPart - 1, 1));
      },
      country: (key: string, code: string | null) => {
        if (key === 'unknown') return t('analysis.countryUnknown');
        if (key === 'contested') return t('analysis.countryContested');
        const regionCode = code ?? key;
        try {
          return regions?.of(regionCode) ?? regionCode;
        } catch {
          return regionCode;
        }
      },
      /** A band of years such as 2–5, from its bounds (the upper one exclusive). */
      yearBand: (band: { min_years: number; max_years: number | null }) =>
        band.max_years === null
          ? t('analysis.yearsAtLeast', { min: band.min_years })
          : band.min_years === 0
            ? t('analysis.yearsUnder', { max: band.max_years })
            : t('analysis.yearsRange', { min: band.min_years, max: band.max_years }),
      /** An age band label from the API ("0–30", ">365"), in the user's digits. */
      dayBand: (label: string) => {
        const range = /^(\d+)\D+(\d+)$/.exec(label);
        if (range !== null) return t('analysis.daysRange', { min: Number(range[1]), max: Number(range[2]) });
        const over = /^>\s*(\d+)$/.exec(label);
        if (over !== null) return t('analysis.daysOver', { min: Number(over[1]) });
        return label;
      },
    };
  }, [locale, t]);
}

/** "Label: value; label: value" for a chart's aria-label. */
const summarise = (title: string, bars: readonly Pick<Bar, 'labelText' | 'valueText'>[]) =>
  `${title}. ${bars.map((bar) => `${bar.labelText}: ${bar.valueText}`).join('; ')}`;

/** Items, their share and their units: the figure columns of the country and category tables. */
function itemShareUnitColumns<Row extends { items: number; share_items: number; quantity: number }>(
  t: ReturnType<typeof useI18n>['t'],
  format: ReturnType<typeof useFormats>,
): DataColumn<Row>[] {
  return [
    { key: 'items', header: t('overview.items'), numeric: true, cell: (row) => format.number(row.items) },
    { key: 'share', header: t('analysis.share'), numeric: true, cell: (row) => format.percent(row.share_items) },
    { key: 'units', header: t('overview.units'), numeric: true, cell: (row) => format.number(row.quantity) },
  ];
}

const confidenceColours = { confirmed: 1, probable: 2, possible: 3 } as const;
const productionColours = { factory: 1, craft: 4, unknown: 5 } as const;

function ProductionCountriesChart({ data }: { data: ProductionCountries }) {
  const { t, label } = useI18n();
  const format = useFormats();
  if (data.total_items === 0) return <EmptyState>{t('analysis.noItems')}</EmptyState>;
  const bars: Bar[] = data.rows.map((row) => {
    const attributed = row.confirmed + row.probable + row.possible;
    return {
      key: row.key,
      label: format.country(row.key, row.country_code),
      labelText: format.country(row.key, row.country_code),
      value: row.items,
      valueText: format.countWithShare(row.items, row.share_items),
      // Items without an attribution (not established, contested) are grey, not a confidence colour.
      colour: 5,
      segments:
        attributed === row.items && attributed > 0
          ? (['confirmed', 'probable', 'possible'] as const).map((confidence) => ({
              colour: confidenceColours[confidence],
              value: row[confidence],
              label: label('confidence', confidence),
            }))
          : undefined,
    };
  });
  const title = t('analysis.byCountry');
  return (
    <ChartFigure
      title={title}
      summary={summarise(title, bars)}
      testId="chart-production-countries"
      legend={[
        ...(['confirmed', 'probable', 'possible'] as const).map((confidence) => ({
          colour: confidenceColours[confidence],
          label: label('confidence', confidence),
        })),
        { colour: 5, label: t('analysis.countryUnknown') },
      ]}
      table={
        <DataTable
          rows={data.rows}
          rowKey={(row) => row.key}
          columns={[
            {
              key: 'country',
              header: t('analysis.country'),
              cell: (row) => format.country(row.key, row.country_code),
            },
            ...itemShareUnitColumns(t, format),
            ...(['confirmed', 'probable', 'possible'] as const).map(
              (confidence): DataColumn<ProductionCountries['rows'][number]> => ({
                key: confidence,
                header: label('confidence', confidence),
                numeric: true,
                cell: (row) => format.number(row[confidence]),
              }),
            ),
          ]}
        />
      }
    >
      <BarChart bars={bars} />
    </ChartFigure>
  );
}

function CategoriesChart({ data }: { data: CategoryFigures }) {
  const { t, label } = useI18n();
  const format = useFormats();
  if (data.total_items === 0) return <EmptyState>{t('analysis.noItems')}</EmptyState>;
  const bars: Bar[] = data.rows.map((row) => ({
    key: row.category,
    label: label('category', row.category),
    labelText: label('category', row.category),
    value: row.items,
    valueText: format.countWithShare(row.items, row.share_items),
    segments: [
      { colour: productionColours.factory, value: row.factory_items, label: label('productionType', 'factory') },
      { colour: productionColours.craft, value: row.craft_items, label: label('productionType', 'craft') },
      {
        colour: productionColours.unknown,
        value: row.unknown_production_items,
        label: label('productionType', 'unknown'),
      },
    ],
  }));
  const title = t('analysis.byCategory');
  return (
    <ChartFigure
      title={title}
      summary={summarise(title, bars)}
      testId="chart-categories"
      legend={(['factory', 'craft', 'unknown'] as const).map((type) => ({
        colour: productionColours[type],
        label: label('productionType', type),
      }))}
      table={
        <DataTable
          rows={data.rows}
          rowKey={(row) => row.category}
          columns={[
            { key: 'category', header: t('item.category'), cell: (row) => label('category', row.category) },
            ...itemShareUnitColumns(t, format),
            ...(
              [
                ['factory', 'factory_items'],
                ['craft', 'craft_items'],
                ['unknown', 'unknown_production_items'],
              ] as const
            ).map(([type, field]): DataColumn<CategoryFigures['rows'][number]> => ({
              key: type,
              header: label('productionType', type),
              numeric: true,
              cell: (row) => format.number(row[field]),
            })),
          ]}
        />
      }
    >
      <BarChart bars={bars} />
    </ChartFigure>
  );
}

function DistributionTable({
  caption,
  firstColumn,
  rows,
}: {
  caption: string;
  firstColumn: string;
  rows: { key: string; label: ReactNode; n: number; min: number | null; median: number | null; max: number | null }[];
}) {
  const { t } = useI18n();
  const format = useFormats();
  return (
    <TableScroll label={caption}>
      <DataTable
        caption={caption}
        rows={rows}
        rowKey={(row) => row.key}
        columns={[
          { key: 'label', header: firstColumn, cell: (row) => row.label },
          { key: 'n', header: t('overview.items'), numeric: true, cell: (row) => format.number(row.n) },
          { key: 'min', header: t('analysis.minYears'), numeric: true, cell: (row) => format.years(row.min) },
          { key: 'median', header: t('analysis.medianYears'), numeric: true, cell: (row) => format.years(row.median) },
          { key: 'max', header: t('analysis.maxYears'), numeric: true, cell: (row) => format.years(row.max) },
        ]}
      />
    </TableScroll>
  );
}

function ExportToRecoveryChart({ data }: { data: ExportToRecovery }) {
  const { t, label } = useI18n();
  const format = useFormats();
  const excluded = data.excluded.no_recovery_date + data.excluded.no_dated_claim + data.excluded.recovered_before_start;
  const excludedNote = (
    <p className="muted small">
      {t('analysis.excluded', {
        noRecovery: data.excluded.no_recovery_date,
        noClaim: data.excluded.no_dated_claim,
        contradictory: data.excluded.recovered_before_start,
      })}
    </p>
  );
  if (data.overall.n === 0) {
    return (
      <>
        <EmptyState>{t('analysis.noIntervals')}</EmptyState>
        {excluded > 0 && excludedNote}
      </>
    );
  }
  const columns = data.bins.map((bin, index) => {
    const count = data.overall.counts[index] ?? 0;
    return { key: bin.label, label: format.yearBand(bin), value: count, valueText: format.number(count) };
  });
  const title = t('analysis.exportToRecoveryChart');
  const summary = `${title}. ${t('analysis.distributionSummary', {
    n: data.overall.n,
    median: format.years(data.overall.median_years),
    min: format.years(data.overall.min_years),
    max: format.years(data.overall.max_years),
  })} ${columns.map((column) => `${column.label}: ${column.valueText}`).join('; ')}`;
  return (
    <>
      <p>
        {t('analysis.distributionSummary', {
          n: data.overall.n,
          median: format.years(data.overall.median_years),
          min: format.years(data.overall.min_years),
          max: format.years(data.overall.max_years),
        })}
      </p>
      <ChartFigure
        title={title}
        summary={summary}
        testId="chart-export-to-recovery"
        table={
          <DataTable
            rows={columns}
            rowKey={(column) => column.key}
            columns={[
              { key: 'years', header: t('analysis.years'), cell: (column) => column.label },
              { key: 'items', header: t('overview.items'), numeric: true, cell: (column) => column.valueText },
            ]}
          />
        }
      >
        <ColumnChart columns={columns} />
      </ChartFigure>
      <div className="grid-2">
        <DistributionTable
          caption={t('analysis.byCategory')}
          firstColumn={t('item.category')}
          rows={data.by_category.map((row) => ({
            key: row.category,
            label: label('category', row.category),
            n: row.n,
            min: row.min_years,
            median: row.median_years,
            max: row.max_years,
          }))}
        />
        <DistributionTable
          caption={t('analysis.byProducer')}
          firstColumn={t('analysis.producer')}
          rows={data.by_producer.map((row) => ({
            key: row.producer_id ?? 'unknown',
            label:
              row.producer_name === null ? (
                t('analysis.producerUnknown')
              ) : (
                <>
                  <bdi dir="auto">{row.producer_name}</bdi>
                  {row.country_code !== null && ` (${format.country(row.country_code, row.country_code)})`}
                </>
              ),
            n: row.n,
            min: row.min_years,
            median: row.median_years,
            max: row.max_years,
          }))}
        />
      </div>
      {excluded > 0 && excludedNote}
    </>
  );
}

function CraftClustersChart({ data, investigationId }: { data: CraftClusters; investigationId: string }) {
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

function ProductionSitesChart({ data }: { data: ProductionSitesOverTime }) {
  const { t } = useI18n();
  const format = useFormats();
  if (data.periods.length === 0 && data.undated_sites === 0)
    return <EmptyState>{t('analysis.noWorkshops')}</EmptyState>;
  const columns = data.periods.map((period) => ({
    key: period.period,
    label: format.period(period.period),
    value: period.new_sites,
    valueText: format.number(period.new_sites),
  }));
  const title = t('analysis.workshopsByPeriod');
  return (
    <>
      {columns.length > 0 && (
        <ChartFigure
          title={title}
          summary={`${title}. ${columns.map((column) => `${column.label}: ${column.valueText}`).join('; ')}`}
          testId="chart-production-sites"
          table={
            <DataTable
              rows={data.periods}
              rowKey={(period) => period.period}
              columns={[
                { key: 'period', header: t('analysis.period'), cell: (period) => format.period(period.period) },
                {
                  key: 'new',
                  header: t('analysis.newWorkshops'),
                  numeric: true,
                  cell: (period) => format.number(period.new_sites),
                },
                {
                  key: 'cumulative',
                  header: t('analysis.cumulativeWorkshops'),
                  numeric: true,
                  cell: (period) => format.number(period.cumulative_sites),
                },
                {
                  key: 'craft',
                  header: t('analysis.craftItems'),
                  numeric: true,
                  cell: (period) => format.number(period.craft_items),
                },
              ]}
            />
          }
        >
          <ColumnChart columns={columns} />
        </ChartFigure>
      )}
      {data.undated_sites > 0 && (
        <p className="muted small">{t('analysis.undatedWorkshops', { count: data.undated_sites })}</p>
      )}
    </>
  );
}

function OpenTraceRequestsChart({ data }: { data: OpenTraceRequests }) {
  const { t, label, formatDate } = useI18n();
  const format = useFormats();
  if (data.total_open === 0) return <EmptyState>{t('analysis.noOpenRequests')}</EmptyState>;
  // Age bands from young to old: colours from light to dark.
  const bandColour = (index: number) => 6 + Math.min(index, 4);
  const bars: Bar[] = data.by_addressee.map((row) => ({
    key: row.addressee_id,
    label: <bdi dir="auto">{row.name}</bdi>,
    labelText: row.name,
    value: row.open,
    valueText:
      row.overdue > 0
        ? t('analysis.openWithOverdue', { open: row.open, overdue: row.overdue })
        : format.number(row.open),
    segments: row.buckets.map((count, index) => ({
      colour: bandColour(index),
      value: count,
      label: format.dayBand(data.age_buckets[index] ?? ''),
    })),
  }));
  const title = t('analysis.openByAddressee');
  return (
    <>
      <ChartFigure
        title={title}
        summary={summarise(title, bars)}
        testId="chart-open-trace-requests"
        legend={data.age_buckets.map((bucket, index) => ({ colour: bandColour(index), label: format.dayBand(bucket) }))}
        table={
          <DataTable
            rows={data.by_addressee}
            rowKey={(row) => row.addressee_id}
            columns={[
              { key: 'addressee', header: t('analysis.addressee'), cell: (row) => <UserText text={row.name} /> },
              { key: 'open', header: t('analysis.open'), numeric: true, cell: (row) => format.number(row.open) },
              { key: 'drafts', header: t('analysis.drafts'), numeric: true, cell: (row) => format.number(row.drafts) },
              {
                key: 'awaiting',
                header: t('analysis.awaiting'),
                numeric: true,
                cell: (row) => format.number(row.awaiting_answer),
              },
              { key: 'overdue', header: t('trace.overdue'), numeric: true, cell: (row) => format.number(row.overdue) },
              ...data.age_buckets.map((bucket, index): DataColumn<OpenTraceRequests['by_addressee'][number]> => ({
                key: `age-${bucket}`,
                header: format.dayBand(bucket),
                numeric: true,
                cell: (row) => format.number(row.buckets[index] ?? 0),
              })),
            ]}
          />
        }
      >
        <BarChart bars={bars} />
      </ChartFigure>
      <TableScroll label={t('analysis.openRequests', { date: formatDate(data.as_of) })}>
        <DataTable
          caption={t('analysis.openRequests', { date: formatDate(data.as_of) })}
          rows={data.requests}
          rowKey={(request) => request.id}
          columns={[
            {
              key: 'subject',
              header: t('trace.subject'),
              cell: (request) => (
                <>
                  <UserText text={request.subject} />
                  {request.overdue && <span className="badge badge-overdue">{t('trace.overdue')}</span>}
                </>
              ),
            },
            {
              key: 'addressee',
              header: t('analysis.addressee'),
              cell: (request) => <UserText text={request.addressee_name} />,
            },
            { key: 'status', header: t('trace.status'), cell: (request) => label('traceStatus', request.status) },
            {
              key: 'sent',
              header: t('trace.sent'),
              cell: (request) => (request.sent_on === null ? '' : formatDate(request.sent_on)),
            },
            {
              key: 'due',
              header: t('trace.due'),
              cell: (request) => (request.due_on === null ? '' : formatDate(request.due_on)),
            },
            {
              key: 'age',
              header: t('analysis.ageDays'),
              numeric: true,
              cell: (request) => format.number(request.age_days),
            },
          ]}
        />
      </TableScroll>
    </>
  );
}

/** The figures analysts publish, as charts with their tables, and the report that gathers them. */
export function AnalysisPage({ investigationId }: { investigationId: string }) {
  const { t, locale } = useI18n();
  useDocumentTitle(t('analysis.title'));
  const [granularity, setGranularity] = useState<'month' | 'year'>('year');
  const path = { params: { path: { id: investigationId } } };
  const investigation = useLoad(() => call(api.GET('/api/v1/investigations/{id}', path)), [investigationId]);
  const countries = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/production-countries', path)),
    [investigationId],
  );
  const categories = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/categories', path)),
    [investigationId],
  );
  const exportToRecovery = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/export-to-recovery', path)),
    [investigationId],
  );
  const craft = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/craft-clusters', path)),
    [investigationId],
  );
  const workshops = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/analysis/production-sites-over-time', {
          params: { path: { id: investigationId }, query: { granularity } },
        }),
      ),
    [investigationId, granularity],
  );
  const openRequests = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/open-trace-requests', path)),
    [investigationId],
  );
  // The report speaks English or Arabic; French readers get the English one.
  const reportUrl = `/api/v1/investigations/${investigationId}/report.html?lang=${locale === 'ar' ? 'ar' : 'en'}`;

  return (
    <div className="page analysis">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>
            {investigation.data === undefined ? t('nav.overview') : <UserText text={investigation.data.title} />}
          </Link>
        </p>
        <h1>{t('analysis.title')}</h1>
        <p className="lead">{t('analysis.intro')}</p>
        <div className="actions">
          <a className="button button-primary" href={reportUrl} target="_blank" rel="noopener">
            {t('analysis.openReport')}
          </a>
        </div>
        <nav aria-label={t('analysis.contents')}>
          <ul className="toc">
            <li>
              <a href="#countries">{t('analysis.countriesTitle')}</a>
            </li>
            <li>
              <a href="#categories">{t('analysis.categoriesTitle')}</a>
            </li>
            <li>
              <a href="#export-to-recovery">{t('analysis.exportToRecoveryTitle')}</a>
            </li>
            <li>
              <a href="#craft">{t('analysis.craftTitle')}</a>
            </li>
            <li>
              <a href="#workshops">{t('analysis.workshopsTitle')}</a>
            </li>
            <li>
              <a href="#trace-requests">{t('analysis.traceRequestsTitle')}</a>
            </li>
          </ul>
        </nav>
      </header>

      <LoadedSection
        className="section analysis-section"
        id="countries"
        title={t('analysis.countriesTitle')}
        intro={t('analysis.countriesIntro')}
        loaded={countries}
      >
        {(data) => <ProductionCountriesChart data={data} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="categories"
        title={t('analysis.categoriesTitle')}
        loaded={categories}
      >
        {(data) => <CategoriesChart data={data} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="export-to-recovery"
        title={t('analysis.exportToRecoveryTitle')}
        intro={t('analysis.exportToRecoveryIntro')}
        loaded={exportToRecovery}
      >
        {(data) => <ExportToRecoveryChart data={data} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="craft"
        title={t('analysis.craftTitle')}
        intro={t('analysis.craftIntro')}
        loaded={craft}
      >
        {(data) => <CraftClustersChart data={data} investigationId={investigationId} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="workshops"
        title={t('analysis.workshopsTitle')}
        loaded={workshops}
      >
        {(data) => (
          <>
            <label className="inline-select">
              <span>{t('analysis.granularity')}</span>
              <select value={granularity} onChange={(event) => setGranularity(event.target.value as 'month' | 'year')}>
                <option value="year">{t('analysis.byYear')}</option>
                <option value="month">{t('analysis.byMonth')}</option>
              </select>
            </label>
            <ProductionSitesChart data={data} />
          </>
        )}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="trace-requests"
        title={t('analysis.traceRequestsTitle')}
        intro={t('analysis.traceRequestsIntro')}
        loaded={openRequests}
      >
        {(data) => <OpenTraceRequestsChart data={data} />}
      </LoadedSection>
    </div>
  );
}
