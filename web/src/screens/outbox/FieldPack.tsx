import { useEffect, useState } from 'react';
import { api, call, readAllPages, type Investigation } from '../../api/client';
import { ErrorNotice, Field } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { pruneCache, type PruneReport } from '../../offline/cachePrune';
import {
  downloadFieldPack,
  estimatePackBytes,
  readAndKeep,
  readFieldPack,
  removeFieldPack,
  type FieldPackManifest,
} from '../../offline/fieldPack';
import { useOnline, useVaultState } from '../../offline/hooks';
import { vault } from '../../offline/vault';

/** "12.3 MB" in the user's language. */
function useFormatBytes(): (bytes: number) => string {
  const { locale } = useI18n();
  return (bytes) => {
    const [value, unit] =
      bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [Math.max(1, bytes / 1000), 'kilobyte'];
    return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
  };
}

/** "Take this investigation offline": choose the sites, see the size, download into the encrypted store. */
export function FieldPack() {
  const { t, formatDateTime } = useI18n();
  const state = useVaultState();
  const online = useOnline();
  const formatBytes = useFormatBytes();
  const investigations = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(api.GET('/api/v1/investigations', { params: { query: { limit: 500, after } } })),
        )
      ).rows,
    [],
  );
  const [investigationId, setInvestigationId] = useState('');
  const current: Investigation | undefined = investigations.data?.find((row) => row.id === investigationId);
  const details = useLoad(
    async () =>
      investigationId === ''
        ? undefined
        : {
            overview: await call(
              api.GET('/api/v1/investigations/{id}/overview', { params: { path: { id: investigationId } } }),
            ),
            sites: await call(
              api.GET('/api/v1/investigations/{id}/sites.geojson', { params: { path: { id: investigationId } } }),
            ),
            pack: await readFieldPack(vault, investigationId),
          },
    [investigationId, state],
  );
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [manifest, setManifest] = useState<FieldPackManifest | undefined>(undefined);
  const [removed, setRemoved] = useState(false);
  // What the read cache holds, after dropping what no pack needs any more (shown below the packs).
  const [usage, setUsage] = useState<PruneReport | undefined>(undefined);
  const measure = () =>
    pruneCache(vault)
      .then(setUsage)
      .catch(() => undefined);
  useEffect(() => {
    if (state === 'unlocked') void measure();
  }, [state]);

  useEffect(() => {
    setManifest(details.data?.pack);
    setChosen(new Set(details.data?.pack?.site_ids ?? []));
  }, [details.data]);

  if (state !== 'unlocked') return null;
  const remove = async () => {
    setError(undefined);
    try {
      await removeFieldPack(vault, investigationId);
      setManifest(undefined);
      setRemoved(true);
    } catch (caught) {
      setError(caught);
    }
    await measure();
  };
  const download = async () => {
    setRemoved(false);
    setError(undefined);
    setProgress({ done: 0, total: chosen.size + 1 });
    try {
      setManifest(
        await downloadFieldPack(
          vault,
          (address) => readAndKeep(vault, address),
          investigationId,
          [...chosen],
          (done, total) => setProgress({ done, total }),
        ),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setProgress(undefined);
    }
    await measure();
  };
  const features = details.data?.sites.features ?? [];
  const estimate =
    details.data === undefined ? undefined : estimatePackBytes(details.data.overview.counts, chosen.size);
  return (
    <section className="card field-pack" aria-labelledby="field-pack-title">
      <h2 id="field-pack-title">{t('offline.pack.title')}</h2>
      <p>{t('offline.pack.intro')}</p>
      <Field label={t('offline.pack.investigation')}>
        {(control) => (
          <select {...control} value={investigationId} onChange={(event) => setInvestigationId(event.target.value)}>
            <option value="">{t('layout.chooseInvestigation')}</option>
            {(investigations.data ?? []).map((row) => (
              <option key={row.id} value={row.id} dir="auto">
                {row.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorNotice error={details.error ?? error} />
      {current !== undefined && features.length > 0 && (
        <fieldset className="field-pack-sites">
          <legend>{t('offline.pack.sites')}</legend>
          {features.map((feature) => (
            <label key={feature.id} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.has(feature.id)}
                onChange={(event) =>
                  setChosen((previous) => {
                    const next = new Set(previous);
                    if (event.target.checked) next.add(feature.id);
                    else next.delete(feature.id);
                    return next;
                  })
                }
              />{' '}
              <bdi dir="auto">{feature.properties.name}</bdi>
            </label>
          ))}
        </fieldset>
      )}
      {estimate !== undefined && (
        <p className="field-pack-size" role="status">
          {t('offline.pack.estimate', { size: formatBytes(estimate) })}
        </p>
      )}
      {current !== undefined && (
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            disabled={!online || progress !== undefined}
            onClick={() => void download()}
          >
            {manifest === undefined ? t('offline.pack.download') : t('offline.pack.refresh')}
          </button>
          {manifest !== undefined && progress === undefined && (
            <button type="button" onClick={() => void remove()}>
              {t('offline.pack.remove')}
            </button>
          )}
          {progress !== undefined && (
            <span role="status">{t('offline.pack.downloading', { done: progress.done, total: progress.total })}</span>
          )}
        </div>
      )}
      {manifest !== undefined && (
        <p className="notice notice-success">
          {t('offline.pack.done', {
            sites: manifest.sites,
            items: manifest.items,
            markings: manifest.markings,
            size: formatBytes(manifest.bytes),
            when: formatDateTime(manifest.downloaded_at),
          })}
        </p>
      )}
      {removed && manifest === undefined && (
        <p className="notice notice-success" role="status">
          {t('offline.pack.removed')}
        </p>
      )}
      {usage !== undefined && (
        <p className="muted field-pack-usage" data-testid="offline-cache-usage">
          {t('offline.cache.usage', { size: formatBytes(usage.usage.bytes), packSize: formatBytes(usage.packBytes) })}
        </p>
      )}
    </section>
  );
}
