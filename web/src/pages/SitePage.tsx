import { useRef, useState, type SubmitEvent } from 'react';
import { fieldErrorMessage } from '../api/fieldErrors';
import { api, ApiError, call, fieldErrors, type BodyOf, type Site } from '../api/client';
import { FirstInvalidButton } from '../components/FirstInvalidButton';
import { LocationFields } from '../components/LocationFields';
import { InventoryTable } from '../components/InventoryTable';
import { MediaSection } from '../components/MediaSection';
import { Appended, Detail, ErrorNotice, Field, LoadedSection, Loading, UserText } from '../components/ui';
import { useDocumentTitle, useLoad } from '../hooks';
import { isolate, useI18n } from '../i18n/i18n';
import { saveOrQueue } from '../offline/save';
import { Link, paths, useLocation } from '../router';
import { useRecordAccess } from './capture/useRecordAccess';
import { coordinateText, readLocation, type LocationDraft } from './capture/coordinateField';

type SiteChange = BodyOf<'/api/v1/sites/{id}', 'patch'>;
/** What the location editor reads of a site. */
type SiteLocation = Pick<Site, 'id' | 'latitude' | 'longitude' | 'precision_m' | 'version'>;

/** Sends a change of a site. One function, so the offline outbox can wrap it. */
async function saveSiteChange(siteId: string, body: SiteChange) {
  return call(api.PATCH('/api/v1/sites/{id}', { params: { path: { id: siteId } }, body }));
}

const draftOf = (site: SiteLocation): LocationDraft => ({
  latitude: site.latitude === null ? '' : coordinateText(site.latitude),
  longitude: site.longitude === null ? '' : coordinateText(site.longitude),
  precision: site.precision_m === null ? '' : String(site.precision_m),
});

/**
 * Corrects a site's point and precision. The change carries the version that was read: when someone changed the
 * site meanwhile the server refuses it (409), the current values are shown and the typed ones stay in the form.
 */
