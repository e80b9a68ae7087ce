import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, readAllPages, type BodyOf, type Incident } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { valueText } from '../../components/record/recordDiff';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useRegisterForm } from '../../components/useRegisterForm';
import { useLoad } from '../../hooks';
import { useI18n, type I18n, type MessageKey } from '../../i18n/i18n';
import { readCount } from './casualties';

export const incidentTypes = [
  'malfunction',
  'accident',
  'seizure',
  'attack',
  'other',
] as const satisfies readonly Incident['incident_type'][];

type NewIncident = BodyOf<'/api/v1/investigations/{id}/incidents', 'post'>;
type Draft = Record<
  'incident_type' | 'title' | 'occurred_on' | 'site_id' | 'place' | 'killed' | 'injured' | 'description' | 'source_id',
  string
>;

const emptyDraft: Draft = {
  incident_type: 'seizure',
  title: '',
  occurred_on: '',
  site_id: '',
  place: '',
  killed: '',
  injured: '',
  description: '',
  source_id: '',
};

const labels: Record<keyof Draft, MessageKey> = {
  incident_type: 'incidents.type',
  title: 'incidents.titleField',
  occurred_on: 'incidents.occurredOn',
  site_id: 'incidents.site',
  place: 'incidents.place',
  killed: 'incidents.killed',
  injured: 'incidents.injured',
  description: 'incidents.description',
  source_id: 'incidents.source',
};

function draftOf(incident: Incident): Draft {
  return {
    incident_type: incident.incident_type,
    title: incident.title,
    occurred_on: incident.occurred_on ?? '',
    site_id: incident.site_id ?? '',
    place: incident.place ?? '',
    killed: incident.killed === null ? '' : String(incident.killed),
    injured: incident.injured === null ? '' : String(incident.injured),
    description: incident.description,
    source_id: incident.source_id ?? '',
  };
}

/** The request body of a draft whose counts were read; `undefined` counts mean "unreadable", checked before. */
function bodyOf(draft: Draft, killed: number | null, injured: number | null): NewIncident {
  const orNull = (value: string) => (value === '' ? null : value);
  return {
    incident_type: draft.incident_type as NewIncident['incident_type'],
    title: draft.title,
    occurred_on: orNull(draft.occurred_on),
    site_id: orNull(draft.site_id),
    place: orNull(draft.place),
    killed,
    injured,
    description: draft.description,
    source_id: orNull(draft.source_id),
  };
}

/** The incident's fields by their API names, in the user's language (for the history and the stale-edit view). */
export function incidentFieldLabels(t: I18n['t']): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([key, message]) => [key, t(message)]));
}

/** The investigation's sites and sources, for the "where" and "reported by" choices. */
function useChoices(investigationId: string) {
  return useLoad(async () => {
    const query = { limit: 500 } as const;
    const [sites, sources] = await Promise.all([
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/sites', {
            params: { path: { id: investigationId }, query: { ...query, after } },
          }),
        ),
      ),
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/sources', {
            params: { path: { id: investigationId }, query: { ...query, after } },
          }),
        ),
      ),
    ]);
    return { sites: sites.rows, sources: sources.rows };
  }, [investigationId]);
}

/**
 * Records an incident or corrects one (version-checked): type, title, date, the site it happened at (chosen, or
 * none to unlink it), place, casualty counts typed in any script's digits, description and reporting source.
 */
