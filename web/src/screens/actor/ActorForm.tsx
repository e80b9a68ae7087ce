import { api, call, type ActorRecord, type BodyOf } from '../../api/client';
import { RegisterFormFooter } from '../../components/record/RegisterFormFooter';
import { useDraftRegisterForm } from '../../components/record/useDraftRegisterForm';
import { Field, VocabularySelect } from '../../components/ui';
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

type ActorDraft = {
  actor_type: string;
  name: string;
  aliases: string;
  country_code: string;
  notes: string;
};

/** The fields the form shows errors beside. */
const placed = ['actor_type', 'name', 'aliases', 'country_code', 'notes'];

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
  const { draft, set, submit, errors, unplaced, form } = useDraftRegisterForm({
    record: actor,
    emptyDraft,
    draftOf,
    bodyOf,
    isPlaced: (field) => placed.includes(field.split('.')[0]!),
    create: (body: NewActor) =>
      call(api.POST('/api/v1/investigations/{id}/actors', { params: { path: { id: investigationId } }, body })),
    update: (id, body) => call(api.PATCH('/api/v1/actors/{id}', { params: { path: { id } }, body })),
    read: (id) => call(api.GET('/api/v1/actors/{id}', { params: { path: { id } } })),
    onCreated,
    onSaved,
  });
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
      <RegisterFormFooter
        form={form}
        unplaced={unplaced}
        staleFields={[
          { key: 'actor_type', label: t('actors.type'), display: (value) => label('actorType', String(value)) },
          { key: 'name', label: t('actors.name') },
          { key: 'aliases', label: t('actors.aliases'), display: aliasesText },
          { key: 'country_code', label: t('actors.country') },
          { key: 'notes', label: t('actors.notes') },
        ]}
        submitLabel={actor === undefined ? t('actors.create') : t('register.save')}
        onCancel={onCancel}
      />
    </form>
  );
}
