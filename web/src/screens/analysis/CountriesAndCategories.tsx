import { type CategoryFigures, type ProductionCountries } from '../../api/client';
import { BarChart, ChartFigure, type Bar } from '../../components/charts';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EmptyState } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { confidenceColours, itemShareUnitColumns, productionColours, summarise, useFormats } from './formats';

export function ProductionCountriesChart({ data }: { data: ProductionCountries }) {
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

export function CategoriesChart({ data }: { data: CategoryFigures }) {
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
