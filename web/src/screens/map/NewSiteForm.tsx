import { fieldErrorMessage } from '../../api/fieldErrors';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type BodyOf, type SiteType } from '../../api/client';
import { FirstInvalidButton } from '../../components/FirstInvalidButton';
import { LocationFields } from '../../components/LocationFields';
import { readLocation, type LocationDraft } from '../../components/coordinateField';
import { siteTypes } from '../../api/vocabulary';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { saveOrQueue } from '../../offline/save';
import { SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import { newSensitivityDraft, sensitivityCreateFields } from '../../components/sensitivity/sensitivityDraft';
import { useSensitivitySettings } from '../../components/sensitivity/useSensitivitySettings';

/** The body of a new site: what the form holds, with the location already read by the shared parser. */
export type NewSiteBody = BodyOf<'/api/v1/investigations/{id}/sites', 'post'>;

/** Sends a new site. One function, so the offline outbox can wrap it. */
async function saveNewSite(investigationId: string, body: NewSiteBody) {
  // Kept on the device (encrypted) when the server cannot be reached; the site is usable at once.
  const { record } = await saveOrQueue({
    type: 'site.create',
    investigationId,
    body,
    label: body.name,
    rest: () =>
      call(api.POST('/api/v1/investigations/{id}/sites', { params: { path: { id: investigationId } }, body })),
  });
  return record;
}

export function NewSiteForm({
  investigationId,
  draft,
  onDraftChange,
  onUseMapCentre,
  onCancel,
  onCreated,
}: {
  investigationId: string;
  draft: LocationDraft;
  onDraftChange: (draft: LocationDraft) => void;
  onUseMapCentre: () => void;
  onCancel: () => void;
  onCreated: (siteId: string) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [siteType, setSiteType] = useState<SiteType>('cache');
  const [externalRef, setExternalRef] = useState('');
  const [recoveredOn, setRecoveredOn] = useState('');
  const [context, setContext] = useState('');
  const [sensitivity, setSensitivity] = useState(newSensitivityDraft);
  const [reasonMissing, setReasonMissing] = useState(false);
  const settings = useSensitivitySettings(investigationId);
  const [error, setError] = useState<unknown>(undefined);
  const [attempted, setAttempted] = useState(false);
  const [refused, setRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => nameRef.current?.focus(), []);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    // The location is read before anything is sent: what cannot be read refuses the save, it is never dropped.
    const location = readLocation(draft);
    setAttempted(true);
    // Left out for the investigation's default (the server fills it in); restricted needs its reason.
    const sensitivityFields = sensitivityCreateFields(sensitivity);
    setReasonMissing(!sensitivityFields.ok);
    if (!location.ok || !sensitivityFields.ok) {
      setRefused(true);
      return;
    }
    setRefused(false);
    setBusy(true);
    try {
      const site = await saveNewSite(investigationId, {
        name,
        site_type: siteType,
        latitude: location.latitude,
        longitude: location.longitude,
        precision_m: location.precision_m,
        external_ref: externalRef === '' ? null : externalRef,
        recovered_on: recoveredOn === '' ? null : recoveredOn,
        context,
        ...sensitivityFields.fields,
      });
      onCreated(site.id);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  const known = [
    'name',
    'site_type',
    'latitude',
    'longitude',
    'precision_m',
    'external_ref',
    'recovered_on',
    'context',
    'sensitivity',
    'sensitivity_reason',
  ];
  const unplaced = Object.keys(errors).some((field) => !known.includes(field));
  return (
    <form
      ref={formRef}
      className="card new-site-form"
      aria-labelledby="new-site-title"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h2 id="new-site-title">{t('map.newSite')}</h2>
      <Field label={t('site.name')} error={errors.name}>
        {(control) => (
          <input
            {...control}
            ref={nameRef}
            dir="auto"
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('site.type')} error={errors.site_type}>
        {(control) => (
          <VocabularySelect
            control={control}
            group="siteType"
            values={siteTypes}
            value={siteType}
            onChange={(value) => setSiteType(value as SiteType)}
          />
        )}
      </Field>
      <LocationFields
        draft={draft}
        onChange={onDraftChange}
        serverErrors={{ latitude: errors.latitude, longitude: errors.longitude, precision_m: errors.precision_m }}
        attempted={attempted}
        onUseMapCentre={onUseMapCentre}
      />
      <Field label={t('site.recoveredOn')} error={errors.recovered_on}>
        {(control) => (
          <input
            {...control}
            type="date"
            value={recoveredOn}
            onChange={(event) => setRecoveredOn(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('site.externalRef')} error={errors.external_ref}>
        {(control) => (
          <input {...control} dir="auto" value={externalRef} onChange={(event) => setExternalRef(event.target.value)} />
        )}
      </Field>
      <Field label={t('site.context')} error={errors.context}>
        {(control) => (
          <textarea
            {...control}
            dir="auto"
            rows={3}
            value={context}
            onChange={(event) => setContext(event.target.value)}
          />
        )}
      </Field>
      <SensitivityFields
        mode="create"
        draft={sensitivity}
        onChange={(next) => {
          setSensitivity(next);
          setReasonMissing(false);
        }}
        defaultLevel={settings.data?.default_sensitivity}
        clearance={settings.data?.clearance}
        error={errors.sensitivity}
        reasonError={reasonMissing ? t('fieldError.sensitivity_reason_required') : errors.sensitivity_reason}
      />
      <div className="actions form-actions">
        <div className="save-status" aria-live="assertive">
          {refused && (
            <p className="notice notice-error">
              {t('location.notSaved')} <FirstInvalidButton form={formRef} />
            </p>
          )}
          {error !== undefined && (unplaced || Object.keys(errors).length === 0) && <ErrorNotice error={error} />}
          {error !== undefined && Object.keys(errors).length > 0 && (
            <p className="notice notice-error">
              {t('location.notSaved')} <FirstInvalidButton form={formRef} />
            </p>
          )}
        </div>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('map.saveSite')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
