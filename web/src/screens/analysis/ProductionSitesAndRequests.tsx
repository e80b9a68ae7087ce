import { type OpenTraceRequests, type ProductionSitesOverTime } from '../../api/client';
import { BarChart, ChartFigure, ColumnChart, type Bar } from '../../components/charts';
import { TableScroll } from '../../components/TableScroll';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EmptyState, UserText } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { summarise, useFormats } from './formats';

export function ProductionSitesChart({ data }: { data: ProductionSitesOverTime }) {
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

export function OpenTraceRequestsChart({ data }: { data: OpenTraceRequests }) {
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