function LocationEditor({
  site,
  onSaved,
  onCancel,
}: {
  site: SiteLocation;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<LocationDraft>(() => draftOf(site));
  const [version, setVersion] = useState(site.version);
  const [error, setError] = useState<unknown>(undefined);
  const [attempted, setAttempted] = useState(false);
  const [refused, setRefused] = useState(false);
  const [current, setCurrent] = useState<SiteLocation | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    setAttempted(true);
    const location = readLocation(draft);
    if (!location.ok) {
      setRefused(true);
      return;
    }
    setRefused(false);
    setBusy(true);
    try {
      await saveSiteChange(site.id, {
        version,
        latitude: location.latitude,
        longitude: location.longitude,
        precision_m: location.precision_m,
      });
      setCurrent(undefined);
      onSaved();
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError && caught.status === 409) {
        // Someone else saved first: show what the site says now; the next save is checked against that.
        try {
          const fresh = await call(api.GET('/api/v1/sites/{id}', { params: { path: { id: site.id } } }));
          setCurrent(fresh);
          setVersion(fresh.version);
        } catch (reloadError) {
          setError(reloadError);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  const placed = ['latitude', 'longitude', 'precision_m'];
  const unplaced = Object.keys(errors).some((field) => !placed.includes(field));
  const conflict = error instanceof ApiError && error.status === 409;
  const currentCoordinates =
    current === undefined || current.latitude === null || current.longitude === null
      ? t('location.notRecorded')
      : `${coordinateText(current.latitude)}, ${coordinateText(current.longitude)}`;
  const currentPrecision =
    current?.precision_m === null || current === undefined
      ? t('location.notRecorded')
      : t('site.metres', { value: current.precision_m });

  return (
    <form
      ref={formRef}
      className="card location-editor"
      aria-labelledby="location-editor-title"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="location-editor-title">{t('location.correct')}</h3>
      <LocationFields
        draft={draft}
        onChange={setDraft}
        serverErrors={{ latitude: errors.latitude, longitude: errors.longitude, precision_m: errors.precision_m }}
        attempted={attempted}
      />
      <div className="actions form-actions">
        <div className="save-status" aria-live="assertive">
          {refused && (
            <p className="notice notice-error">
              {t('location.notSaved')} <FirstInvalidButton form={formRef} />
            </p>
          )}
          {conflict && current !== undefined && (
            <p className="notice notice-error" data-testid="location-conflict">
              {t('location.conflict', {
                coordinates: isolate(currentCoordinates),
                precision: isolate(currentPrecision),
              })}
            </p>
          )}
          {error !== undefined && !conflict && (unplaced || Object.keys(errors).length === 0) && (
            <ErrorNotice error={error} />
          )}
          {error !== undefined && !conflict && Object.keys(errors).length > 0 && (
            <p className="notice notice-error">{t('location.notSaved')}</p>
          )}
        </div>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('location.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function ZoneForm({
  investigationId,
  siteId,
  onCreated,
}: {
  investigationId: string;
  siteId: string;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await saveOrQueue({
        type: 'zone.create',
        investigationId,
        body: { site_id: siteId, name, description },
        label: name,
        rest: () =>
          call(api.POST('/api/v1/sites/{id}/zones', { params: { path: { id: siteId } }, body: { name, description } })),
      });
      setName('');
      setDescription('');
      onCreated();
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" onSubmit={(event) => void submit(event)} aria-label={t('site.addZone')}>
      {errors.name === undefined && errors.description === undefined && <ErrorNotice error={error} />}
      <Field label={t('site.zoneName')} error={errors.name} hint={t('site.zoneNameHint')}>
        {(control) => (
          <input {...control} dir="auto" required value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </Field>
      <Field label={t('site.zoneDescription')} error={errors.description}>
        {(control) => (
          <input {...control} dir="auto" value={description} onChange={(event) => setDescription(event.target.value)} />
        )}
      </Field>
      <button type="submit">{t('site.addZone')}</button>
    </form>
  );
}

export function SitePage({ investigationId, siteId }: { investigationId: string; siteId: string }) {
  const { t, label, formatDate, formatNumber } = useI18n();
  const site = useLoad(() => call(api.GET('/api/v1/sites/{id}', { params: { path: { id: siteId } } })), [siteId]);
  const zones = useLoad(
    () => call(api.GET('/api/v1/sites/{id}/zones', { params: { path: { id: siteId }, query: { limit: 500 } } })),
    [siteId],
  );
  const incidents = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/incidents', {
          params: { path: { id: investigationId }, query: { site_id: siteId, limit: 100 } },
        }),
      ),
    [investigationId, siteId],
  );
  const mayChange = useRecordAccess(investigationId);
  const { query } = useLocation();
  const [editingLocation, setEditingLocation] = useState(query.get('correct') === 'location');
  const [locationSaved, setLocationSaved] = useState(false);
  useDocumentTitle(site.data?.name);

  if (site.error !== undefined) return <ErrorNotice error={site.error} />;
  if (site.data === undefined) return <Loading />;
  const data = site.data;
  const otherNames = Object.entries(data.names);
  const mayEdit = mayChange(data);

  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={paths.map(investigationId)}>{t('nav.map')}</Link>
        </p>
        <h1>
          <UserText text={data.name} />
        </h1>
        <p className="muted">{label('siteType', data.site_type)}</p>
        <div className="actions">
          <Link className="button button-primary" to={paths.newItem(investigationId, siteId)}>
            {t('site.addItem')}
          </Link>
        </div>
      </header>

      <section className="section" aria-labelledby="site-details-title">
        <h2 id="site-details-title">{t('site.details')}</h2>
        <dl className="details">
          <Detail term={t('site.externalRef')}>
            <UserText text={data.external_ref} />
          </Detail>
          <Detail term={t('site.coordinates')}>
            {data.latitude === null || data.longitude === null ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              <bdi dir="ltr">
                {data.latitude.toFixed(6)}, {data.longitude.toFixed(6)}
              </bdi>
            )}
          </Detail>
          <Detail term={t('site.precision')}>
            {data.precision_m === null ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              t('site.metres', { value: data.precision_m })
            )}
          </Detail>
          <Detail term={t('site.recoveredBy')}>
            <UserText text={data.recovered_by} />
          </Detail>
          <Detail term={t('site.recoveredOn')}>
            {data.recovered_on === null ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              formatDate(data.recovered_on)
            )}
          </Detail>
          {otherNames.length > 0 && (
            <Detail term={t('site.otherNames')}>
              <ul className="plain-list">
                {otherNames.map(([language, name]) => (
                  <li key={language}>
                    <span className="muted">{language}</span>{' '}
                    <bdi lang={language} dir="auto">
                      {name}
                    </bdi>
                  </li>
                ))}
              </ul>
            </Detail>
          )}
        </dl>
        <div aria-live="polite">{locationSaved && <p className="notice notice-success">{t('location.saved')}</p>}</div>
        {mayEdit &&
          (editingLocation ? (
            <LocationEditor
              site={data}
              onCancel={() => setEditingLocation(false)}
              onSaved={() => {
                setEditingLocation(false);
                setLocationSaved(true);
                site.reload();
              }}
            />
          ) : (
            <button
              type="button"
              onClick={() => {
                setLocationSaved(false);
                setEditingLocation(true);
              }}
            >
              {t('location.correct')}
            </button>
          ))}
        {data.context !== '' && (
          <p className="prose" dir="auto">
            {data.context}
          </p>
        )}
      </section>

      <section className="section" aria-labelledby="inventory-title">
        <h2 id="inventory-title">{t('site.inventory')}</h2>
        <InventoryTable investigationId={investigationId} siteId={siteId} />
      </section>

      <div className="grid-2">
        <LoadedSection
          id="zones"
          title={t('site.zones')}
          loaded={zones}
          isEmpty={(found) => found.items.length === 0}
          empty={t('site.noZones')}
          footer={<ZoneForm investigationId={investigationId} siteId={siteId} onCreated={zones.reload} />}
        >
          {(found) => (
            <ul className="plain-list">
              {found.items.map((zone) => (
                <li key={zone.id}>
                  <strong>
                    <UserText text={zone.name} />
                  </strong>
                  <Appended separator=" — " text={zone.description} />
                </li>
              ))}
            </ul>
          )}
        </LoadedSection>

        <LoadedSection
          id="incidents"
          title={t('site.incidents')}
          loaded={incidents}
          isEmpty={(found) => found.items.length === 0}
          empty={t('site.noIncidents')}
        >
          {(found) => (
            <ul className="plain-list">
              {found.items.map((incident) => (
                <li key={incident.id}>
                  <strong>
                    <UserText text={incident.title} />
                  </strong>{' '}
                  <span className="muted">
                    {label('incidentType', incident.incident_type)}
                    {incident.occurred_on !== null && ` · ${formatDate(incident.occurred_on)}`}
                    {incident.killed !== null && ` · ${t('site.killed', { count: incident.killed })}`}
                    {incident.injured !== null && ` · ${t('site.injured', { count: incident.injured })}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </LoadedSection>
      </div>

      <MediaSection investigationId={investigationId} target={{ siteId }} />
      <p className="muted small">{t('site.lastUpdated', { version: formatNumber(data.version) })}</p>
    </div>
  );
}
