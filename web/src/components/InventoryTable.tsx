import { SensitivityBadge } from './sensitivity/SensitivityBadge';
import { useMemo, useState } from 'react';
import { api, call } from '../api/client';
import { conditions, itemCategories, productionTypes } from '../api/vocabulary';
import { useLoad } from '../hooks';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { Link, paths } from '../router';
import { PageCheckbox, SelectionSummary, useInventorySelection } from '../screens/bulk/InventorySelection';
import { useServerList } from './serverList';
import { PageNav, SortHeader, SortMenu } from './ServerListParts';
import { EmptyState, ErrorNotice, Field, Loading, VocabularySelect } from './ui';

const sortKeys = [
  'created',
  'external_ref',
  'category',
  'model',
  'quantity',
  'condition',
  'production_type',
  'fuze_fitted',
  'disposal_status',
] as const;
type SortKey = (typeof sortKeys)[number];

const columns: { key: Exclude<SortKey, 'created'>; label: MessageKey; numeric?: boolean }[] = [
  { key: 'external_ref', label: 'item.externalRef' },
  { key: 'category', label: 'item.category' },
  { key: 'model', label: 'item.model' },
  { key: 'quantity', label: 'item.quantity', numeric: true },
  { key: 'condition', label: 'item.condition' },
  { key: 'production_type', label: 'item.productionType' },
  { key: 'fuze_fitted', label: 'item.fuzeFitted' },
  { key: 'disposal_status', label: 'item.disposalStatus' },
];

/**
 * The items of one site, a page at a time: filtered and sorted by the server (the sort is kept in the URL), with
 * "select all matching" counted by the server too.
 */
export function InventoryTable({ investigationId, siteId }: { investigationId: string; siteId: string }) {
  const { t, label, formatNumber } = useI18n();
  const [category, setCategory] = useState('');
  const [condition, setCondition] = useState('');
  const [productionType, setProductionType] = useState('');
  const [text, setText] = useState('');

  const query = text.trim();
  const filterQuery = {
    site_id: siteId,
    category: category === '' ? undefined : (category as (typeof itemCategories)[number]),
    condition: condition === '' ? undefined : (condition as (typeof conditions)[number]),
    production_type: productionType === '' ? undefined : (productionType as (typeof productionTypes)[number]),
    q: query === '' ? undefined : query,
  };
  const filterDeps = [investigationId, siteId, category, condition, productionType, query];
  const items = useServerList({
    keys: sortKeys,
    initial: { key: 'created', order: 'asc' },
    filters: filterDeps,
    load: ({ after, sort, order, limit }) =>
      call(
        api.GET('/api/v1/investigations/{id}/items', {
          params: { path: { id: investigationId }, query: { ...filterQuery, limit, after, sort, order } },
        }),
      ),
  });
  const matching = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/items/count', {
          params: { path: { id: investigationId }, query: filterQuery },
        }),
      ),
    filterDeps,
  );
  const shown = items.rows ?? [];
  const reload = () => {
    items.reload();
    matching.reload();
  };

  // The same filter the list was read with: "select all matching" acts on exactly these items.
  const filter = {
    site_id: siteId,
    ...(category === '' ? {} : { category: category as (typeof itemCategories)[number] }),
    ...(condition === '' ? {} : { condition: condition as (typeof conditions)[number] }),
    ...(productionType === '' ? {} : { production_type: productionType as (typeof productionTypes)[number] }),
    ...(query === '' ? {} : { q: query }),
  };
  // Shift-click ranges run over the rows shown.
  const order = useMemo(() => shown.map((row) => row.id), [shown]);
  const selection = useInventorySelection(investigationId, order, filter, matching.data?.count ?? order.length);
  const sortLabels = {
    created: t('list.created'),
    ...Object.fromEntries(columns.map((column) => [column.key, t(column.label)])),
  } as Record<SortKey, string>;

  return (
    <div className="inventory">
      <div className="filters" role="search" aria-label={t('inventory.filters')}>
        <Field label={t('item.category')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="category"
              values={itemCategories}
              value={category}
              allowEmpty
              emptyLabel={t('common.all')}
              onChange={(value) => {
                setCategory(value);
              }}
            />
          )}
        </Field>
        <Field label={t('item.condition')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="condition"
              values={conditions}
              value={condition}
              allowEmpty
              emptyLabel={t('common.all')}
              onChange={(value) => {
                setCondition(value);
              }}
            />
          )}
        </Field>
        <Field label={t('item.productionType')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="productionType"
              values={productionTypes}
              value={productionType}
              allowEmpty
              emptyLabel={t('common.all')}
              onChange={(value) => {
                setProductionType(value);
              }}
            />
          )}
        </Field>
        <Field label={t('inventory.text')} hint={t('inventory.textHint')}>
          {(control) => (
            <input
              {...control}
              type="search"
              dir="auto"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
              }}
            />
          )}
        </Field>
        <SortMenu list={items} labels={sortLabels} />
      </div>
      {matching.data !== undefined && (
        <SelectionSummary
          investigationId={investigationId}
          selection={selection}
          matching={matching.data.count}
          filter={filter}
          onDone={reload}
        />
      )}
      {items.error !== undefined && <ErrorNotice error={items.error} />}
      {items.rows === undefined && items.error === undefined && <Loading />}
      {items.rows !== undefined &&
        (shown.length === 0 && !items.hasPrevious ? (
          <EmptyState>{t('inventory.empty')}</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="inventory-table" aria-busy={items.loading}>
                <caption className="visually-hidden">{t('inventory.caption')}</caption>
                <thead>
                  <tr>
                    {selection.canAct && (
                      <th scope="col" className="select-cell">
                        <PageCheckbox selection={selection} pageIds={shown.map((item) => item.id)} />
                      </th>
                    )}
                    {columns.map((column) => (
                      <SortHeader
                        key={column.key}
                        list={items}
                        sortKey={column.key}
                        label={t(column.label)}
                        className={column.numeric === true ? 'numeric' : undefined}
                      />
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((item) => (
                    <tr key={item.id} aria-selected={selection.canAct ? selection.isSelected(item.id) : undefined}>
                      {selection.canAct && (
                        <td className="select-cell">
                          <input
                            type="checkbox"
                            aria-label={t('bulk.selectItem', {
                              item: item.external_ref ?? `${label('category', item.category)} ${item.model ?? ''}`,
                            })}
                            checked={selection.isSelected(item.id)}
                            onClick={selection.onRowClick(item.id)}
                            onKeyDown={selection.onRowKey}
                            onChange={() => undefined}
                          />
                        </td>
                      )}
                      <td>
                        <Link to={paths.item(investigationId, item.id)}>
                          {item.external_ref === null ? t('inventory.open') : <bdi dir="auto">{item.external_ref}</bdi>}
                        </Link>{' '}
                        <SensitivityBadge level={item.sensitivity} quietPublic />
                      </td>
                      <td>{label('category', item.category)}</td>
                      <td>{item.model === null ? '' : <bdi dir="auto">{item.model}</bdi>}</td>
                      <td className="numeric">{formatNumber(item.quantity)}</td>
                      <td>{item.condition === null ? '' : label('condition', item.condition)}</td>
                      <td>{label('productionType', item.production_type)}</td>
                      <td>{item.fuze_fitted === null ? '' : label('hazardState', item.fuze_fitted)}</td>
                      <td>{label('disposal', item.disposal_status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <PageNav list={items} caption={t('inventory.caption')} />
          </>
        ))}
    </div>
  );
}
