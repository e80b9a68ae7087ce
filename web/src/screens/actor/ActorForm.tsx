import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type ActorRecord, type BodyOf } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useRegisterForm } from '../../components/useRegisterForm';
import { useI18n } from '../../i18n/i18n';

export const actorTypes = [
  'manufacturer',
  'state',
  'company',
  'armed_group',
  'unit',
  'other',
] as const satisfies readonly ActorRecord['actor_type'][];

type NewActor = BodyOf<'/api/v1/investigations/{id}/actors', 'post'>;

interface ActorDraft {
  actor_type: string;
  name: string;
  aliases: string;
  country_code: string;
  notes: string;
}

const emptyDraft: ActorDraft = { actor_type: 'manufacturer', name: '', aliases: '', country_code: '', notes: '' };

function draftOf(actor: ActorRecord): ActorDraft {
  return {
    actor_type: actor.actor_type,
    name: actor.name,
    aliases: actor.aliases.join('\n'),
    country_code: actor.country_code ?? '',
    notes: actor.notes,
  };
}

/** One alias a line; blank lines are not aliases. */
export function aliasesOf(text: string): string[] {
  return text
    .split('\n')
    .map((alias) => alias.trim())
    .filter((alias) => alias !== '');
}

function bodyOf(draft: ActorDraft): NewActor {
  return {
    actor_type: draft.actor_type as NewActor['actor_type'],
    name: draft.name,
    aliases: aliasesOf(draft.aliases),
    country_code: draft.country_code.trim() === '' ? null : draft.country_code.trim(),
    notes: draft.notes,
  };
}

/**
 * Records a new actor (no `actor`) or corrects one. A correction sends the changed fields with the version read;
 * when someone saved first, both versions are shown side by side and nothing is overwritten.
 */
export function ActorForm({
  investigationId,
  actor,
  onCreated,
  onSaved,
  onCancel,
}: {
  investigationId: string;
  actor?: ActorRecord;
  onCreated?: (actor: ActorRecord) => void;
  onSaved?: () => void;
  onCancel?: () => void;
}) {
  const { t, label } = useI18n();
  const [draft, setDraft] = useState<ActorDraft>(() => (actor === undefined ? emptyDraft : draftOf(actor)));
  const form = useRegisterForm({
    record: actor,
    bodyOfRecord: (record: ActorRecord) => bodyOf(draftOf(record)),
    create: (body: NewActor) =>
      call(api.POST('/api/v1/investigations/{id}/actors', { params: { path: { id: investigationId } }, body })),
    update: (id, body) => call(api.PATCH('/api/v1/actors/{id}', { params: { path: { id } }, body })),
    read: (id) => call(api.GET('/api/v1/actors/{id}', { params: { path: { id } } })),
    onCreated,
    onSaved,
    onUseCurrent: (current) => setDraft(draftOf(current)),
  });
  const set = (key: keyof ActorDraft) => (value: string) => setDraft((previous) => ({ ...previous, [key]: value }));
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    await form.submit(bodyOf(draft));
  };

  const errors = fieldErrors(form.error, (problem) => fieldErrorMessage(t, problem));
  const placed = ['actor_type', 'name', 'aliases', 'country_code', 'notes'];
  const unplaced =
    form.error !== undefined && !Object.keys(errors).some((field) => placed.includes(field.split('.')[0]!));
  const aliasesText = (value: unknown) => (Array.isArray(value) ? value.join(' · ') : '');

  return (
    <form className="card" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="actor-form-title">
      <h2 id="actor-form-title">{actor === undefined ? t('actors.new') : t('actors.edit')}</h2>
      <div className="field-grid">
        <Field label={t('actors.type')} error={errors.actor_type}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="actorType"
              values={actorTypes}
              value={draft.actor_type}
              onChange={set('actor_type')}
              required
            />
          )}
        </Field>
        <Field label={t('actors.name')} error={errors.name}>
          {(control) => (
            <input
              {...control}
              name="name"
              dir="auto"
              required
              value={draft.name}
              onChange={(event) => set('name')(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('actors.country')} hint={t('actors.countryHint')} error={errors.country_code}>
          {(control) => (
            <input
              {...control}
              name="country_code"
              dir="ltr"
              maxLength={2}
              autoCapitalize="characters"
              value={draft.country_code}
              onChange={(event) => set('country_code')(event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field
        label={t('actors.aliases')}
        hint={t('actors.aliasesHint')}
        error={errors.aliases ?? Object.entries(errors).find(([field]) => field.startsWith('aliases.'))?.[1]}
      >
        {(control) => (
          <textarea
            {...control}
            name="aliases"
            dir="auto"
            rows={3}
            value={draft.aliases}
            onChange={(event) => set('aliases')(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('actors.notes')} error={errors.notes}>
        {(control) => (
          <textarea
            {...control}
            name="notes"
            dir="auto"
            rows={2}
            value={draft.notes}
            onChange={(event) => set('notes')(event.target.value)}
          />
        )}
      </Field>
      {form.conflict !== undefined && (
        <StaleEditNotice
          fields={[
            { key: 'actor_type', label: t('actors.type'), display: (value) => label('actorType', String(value)) },
            { key: 'name', label: t('actors.name') },
            { key: 'aliases', label: t('actors.aliases'), display: aliasesText },
            { key: 'country_code', label: t('actors.country') },
            { key: 'notes', label: t('actors.notes') },
          ]}
          mine={form.conflict.mine}
          current={form.conflict.current}
          onUseCurrent={form.useCurrent}
          onApplyMine={() => void form.applyMine()}
          busy={form.busy}
        />
      )}
      <div aria-live="assertive">
        {unplaced && <ErrorNotice error={form.error} />}
        {form.error !== undefined && !unplaced && <p className="notice notice-error">{t('register.notSaved')}</p>}
        {form.nothingChanged && <p className="notice notice-warning">{t('edit.nothingChanged')}</p>}
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={form.busy}>
          {actor === undefined ? t('actors.create') : t('register.save')}
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
