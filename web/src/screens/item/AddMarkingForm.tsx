import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type NewMarking } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { markingKinds } from '../../api/vocabulary';
import { CharacterPalette } from '../../components/CharacterPalette';
import { SeenElsewhere } from '../../components/SeenElsewhere';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { saveOrQueue } from '../../offline/save';
import { useMarkingText } from './paletteInsert';
import { SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import { useSensitivityInput } from '../../components/sensitivity/useSensitivityInput';

/** Adds a marking to the item (kept on the device when offline), with the same marking seen elsewhere. */
export function AddMarkingForm({
  investigationId,
  itemId,
  onAdded,
}: {
  investigationId: string;
  itemId: string;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const marking = useMarkingText('');
  const [kind, setKind] = useState<NewMarking['kind']>('serial');
  const [position, setPosition] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const sensitivity = useSensitivityInput(investigationId);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    // Left out for the investigation's default; restricted needs its reason (said beside the field).
    const sensitivityFields = sensitivity.fields();
    if (sensitivityFields === undefined) return;
    try {
      const body = {
        text: marking.text,
        kind,
        position: position.trim() === '' ? null : position.trim(),
        ...sensitivityFields,
      };
      await saveOrQueue({
        type: 'marking.create',
        investigationId,
        body: { ...body, item_id: itemId },
        label: marking.text,
        rest: () => call(api.POST('/api/v1/items/{id}/markings', { params: { path: { id: itemId } }, body })),
      });
      marking.setText('');
      setPosition('');
      sensitivity.reset();
      onAdded();
      marking.ref.current?.focus();
    } catch (caught) {
      setError(caught);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('item.addMarking')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      {sensitivity.reasonMissing && (
        <p className="notice notice-error" role="alert">
          {t('edit.notSaved')}
        </p>
      )}
      <div className="field-grid">
        <Field label={t('marking.text')} error={errors.text}>
          {(control) => (
            <input
              {...control}
              ref={marking.ref}
              dir="auto"
              spellCheck={false}
              autoComplete="off"
              value={marking.text}
              onChange={(event) => marking.setText(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('marking.kind')} error={errors.kind}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="markingKind"
              values={markingKinds}
              value={kind}
              onChange={(value) => setKind(value as NewMarking['kind'])}
            />
          )}
        </Field>
        <Field label={t('marking.position')} error={errors.position}>
          {(control) => (
            <input {...control} dir="auto" value={position} onChange={(event) => setPosition(event.target.value)} />
          )}
        </Field>
      </div>
      <SensitivityFields {...sensitivity.props(errors)} />
      <SeenElsewhere investigationId={investigationId} itemId={itemId} text={marking.text} />
      <CharacterPalette onInsert={marking.insert} />
      <button type="submit">{t('item.addMarking')}</button>
    </form>
  );
}
