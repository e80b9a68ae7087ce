import { useState } from 'react';
import { api, call, readAllPages, type Incident } from '../../api/client';
import { EmptyState, ErrorNotice, Field, Loading } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';

/**
 * The sites an incident involves (a convoy attacked along a road, a seizure from two caches), each linked to its
 * page; with `mayChange`, a button to unlink each (a link made in error: the audit log keeps both) and a choice of
 * the investigation's other sites in use to link.
 */
export function LinkedSites({
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
  const { t, label } = useI18n();
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const sites = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/sites', {
              params: { path: { id: investigationId }, query: { limit: 500, after, include_archived: 'true' } },
            }),
          ),
        )
      ).rows,
    [investigationId],
  );
  const byId = new Map((sites.data ?? []).map((site) => [site.id, site]));
  const linkable = (sites.data ?? []).filter(
    (site) => site.archived_at === null && !incident.site_ids.includes(site.id),
  );

  const change = async (request: () => Promise<Incident>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await request());
      setChoice('');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const link = () =>
    change(() =>
      call(
        api.POST('/api/v1/incidents/{id}/sites', { params: { path: { id: incident.id } }, body: { site_id: choice } }),
      ),
    );
  const unlink = (siteId: string) =>
    change(() =>
      call(api.DELETE('/api/v1/incidents/{id}/sites/{siteId}', { params: { path: { id: incident.id, siteId } } })),
    );

  return (
    <section className="section" aria-labelledby="incident-sites-title">
      <h2 id="incident-sites-title">{t('incidents.sites', { count: incident.site_ids.length })}</h2>
      {error !== undefined && <ErrorNotice error={error} />}
      {sites.error !== undefined && <ErrorNotice error={sites.error} />}
      {sites.data === undefined && sites.error === undefined && <Loading />}
      {incident.site_ids.length === 0 && <EmptyState>{t('incidents.noSites')}</EmptyState>}
      {sites.data !== undefined && incident.site_ids.length > 0 && (
        <ul className="link-candidates" data-testid="linked-sites">
          {incident.site_ids.map((siteId) => {
            const site = byId.get(siteId);
            return (
              <li key={siteId}>
                <Link to={paths.site(investigationId, siteId)}>
                  <bdi dir="auto">{site?.name ?? siteId}</bdi>
                  {site !== undefined && ` · ${label('siteType', site.site_type)}`}
                </Link>
                {mayChange && (
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t('incidents.unlinkSite', { site: site?.name ?? siteId })}
                    onClick={() => void unlink(siteId)}
                  >
                    {t('incidents.unlink')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {mayChange && sites.data !== undefined && (
        <form
          className="card"
          onSubmit={(event) => {
            event.preventDefault();
            if (choice !== '') void link();
          }}
        >
          <Field label={t('incidents.siteToLink')}>
            {(control) => (
              <select {...control} name="site_id" value={choice} onChange={(event) => setChoice(event.target.value)}>
                <option value="">{t('incidents.chooseSite')}</option>
                {linkable.map((site) => (
                  <option key={site.id} value={site.id} dir="auto">
                    {`${site.name} · ${label('siteType', site.site_type)}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <p className="actions">
            <button type="submit" className="button-primary" disabled={busy || choice === ''}>
              {t('incidents.linkSite')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
