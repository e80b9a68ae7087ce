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
import { EmptyState, ErrorNotice, Loading, UserText } from '../components/ui';
import { useDocumentTitle, useLoad, type Loaded } from '../hooks';
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

function Section<T>({
  id,
  title,
  intro,
  loaded,
  children,
}: {
  id: string;
  title: string;
  intro?: string;
  loaded: Loaded<T>;
  children: (data: T) => ReactNode;
}) {
  return (
    <section className="section analysis-section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro !== undefined && <p className="muted">{intro}</p>}
      {loaded.error !== undefined && <ErrorNotice error={loaded.error} />}
      {loaded.data === undefined ? loaded.error === undefined && <Loading /> : children(loaded.data)}
    </section>
  );
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
        <table>
          <thead>
            <tr>
              <th scope="col">{t('analysis.country')}</th>
              <th scope="col" className="numeric">
                {t('overview.items')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.share')}
              </th>
              <th scope="col" className="numeric">
                {t('overview.units')}
              </th>
              {(['confirmed', 'probable', 'possible'] as const).map((confidence) => (
                <th key={confidence} scope="col" className="numeric">
                  {label('confidence', confidence)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{format.country(row.key, row.country_code)}</th>
                <td className="numeric">{format.number(row.items)}</td>
                <td className="numeric">{format.percent(row.share_items)}</td>
                <td className="numeric">{format.number(row.quantity)}</td>
                <td className="numeric">{format.number(row.confirmed)}</td>
                <td className="numeric">{format.number(row.probable)}</td>
                <td className="numeric">{format.number(row.possible)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
        <table>
          <thead>
            <tr>
              <th scope="col">{t('item.category')}</th>
              <th scope="col" className="numeric">
                {t('overview.items')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.share')}
              </th>
              <th scope="col" className="numeric">
                {t('overview.units')}
              </th>
              {(['factory', 'craft', 'unknown'] as const).map((type) => (
                <th key={type} scope="col" className="numeric">
                  {label('productionType', type)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.category}>
                <th scope="row">{label('category', row.category)}</th>
                <td className="numeric">{format.number(row.items)}</td>
                <td className="numeric">{format.percent(row.share_items)}</td>
                <td className="numeric">{format.number(row.quantity)}</td>
                <td className="numeric">{format.number(row.factory_items)}</td>
                <td className="numeric">{format.number(row.craft_items)}</td>
                <td className="numeric">{format.number(row.unknown_production_items)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            <th scope="col" className="numeric">
              {t('overview.items')}
            </th>
            <th scope="col" className="numeric">
              {t('analysis.minYears')}
            </th>
            <th scope="col" className="numeric">
              {t('analysis.medianYears')}
            </th>
            <th scope="col" className="numeric">
              {t('analysis.maxYears')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td className="numeric">{format.number(row.n)}</td>
              <td className="numeric">{format.years(row.min)}</td>
              <td className="numeric">{format.years(row.median)}</td>
              <td className="numeric">{format.years(row.max)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
          <table>
            <thead>
              <tr>
                <th scope="col">{t('analysis.years')}</th>
                <th scope="col" className="numeric">
                  {t('overview.items')}
                </th>
              </tr>
            </thead>
            <tbody>
              {columns.map((column) => (
                <tr key={column.key}>
                  <th scope="row">{column.label}</th>
                  <td className="numeric">{column.valueText}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
    label: (
      <Link to={paths.site(investigationId, site.site_id)}>
        <bdi dir="auto">{site.name}</bdi>
      </Link>
    ),
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
          <table>
            <thead>
              <tr>
                <th scope="col">{t('item.site')}</th>
                <th scope="col">{t('site.type')}</th>
                <th scope="col" className="numeric">
                  {t('analysis.craftItems')}
                </th>
                <th scope="col" className="numeric">
                  {t('analysis.share')}
                </th>
                <th scope="col" className="numeric">
                  {t('overview.units')}
                </th>
                <th scope="col">{t('site.recoveredOn')}</th>
              </tr>
            </thead>
            <tbody>
              {data.sites.map((site) => (
                <tr key={site.site_id}>
                  <th scope="row">
                    <Link to={paths.site(investigationId, site.site_id)}>
                      <UserText text={site.name} />
                    </Link>
                  </th>
                  <td>{label('siteType', site.site_type)}</td>
                  <td className="numeric">{format.number(site.craft_items)}</td>
                  <td className="numeric">{format.percent(site.share_items)}</td>
                  <td className="numeric">{format.number(site.craft_quantity)}</td>
                  <td>{site.recovered_on === null ? '' : formatDate(site.recovered_on)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <BarChart bars={bars} />
      </ChartFigure>
      {data.zones.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>{t('analysis.craftByZone')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('item.zone')}</th>
                <th scope="col">{t('item.site')}</th>
                <th scope="col" className="numeric">
                  {t('analysis.craftItems')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.zones.map((zone) => (
                <tr key={zone.zone_id}>
                  <th scope="row">
                    <UserText text={zone.name} />
                  </th>
                  <td>
                    <Link to={paths.site(investigationId, zone.site_id)}>
                      <UserText text={zone.site_name} />
                    </Link>
                  </td>
                  <td className="numeric">{format.number(zone.craft_items)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('analysis.period')}</th>
                  <th scope="col" className="numeric">
                    {t('analysis.newWorkshops')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('analysis.cumulativeWorkshops')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('analysis.craftItems')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.periods.map((period) => (
                  <tr key={period.period}>
                    <th scope="row">{format.period(period.period)}</th>
                    <td className="numeric">{format.number(period.new_sites)}</td>
                    <td className="numeric">{format.number(period.cumulative_sites)}</td>
                    <td className="numeric">{format.number(period.craft_items)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
          <table>
            <thead>
              <tr>
                <th scope="col">{t('analysis.addressee')}</th>
                <th scope="col" className="numeric">
                  {t('analysis.open')}
                </th>
                <th scope="col" className="numeric">
                  {t('analysis.drafts')}
                </th>
                <th scope="col" className="numeric">
                  {t('analysis.awaiting')}
                </th>
                <th scope="col" className="numeric">
                  {t('trace.overdue')}
                </th>
                {data.age_buckets.map((bucket) => (
                  <th key={bucket} scope="col" className="numeric">
                    {format.dayBand(bucket)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.by_addressee.map((row) => (
                <tr key={row.addressee_id}>
                  <th scope="row">
                    <UserText text={row.name} />
                  </th>
                  <td className="numeric">{format.number(row.open)}</td>
                  <td className="numeric">{format.number(row.drafts)}</td>
                  <td className="numeric">{format.number(row.awaiting_answer)}</td>
                  <td className="numeric">{format.number(row.overdue)}</td>
                  {row.buckets.map((count, index) => (
                    <td key={index} className="numeric">
                      {format.number(count)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <BarChart bars={bars} />
      </ChartFigure>
      <div className="table-wrap">
        <table>
          <caption>{t('analysis.openRequests', { date: formatDate(data.as_of) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('trace.subject')}</th>
              <th scope="col">{t('analysis.addressee')}</th>
              <th scope="col">{t('trace.status')}</th>
              <th scope="col">{t('trace.sent')}</th>
              <th scope="col">{t('trace.due')}</th>
              <th scope="col" className="numeric">
                {t('analysis.ageDays')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.requests.map((request) => (
              <tr key={request.id}>
                <th scope="row">
                  <UserText text={request.subject} />
                  {request.overdue && <span className="badge badge-overdue">{t('trace.overdue')}</span>}
                </th>
                <td>
                  <UserText text={request.addressee_name} />
                </td>
                <td>{label('traceStatus', request.status)}</td>
                <td>{request.sent_on === null ? '' : formatDate(request.sent_on)}</td>
                <td>{request.due_on === null ? '' : formatDate(request.due_on)}</td>
                <td className="numeric">{format.number(request.age_days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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

      <Section
        id="countries"
        title={t('analysis.countriesTitle')}
        intro={t('analysis.countriesIntro')}
        loaded={countries}
      >
        {(data) => <ProductionCountriesChart data={data} />}
      </Section>
      <Section id="categories" title={t('analysis.categoriesTitle')} loaded={categories}>
        {(data) => <CategoriesChart data={data} />}
      </Section>
      <Section
        id="export-to-recovery"
        title={t('analysis.exportToRecoveryTitle')}
        intro={t('analysis.exportToRecoveryIntro')}
        loaded={exportToRecovery}
      >
        {(data) => <ExportToRecoveryChart data={data} />}
      </Section>
      <Section id="craft" title={t('analysis.craftTitle')} intro={t('analysis.craftIntro')} loaded={craft}>
        {(data) => <CraftClustersChart data={data} investigationId={investigationId} />}
      </Section>
      <Section id="workshops" title={t('analysis.workshopsTitle')} loaded={workshops}>
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
      </Section>
      <Section
        id="trace-requests"
        title={t('analysis.traceRequestsTitle')}
        intro={t('analysis.traceRequestsIntro')}
        loaded={openRequests}
      >
        {(data) => <OpenTraceRequestsChart data={data} />}
      </Section>
    </div>
  );
}
