import type { ActorRecord, BodyOf } from '../../api/client';
import { Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';

type ActorType = BodyOf<'/api/v1/investigations/{id}/actors', 'post'>['actor_type'];
const actorTypes: readonly ActorType[] = ['manufacturer', 'state', 'company', 'armed_group', 'unit', 'other'];

/** An existing actor, or the name and kind of a new one to record first (e.g. the supplier of a transfer lead). */
export interface ActorChoice {
  actorId: string;
  newName: string;
  newType: ActorType;
}

export const emptyActorChoice: ActorChoice = { actorId: '', newName: '', newType: 'state' };
const NEW = '__new__';

/**
 * Chooses an actor from the investigation's list, or names a new one. Shows the server's field errors: `error` for
 * the choice, `nameError` for the new actor's name.
 */
export function ActorPicker({
  label,
  actors,
  choice,
  onChange,
  allowNone,
  error,
  nameError,
}: {
  label: string;
  actors: readonly ActorRecord[];
  choice: ActorChoice;
  onChange: (choice: ActorChoice) => void;
  allowNone?: boolean;
  error?: string | undefined;
  nameError?: string | undefined;
}) {
  const { t } = useI18n();
  const creating = choice.actorId === NEW;
  return (
    <>
      <Field label={label} error={error}>
        {(control) => (
          <select
            {...control}
            value={choice.actorId}
            onChange={(event) => onChange({ ...choice, actorId: event.target.value })}
          >
            <option value="">{allowNone === true ? t('common.notRecorded') : t('actorPicker.choose')}</option>
            {actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name}
              </option>
            ))}
            <option value={NEW}>{t('actorPicker.new')}</option>
          </select>
        )}
      </Field>
      {creating && (
        <>
          <Field label={t('actorPicker.newName', { role: label })} error={nameError}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                value={choice.newName}
                onChange={(event) => onChange({ ...choice, newName: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('actorPicker.newType')}>
            {(control) => (
              <VocabularySelect
                control={control}
                group="tracingActorType"
                values={actorTypes}
                value={choice.newType}
                onChange={(value) => onChange({ ...choice, newType: value as ActorType })}
              />
            )}
          </Field>
        </>
      )}
    </>
  );
}

/** Starts a choice from a name: the actor of that name when there is one, else a new actor of that name. */
export function choiceForName(actor: ActorRecord | undefined, name: string, type: ActorType = 'state'): ActorChoice {
  if (actor !== undefined) return { ...emptyActorChoice, actorId: actor.id };
  if (name.trim() === '') return emptyActorChoice;
  return { actorId: NEW, newName: name.trim(), newType: type };
}

/** The chosen actor's id, recording the new actor first when one was named; null when none was chosen. */
export async function resolveActor(
  choice: ActorChoice,
  create: (body: { name: string; actor_type: ActorType }) => Promise<{ id: string }>,
): Promise<string | null> {
  if (choice.actorId === '') return null;
  if (choice.actorId !== NEW) return choice.actorId;
  return (await create({ name: choice.newName, actor_type: choice.newType })).id;
}
