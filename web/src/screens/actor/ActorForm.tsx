import { useState, type SubmitEvent } from 'react';
import { api, ApiError, call, fieldErrors, type ActorRecord, type BodyOf } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { StaleNotice } from '../../components/StaleNotice';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
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
 * Records a new actor (no `actor`) or corrects one. A correction carries the version read; when someone saved
 * first, their version is shown beside the typed one and nothing is overwritten.
 */
export function ActorForm({
  investigationId,
  actor,
  onSaved,
  onCancel,
}: {
  investigationId: string;
  actor?: ActorRecord;
  onSaved: (actor: ActorRecord) => void;
  onCancel?: () => void;
}) {
  const { t, label } = useI18n();
  const [draft, setDraft] = useState<ActorDraft>(() => (actor === undefined ? emptyDraft : draftOf(actor)));
  const [version, setVersion] = useState(actor?.version ?? 0);
  const [current, setCurrent] = useState<ActorRecord | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof ActorDraft) => (value: string) => setDraft((previous) => ({ ...previous, [key]: value }));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved =
        actor === undefined
          ? await call(
              api.POST('/api/v1/investigations/{id}/actors', {
                params: { path: { id: investigationId } },
                body: bodyOf(draft),
              }),
            )
          : await call(
              api.PATCH('/api/v1/actors/{id}', {
                params: { path: { id: actor.id } },
                body: { ...bodyOf(draft), version },
              }),
            );
      setCurrent(undefined);
      if (actor === undefined) setDraft(emptyDraft);
      onSaved(saved);
    } catch (caught) {
      setError(caught);
      if (actor !== undefined && caught instanceof ApiError && caught.status === 409) {
        const fresh = await call(api.GET('/api/v1/actors/{id}', { params: { path: { id: actor.id } } })).catch(
          () => undefined,
        );
        if (fresh !== undefined) {
          setCurrent(fresh);
          setVersion(fresh.version);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  const placed = ['actor_type', 'name', 'aliases', 'country_code', 'notes'];
  const unplaced = error !== undefined && !Object.keys(errors).some((field) => placed.includes(field.split('.')[0]!));

  return (
    <form className="card" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="actor-form-title">
      <h2 id="actor-form-title">{actor === undefined ? t('actors.new') : t('actors.edit')}</h2>
      {current !== undefined && (
        <StaleNotice
          rows={[
            {
              label: t('actors.type'),
              mine: label('actorType', draft.actor_type),
              theirs: label('actorType', current.actor_type),
            },
            { label: t('actors.name'), mine: draft.name, theirs: current.name },
            {
              label: t('actors.aliases'),
              mine: aliasesOf(draft.aliases).join(' · '),
              theirs: current.aliases.join(' · '),
            },
            { label: t('actors.country'), mine: draft.country_code, theirs: current.country_code ?? '' },
            { label: t('actors.notes'), mine: draft.notes, theirs: current.notes },
          ]}
          onUseTheirs={() => {
            setDraft(draftOf(current));
            setCurrent(undefined);
            setError(undefined);
          }}
        />
      )}
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
      {unplaced && <ErrorNotice error={error} />}
      {error instanceof ApiError && !unplaced && current === undefined && (
        <p className="notice notice-error" role="alert">
          {t('register.notSaved')}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
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
