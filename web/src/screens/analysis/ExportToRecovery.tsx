import { type ExportToRecovery } from '../../api/client';
import { type ReactNode } from 'react';
import { ChartFigure, ColumnChart } from '../../components/charts';
import { TableScroll } from '../../components/TableScroll';
import { DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { useFormats } from './formats';

export function DistributionTable({
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

export function ExportToRecoveryChart({ data }: { data: ExportToRecovery }) {
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