export function IncidentForm({
  investigationId,
  incident,
  onCreated,
  onSaved,
  onCancel,
}: {
  investigationId: string;
  incident?: Incident;
  onCreated?: (incident: Incident) => void;
  onSaved?: () => void;
  onCancel?: () => void;
}) {
  const { t, label } = useI18n();
  const choices = useChoices(investigationId);
  const [draft, setDraft] = useState<Draft>(() => (incident === undefined ? emptyDraft : draftOf(incident)));
  const [unreadable, setUnreadable] = useState<{ killed?: boolean; injured?: boolean }>({});
  const form = useRegisterForm({
    record: incident,
    bodyOfRecord: (record: Incident) => bodyOf(draftOf(record), record.killed, record.injured),
    create: (body: NewIncident) =>
      call(api.POST('/api/v1/investigations/{id}/incidents', { params: { path: { id: investigationId } }, body })),
    update: (id, body) => call(api.PATCH('/api/v1/incidents/{id}', { params: { path: { id } }, body })),
    read: (id) => call(api.GET('/api/v1/incidents/{id}', { params: { path: { id } } })),
    onCreated,
    onSaved,
    onUseCurrent: (current) => setDraft(draftOf(current)),
  });
  const set = (key: keyof Draft) => (value: string) => setDraft((previous) => ({ ...previous, [key]: value }));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    // Digits of any script; what is not a whole number of zero or more is refused here, never sent as something else.
    const killed = readCount(draft.killed);
    const injured = readCount(draft.injured);
    setUnreadable({ killed: !killed.ok, injured: !injured.ok });
    if (!killed.ok || !injured.ok) return;
    await form.submit(bodyOf(draft, killed.value, injured.value));
  };

  const errors = fieldErrors(form.error, (problem) => fieldErrorMessage(t, problem));
  const unplaced = form.error !== undefined && Object.keys(errors).every((field) => !(field in emptyDraft));
  const countError = (key: 'killed' | 'injured') =>
    unreadable[key] === true ? t('incidents.countUnreadable') : errors[key];
  const text = (key: 'title' | 'place', required = false) => (
    <Field label={t(labels[key])} error={errors[key]}>
      {(control) => (
        <input
          {...control}
          name={key}
          dir="auto"
          required={required}
          value={draft[key]}
          onChange={(event) => set(key)(event.target.value)}
        />
      )}
    </Field>
  );
  const count = (key: 'killed' | 'injured') => (
    <Field label={t(labels[key])} hint={t('incidents.countHint')} error={countError(key)}>
      {(control) => (
        <input
          {...control}
          name={key}
          inputMode="numeric"
          dir="auto"
          value={draft[key]}
          onChange={(event) => set(key)(event.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form className="card" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="incident-form-title">
      <h2 id="incident-form-title">{incident === undefined ? t('incidents.new') : t('incidents.edit')}</h2>
      <div className="field-grid">
        <Field label={t(labels.incident_type)} error={errors.incident_type}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="incidentType"
              values={incidentTypes}
              value={draft.incident_type}
              onChange={set('incident_type')}
              required
            />
          )}
        </Field>
        {text('title', true)}
        <Field label={t(labels.occurred_on)} error={errors.occurred_on}>
          {(control) => (
            <input
              {...control}
              name="occurred_on"
              type="date"
              value={draft.occurred_on}
              onChange={(event) => set('occurred_on')(event.target.value)}
            />
          )}
        </Field>
        <Field label={t(labels.site_id)} hint={t('incidents.siteHint')} error={errors.site_id}>
          {(control) => (
            <select
              {...control}
              name="site_id"
              value={draft.site_id}
              onChange={(event) => set('site_id')(event.target.value)}
            >
              <option value="">{t('incidents.noSite')}</option>
              {choices.data?.sites.map((site) => (
                <option key={site.id} value={site.id} dir="auto">
                  {`${site.name} · ${label('siteType', site.site_type)}`}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('place')}
        {count('killed')}
        {count('injured')}
        <Field label={t(labels.source_id)} error={errors.source_id}>
          {(control) => (
            <select
              {...control}
              name="source_id"
              value={draft.source_id}
              onChange={(event) => set('source_id')(event.target.value)}
            >
              <option value="">{t('common.notRecorded')}</option>
              {choices.data?.sources.map((source) => (
                <option key={source.id} value={source.id} dir="auto">
                  {source.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label={t(labels.description)} error={errors.description}>
        {(control) => (
          <textarea
            {...control}
            name="description"
            dir="auto"
            rows={3}
            value={draft.description}
            onChange={(event) => set('description')(event.target.value)}
          />
        )}
      </Field>
      {form.conflict !== undefined && (
        <StaleEditNotice
          fields={(Object.keys(labels) as (keyof Draft)[]).map((key) => ({
            key,
            label: t(labels[key]),
            display: (value: unknown) => {
              const text = valueText(value);
              if (text === '') return text;
              if (key === 'incident_type') return label('incidentType', text);
              if (key === 'site_id') return choices.data?.sites.find((site) => site.id === text)?.name ?? text;
              if (key === 'source_id') return choices.data?.sources.find((source) => source.id === text)?.title ?? text;
              return text;
            },
          }))}
          mine={form.conflict.mine}
          current={form.conflict.current}
          onUseCurrent={form.useCurrent}
          onApplyMine={() => void form.applyMine()}
          busy={form.busy}
        />
      )}
      <div aria-live="assertive">
        {choices.error !== undefined && <ErrorNotice error={choices.error} />}
        {unplaced && <ErrorNotice error={form.error} />}
        {(unreadable.killed === true || unreadable.injured === true || (!unplaced && form.error !== undefined)) && (
          <p className="notice notice-error">{t('register.notSaved')}</p>
        )}
        {form.nothingChanged && <p className="notice notice-warning">{t('edit.nothingChanged')}</p>}
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={form.busy}>
          {incident === undefined ? t('incidents.create') : t('register.save')}
        </button>
        {onCancel !== undefined && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
