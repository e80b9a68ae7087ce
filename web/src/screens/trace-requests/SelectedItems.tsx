import { api, call } from '../../api/client';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';

// The first items are read to name them; the rest are counted (a selection may hold up to 1,000 items).
const NAMED = 20;

/** The items a new request will cover, each removable before saving. */
export function SelectedItems({
  investigationId,
  itemIds,
  onChange,
  error,
}: {
  investigationId: string;
  itemIds: readonly string[];
  onChange: (itemIds: string[]) => void;
  error?: string | undefined;
}) {
  const { t, label } = useI18n();
  const named = itemIds.slice(0, NAMED);
  const items = useLoad(
    () =>
      Promise.all(
        named.map((id) => call(api.GET('/api/v1/items/{id}', { params: { path: { id } } })).catch(() => undefined)),
      ),
    [named.join(',')],
  );
  return (
    <fieldset className="selected-items">
      <legend>{t('traceNew.items', { count: itemIds.length })}</legend>
      {itemIds.length === 0 && <p className="muted">{t('traceNew.noItems')}</p>}
      <ul className="plain-list">
        {named.map((id, index) => {
          const item = items.data?.[index];
          return (
            <li key={id} data-testid="selected-item">
              <Link to={paths.item(investigationId, id)}>
                {item === undefined ? id.slice(0, 8) : label('category', item.category)}
                {item?.external_ref !== undefined && item.external_ref !== null && (
                  <>
                    {' · '}
                    <bdi dir="auto">{item.external_ref}</bdi>
                  </>
                )}
              </Link>{' '}
              <button
                type="button"
                className="button-link"
                onClick={() => onChange(itemIds.filter((other) => other !== id))}
              >
                {t('traceNew.removeItem')}
              </button>
            </li>
          );
        })}
      </ul>
      {itemIds.length > NAMED && <p className="muted">{t('traceNew.moreItems', { count: itemIds.length - NAMED })}</p>}
      {error !== undefined && (
        <p className="field-error">
          <bdi dir="auto">{error}</bdi>
        </p>
      )}
    </fieldset>
  );
}
