import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors } from '../../api/client';
import { readSite, type SiteRecord as Site } from './siteApi';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { siteTypes } from '../../api/vocabulary';
import { FirstInvalidButton } from '../../components/FirstInvalidButton';
import { LocationFields } from '../../components/LocationFields';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { useVersionedEdit } from '../../components/record/useVersionedEdit';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { SiteNamesFields } from './SiteNamesFields';
import { siteChangeOf, siteDraftOf, type SiteDraft, type SiteDraftProblems } from './siteDraft';
import { useSiteFields } from './siteFields';
import { SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import { useSensitivitySettings } from '../../components/sensitivity/useSensitivitySettings';

/** The fields this form sends; a server problem on any other field is shown above the buttons. */
const placed = [
  'name',
  'site_type',
  'names',
  'external_ref',
  'latitude',
  'longitude',
  'location',
  'precision_m',
  'sensitivity',
  'sensitivity_reason',
];
const placedPrefixes = ['names.', 'area', 'recovered_by', 'recovered_on', 'context'];

/**
 * Edits every field of a site (names, type, point and precision, outline, recovery details, context). Only the
 * fields the user changed are sent, on the version the form was filled from; a stale save shows both versions
 * (StaleEditNotice) and overwrites nothing. `focusLocation` starts in the latitude field (the map's "correct the
 * location").
 */
export function SiteEditForm({
  site,
  onSaved,
  onCancel,
  onReload,
  focusLocation = false,
}: {
  site: Site;
  onSaved: () => void;
  onCancel: () => void;
  /** The page's copy of the site is out of date (someone else changed it). */
  onReload: () => void;
  focusLocation?: boolean;
}) {
  const { t } = useI18n();
  const [base, setBase] = useState(site);
  const [draft, setDraft] = useState<SiteDraft>(() => siteDraftOf(site));
  const [problems, setProblems] = useState<SiteDraftProblems>({});
  const [attempted, setAttempted] = useState(false);
  const [nothingChanged, setNothingChanged] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const fields = useSiteFields();
  const settings = useSensitivitySettings(site.investigation_id);
  const edit = useVersionedEdit({
    version: site.version,
    send: (body) => call(api.PATCH('/api/v1/sites/{id}', { params: { path: { id: site.id } }, body })),
    readCurrent: () => readSite(site.id),
    onSaved,
    onUseCurrent: (current) => {
      setBase(current);
      setDraft(siteDraftOf(current));
      onReload();
    },
  });
  useEffect(() => {
    // The map's "correct the location" lands here: start in the latitude field.
    if (focusLocation) formRef.current?.querySelector<HTMLInputElement>('.location-fields .field-row input')?.focus();
  }, [focusLocation]);
  const update = <Key extends keyof SiteDraft>(key: Key, value: SiteDraft[Key]) => {
    setNothingChanged(false);
    setDraft((previous) => ({ ...previous, [key]: value }));
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setAttempted(true);
    const change = siteChangeOf(base, draft);
    if (!change.ok) {
      setProblems(change.problems);
      return;
    }
    setProblems({});
    if (Object.keys(change.changes).length === 0) {
      setNothingChanged(true);
      return;
    }
    await edit.save(change.changes);
  };

  const errors = fieldErrors(edit.error, (problem) => fieldErrorMessage(t, problem));
  const errorOf = (prefix: string) =>
    Object.entries(errors).find(([field]) => field === prefix || field.startsWith(`${prefix}.`))?.[1];
  const unplaced = Object.keys(errors).some(
    (field) => !placed.includes(field) && !placedPrefixes.some((prefix) => field.startsWith(prefix)),
  );
  const refused = Object.values(problems).some((problem) => problem !== undefined) || Object.keys(errors).length > 0;
  const locationError = errors.location;

  return (
    <form
      ref={formRef}
      className="card record-edit site-edit"
      aria-labelledby="site-edit-title"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="site-edit-title">{t('edit.site.title')}</h3>
      <div className="field-grid">
        <Field label={t('site.name')} error={errors.name}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              required
              autoFocus={!focusLocation}
              value={draft.name}
              onChange={(event) => update('name', event.target.value)}
            />
          )}
        </Field>
        <Field label={t('site.type')} error={errors.site_type}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="siteType"
              values={siteTypes}
              value={draft.site_type}
              onChange={(value) => update('site_type', value as Site['site_type'])}
            />
          )}
        </Field>
        <Field label={t('site.externalRef')} error={errors.external_ref} hint={t('capture.externalRefHint')}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={draft.external_ref}
              onChange={(event) => update('external_ref', event.target.value)}
            />
          )}
        </Field>
      </div>
      <SiteNamesFields
        rows={draft.names}
        onChange={(rows) => update('names', rows)}
        errors={errors}
        duplicate={problems.names !== undefined}
      />
      <LocationFields
        draft={draft.location}
        onChange={(location) => update('location', location)}
        serverErrors={{
          latitude: errors.latitude ?? locationError,
          longitude: errors.longitude,
          precision_m: errors.precision_m,
        }}
        attempted={attempted}
      />
      <Field
        label={t('edit.site.area')}
        hint={t('edit.site.areaHint')}
        error={problems.area !== undefined ? t('edit.site.areaUnreadable') : errorOf('area')}
      >
        {(control) => (
          <textarea
            {...control}
            dir="ltr"
            rows={3}
            spellCheck={false}
            value={draft.area}
            onChange={(event) => update('area', event.target.value)}
          />
        )}
      </Field>
      <div className="field-grid">
        <Field label={t('site.recoveredBy')} error={errors.recovered_by}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={draft.recovered_by}
              onChange={(event) => update('recovered_by', event.target.value)}
            />
          )}
        </Field>
        <Field label={t('site.recoveredOn')} error={errors.recovered_on}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={draft.recovered_on}
              onChange={(event) => update('recovered_on', event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label={t('site.context')} error={errors.context}>
        {(control) => (
          <textarea
            {...control}
            dir="auto"
            rows={3}
            value={draft.context}
            onChange={(event) => update('context', event.target.value)}
          />
        )}
      </Field>
      <SensitivityFields
        mode="edit"
        draft={draft.sensitivity}
        onChange={(sensitivity) => {
          setProblems((previous) => ({ ...previous, sensitivity: undefined }));
          update('sensitivity', sensitivity);
        }}
        clearance={settings.data?.clearance}
        error={errors.sensitivity}
        reasonError={
          problems.sensitivity === undefined ? errors.sensitivity_reason : t('fieldError.sensitivity_reason_required')
        }
      />
      {edit.conflict !== undefined && (
        <StaleEditNotice
          fields={fields}
          mine={edit.conflict.mine}
          current={edit.conflict.current}
          onUseCurrent={edit.useCurrent}
          onApplyMine={() => void edit.applyMine()}
          busy={edit.busy}
        />
      )}
      <div className="actions form-actions">
        <div className="save-status" aria-live="assertive">
          {refused && (
            <p className="notice notice-error">
              {t('edit.notSaved')} <FirstInvalidButton form={formRef} />
            </p>
          )}
          {edit.error !== undefined && (unplaced || Object.keys(errors).length === 0) && (
            <ErrorNotice error={edit.error} />
          )}
          {nothingChanged && <p className="notice notice-warning">{t('edit.nothingChanged')}</p>}
        </div>
        <button type="submit" className="button-primary" disabled={edit.busy}>
          {t('edit.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
