import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type NewMarking } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { markingKinds } from '../../api/vocabulary';
import { CharacterPalette } from '../../components/CharacterPalette';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { useVersionedEdit } from '../../components/record/useVersionedEdit';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { isolate, useI18n } from '../../i18n/i18n';
import { readMarking, type MarkingRecord } from './itemApi';
import { useMarkingFields } from './itemFields';
import { useMarkingText } from './paletteInsert';
import { SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import { useSensitivityInput } from '../../components/sensitivity/useSensitivityInput';

const orNull = (text: string) => (text === '' ? null : text);

/**
 * Corrects a marking's text (exactly as transcribed), kind, position and script, with the version check. A new text
 * re-derives its legibility and, unless the script is changed too, its script on the server.
 */
export function MarkingEditForm({
  marking,
  onDone,
  onReload,
}: {
  marking: MarkingRecord;
  onDone: (saved: boolean) => void;
  onReload: () => void;
}) {
  const { t } = useI18n();
  const [base, setBase] = useState(marking);
  const text = useMarkingText(marking.text);
  const [kind, setKind] = useState(marking.kind);
  const [position, setPosition] = useState(marking.position ?? '');
  const [script, setScript] = useState(marking.script ?? '');
  const sensitivity = useSensitivityInput(marking.investigation_id, marking);
  const fields = useMarkingFields().filter((field) => field.key !== 'archive_reason');
  const edit = useVersionedEdit({
    version: marking.version,
    send: (body) => call(api.PATCH('/api/v1/markings/{id}', { params: { path: { id: marking.id } }, body })),
    readCurrent: () => readMarking(marking.id),
    onSaved: () => onDone(true),
    onUseCurrent: (current) => {
      setBase(current);
      text.setText(current.text);
      setKind(current.kind);
      setPosition(current.position ?? '');
      setScript(current.script ?? '');
      sensitivity.reset(current);
      onReload();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const sensitivityChange = sensitivity.fields(base);
    if (sensitivityChange === undefined) return;
    const changes = {
      ...(text.text === base.text ? {} : { text: text.text }),
      ...(kind === base.kind ? {} : { kind }),
      ...(position === (base.position ?? '') ? {} : { position: orNull(position) }),
      ...(script === (base.script ?? '') ? {} : { script: orNull(script) }),
      ...sensitivityChange,
    };
    if (Object.keys(changes).length === 0) onDone(false);
    else void edit.save(changes);
  };
  const errors = fieldErrors(edit.error, (problem) => fieldErrorMessage(t, problem));
  const placed = ['text', 'kind', 'position', 'script', 'sensitivity', 'sensitivity_reason'];
  const title = t('edit.marking.title', { text: isolate(marking.text) });
  return (
    <form className="card record-edit marking-edit" aria-label={title} noValidate onSubmit={submit}>
      <h3>{title}</h3>
      {edit.error !== undefined && !Object.keys(errors).some((field) => placed.includes(field)) && (
        <ErrorNotice error={edit.error} />
      )}
      <div className="field-grid">
        <Field label={t('marking.text')} error={errors.text} hint={t('capture.markingsHint')}>
          {(control) => (
            <input
              {...control}
              ref={text.ref}
              dir="auto"
              spellCheck={false}
              autoComplete="off"
              autoFocus
              value={text.text}
              onChange={(event) => text.setText(event.target.value)}
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
        <Field label={t('marking.script')} error={errors.script} hint={t('edit.marking.scriptHint')}>
          {(control) => (
            <input
              {...control}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              value={script}
              onChange={(event) => setScript(event.target.value)}
            />
          )}
        </Field>
      </div>
      <SensitivityFields {...sensitivity.props(errors)} />
      <CharacterPalette onInsert={text.insert} />
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
      <div className="record-edit-actions">
        <button type="submit" className="button-primary" disabled={edit.busy}>
          {t('edit.save')}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
