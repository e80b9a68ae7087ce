import { useMemo, useState } from 'react';
import { api, call, readAllPages, type ItemSummary } from '../api/client';
import { conditions, itemCategories, productionTypes } from '../api/vocabulary';
import { useLoad } from '../hooks';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { Link, paths } from '../router';
import { PageCheckbox, SelectionSummary, useInventorySelection } from '../screens/bulk/InventorySelection';
import { EmptyState, ErrorNotice, Field, Loading, VocabularySelect } from './ui';

type SortKey =
  | 'external_ref'
  | 'category'
  | 'model'
  | 'quantity'
  | 'condition'
  | 'production_type'
  | 'fuze_fitted'
  | 'disposal_status'
  | 'created_at';

const columns: { key: SortKey; label: MessageKey; numeric?: boolean }[] = [
  { key: 'external_ref', label: 'item.externalRef' },
  { key: 'category', label: 'item.category' },
  { key: 'model', label: 'item.model' },
  { key: 'quantity', label: 'item.quantity', numeric: true },
  { key: 'condition', label: 'item.condition' },
  { key: 'production_type', label: 'item.productionType' },
  { key: 'fuze_fitted', label: 'item.fuzeFitted' },
  { key: 'disposal_status', label: 'item.disposalStatus' },
];

const pageSize = 25;

/**
 * The items of one site. Filters are applied by the server; every matching
 * row is read so that sorting covers all of them, then shown a page at a time.
 */
export function InventoryTable({ investigationId, siteId }: { investigationId: string; siteId: string }) {
  const { t, label, formatNumber, locale } = useI18n();
  const [category, setCategory] = useState('');
  const [condition, setCondition] = useState('');
  const [productionType, setProductionType] = useState('');
  const [text, setText] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'created_at', ascending: true });
  const [page, setPage] = useState(0);

  const query = text.trim();
  const items = useLoad(
    () =>
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/items', {
            params: {
              path: { id: investigationId },
              query: {
                site_id: siteId,
                limit: 500,
                after,
                category: category === '' ? undefined : (category as (typeof itemCategories)[number]),
                condition: condition === '' ? undefined : (condition as (typeof conditions)[number]),
                production_type:
                  productionType === '' ? undefined : (productionType as (typeof productionTypes)[number]),
                q: query === '' ? undefined : query,
              },
            },
          }),
        ),
      ),
    [investigationId, siteId, category, condition, productionType, query],
  );

  const collator = useMemo(() => new Intl.Collator(locale, { numeric: true, sensitivity: 'base' }), [locale]);
  const sorted = useMemo(() => {
    const rows = [...(items.data?.rows ?? [])];
    const textOf = (row: ItemSummary): string => {
      switch (sort.key) {
        case 'category':
          return label('category', row.category);
        case 'condition':
          return row.condition === null ? '' : label('condition', row.condition);
        case 'production_type':
          return label('productionType', row.production_type);
        case 'fuze_fitted':
          return row.fuze_fitted ?? '';
        case 'disposal_status':
          return label('disposal', row.disposal_status);
        case 'quantity':
          return '';
        default:
          return row[sort.key] ?? '';
      }
    };
    rows.sort((a, b) => {
      const order = sort.key === 'quantity' ? a.quantity - b.quantity : collator.compare(textOf(a), textOf(b));
      return sort.ascending ? order : -order;
    });
    return rows;
  }, [items.data, sort, collator, label]);

  // The same filter the list was read with: "select all matching" acts on exactly these items.
  const filter = {
    site_id: siteId,
    ...(category === '' ? {} : { category: category as (typeof itemCategories)[number] }),
    ...(condition === '' ? {} : { condition: condition as (typeof conditions)[number] }),
    ...(productionType === '' ? {} : { production_type: productionType as (typeof productionTypes)[number] }),
    ...(query === '' ? {} : { q: query }),
  };
  const order = useMemo(() => sorted.map((row) => row.id), [sorted]);
  const selection = useInventorySelection(investigationId, order, filter);

  const pageCount = Math.max(1, Math.ceil(sorted.length / pageSize));
  const currentPage = Math.min(page, pageCount - 1);
  const shown = sorted.slice(currentPage * pageSize, (currentPage + 1) * pageSize);
  const resetPage = () => setPage(0);

  const toggleSort = (key: SortKey) => {
    setSort((previous) => ({ key, ascending: previous.key === key ? !previous.ascending : true }));
    resetPage();
  };

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
                resetPage();
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
                resetPage();
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
                resetPage();
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
                resetPage();
              }}
            />
          )}
        </Field>
      </div>
      {items.data !== undefined && !items.data.truncated && (
        <SelectionSummary
          investigationId={investigationId}
          selection={selection}
          matching={sorted.length}
          filter={filter}
          onDone={items.reload}
        />
      )}
      {items.error !== undefined && <ErrorNotice error={items.error} />}
      {items.data === undefined && items.error === undefined && <Loading />}
      {items.data !== undefined &&
        (sorted.length === 0 ? (
          <EmptyState>{t('inventory.empty')}</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="inventory-table">
                <caption className="visually-hidden">{t('inventory.caption')}</caption>
                <thead>
                  <tr>
                    {selection.canAct && (
                      <th scope="col" className="select-cell">
                        <PageCheckbox selection={selection} pageIds={shown.map((item) => item.id)} />
                      </th>
                    )}
                    {columns.map((column) => (
                      <th
                        key={column.key}
                        scope="col"
                        className={column.numeric === true ? 'numeric' : undefined}
                        aria-sort={sort.key === column.key ? (sort.ascending ? 'ascending' : 'descending') : undefined}
                      >
                        <button type="button" className="sort-button" onClick={() => toggleSort(column.key)}>
                          {t(column.label)}
                          <span aria-hidden="true" className="sort-indicator">
                            {sort.key === column.key ? (sort.ascending ? '▲' : '▼') : ''}
                          </span>
                        </button>
                      </th>
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
                        </Link>
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
            <nav className="pagination" aria-label={t('inventory.pagination')}>
              <button type="button" disabled={currentPage === 0} onClick={() => setPage(currentPage - 1)}>
                {t('inventory.previous')}
              </button>
              <span aria-live="polite">
                {t('inventory.pageOf', { page: currentPage + 1, pages: pageCount, rows: sorted.length })}
              </span>
              <button type="button" disabled={currentPage >= pageCount - 1} onClick={() => setPage(currentPage + 1)}>
                {t('inventory.next')}
              </button>
            </nav>
            {items.data.truncated && <p className="muted">{t('inventory.truncated')}</p>}
          </>
        ))}
    </div>
  );
}
