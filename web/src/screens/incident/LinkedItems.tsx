import { useState } from 'react';
import { api, call, type Incident, type Item, type ItemSummary } from '../../api/client';
import { EmptyState, ErrorNotice, Field, Loading } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';

/** How an item is named in a list: category, model and reference, each only when recorded. */
function ItemName({ item }: { item: Pick<Item, 'category' | 'model' | 'external_ref'> }) {
  const { label } = useI18n();
  return (
    <>
      {label('category', item.category)}
      {item.model !== null && (
        <>
          {' · '}
          <bdi dir="auto">{item.model}</bdi>
        </>
      )}
      {item.external_ref !== null && (
        <>
          {' · '}
          <bdi dir="auto">{item.external_ref}</bdi>
        </>
      )}
    </>
  );
}

/** Finds items of the investigation (by text, at the incident's site or anywhere) and links one to the incident. */
function LinkItemForm({
  incident,
  investigationId,
  onLinked,
}: {
  incident: Incident;
  investigationId: string;
  onLinked: (incident: Incident) => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [atSite, setAtSite] = useState(incident.site_id !== null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const q = text.trim();
  const found = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/items', {
          params: {
            path: { id: investigationId },
            query: {
              limit: 20,
              q: q === '' ? undefined : q,
              site_id: atSite && incident.site_id !== null ? incident.site_id : undefined,
            },
          },
        }),
      ),
    [investigationId, q, atSite, incident.site_id],
  );
  const candidates: ItemSummary[] = (found.data?.items ?? []).filter((item) => !incident.item_ids.includes(item.id));
  const link = async (itemId: string) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      onLinked(
        await call(
          api.POST('/api/v1/incidents/{id}/items', {
            params: { path: { id: incident.id } },
            body: { item_id: itemId },
          }),
        ),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card">
      <h3>{t('incidents.linkItem')}</h3>
      <div className="filters" role="search" aria-label={t('incidents.findItems')}>
        <Field label={t('incidents.findItems')} hint={t('inventory.textHint')}>
          {(control) => (
            <input
              {...control}
              type="search"
              dir="auto"
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        {incident.site_id !== null && (
          <label className="checkbox-field">
            <input type="checkbox" checked={atSite} onChange={(event) => setAtSite(event.target.checked)} />{' '}
            {t('incidents.onlyAtSite')}
          </label>
        )}
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {found.error !== undefined && <ErrorNotice error={found.error} />}
      {found.data === undefined && found.error === undefined && <Loading />}
      {found.data !== undefined &&
        (candidates.length === 0 ? (
          <EmptyState>{t('inventory.empty')}</EmptyState>
        ) : (
          <ul className="link-candidates">
            {candidates.map((item) => (
              <li key={item.id}>
                <span>
                  <ItemName item={item} />
                </span>
                <button type="button" disabled={busy} onClick={() => void link(item.id)}>
                  {t('incidents.link')}
                </button>
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}

/**
 * The items an incident involves, each linked to its page; with `mayChange`, a button to unlink each (a link made
 * in error: the audit log keeps both) and the form to link more.
 */
export function LinkedItems({
  incident,
  investigationId,
  mayChange,
  onChanged,
}: {
  incident: Incident;
  investigationId: string;
  mayChange: boolean;
  onChanged: (incident: Incident) => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(undefined);
  const items = useLoad(
    () => Promise.all(incident.item_ids.map((id) => call(api.GET('/api/v1/items/{id}', { params: { path: { id } } })))),
    [incident.item_ids.join()],
  );
  const unlink = async (itemId: string) => {
    setError(undefined);
    try {
      onChanged(
        await call(
          api.DELETE('/api/v1/incidents/{id}/items/{itemId}', { params: { path: { id: incident.id, itemId } } }),
        ),
      );
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section className="section" aria-labelledby="incident-items-title">
      <h2 id="incident-items-title">{t('incidents.items', { count: incident.item_ids.length })}</h2>
      {error !== undefined && <ErrorNotice error={error} />}
      {items.error !== undefined && <ErrorNotice error={items.error} />}
      {items.data === undefined && items.error === undefined && <Loading />}
      {items.data?.length === 0 && <EmptyState>{t('incidents.noItems')}</EmptyState>}
      {items.data !== undefined && items.data.length > 0 && (
        <ul className="link-candidates" data-testid="linked-items">
          {items.data.map((item) => (
            <li key={item.id}>
              <Link to={paths.item(investigationId, item.id)}>
                <ItemName item={item} />
              </Link>
              {mayChange && (
                <button type="button" onClick={() => void unlink(item.id)}>
                  {t('incidents.unlink')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayChange && <LinkItemForm incident={incident} investigationId={investigationId} onLinked={onChanged} />}
    </section>
  );
}
