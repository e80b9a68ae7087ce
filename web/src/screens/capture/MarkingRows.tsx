import { markingKinds } from '../../api/vocabulary';
import { CharacterPalette } from '../../components/CharacterPalette';
import { SeenElsewhere } from '../../components/SeenElsewhere';
import { Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import type { CaptureDraft } from './useCaptureDraft';
import type { MarkingRowsControl } from './useMarkingRows';

interface MarkingRowsProps {
  investigationId: string;
  form: CaptureDraft;
  rows: MarkingRowsControl;
  /** The server's error of one row's field. */
  markingError: (key: number, field: string) => string | undefined;
}

/** The markings of the item, one row each (text, kind, position), typed from the keyboard without a mouse. */
export function MarkingRows({ investigationId, form, rows, markingError }: MarkingRowsProps) {
  const { t } = useI18n();
  const { draft, updateMarking } = form;
  return (
    <fieldset className="markings-fieldset">
      <legend>{t('capture.markings')}</legend>
      <p className="field-hint">{t('capture.markingsHint')}</p>
      <ol className="marking-rows">
        {draft.markings.map((marking, index) => (
          <li key={marking.key} className="marking-row" data-testid="marking-row">
            <Field
              label={t('capture.markingText', { number: index + 1 })}
              error={markingError(marking.key, 'text')}
              className="marking-text"
            >
              {(control) => (
                <input
                  {...control}
                  ref={rows.textInputRef(marking.key)}
                  dir="auto"
                  spellCheck={false}
                  autoCapitalize="characters"
                  autoComplete="off"
                  value={marking.text}
                  onFocus={() => rows.onTextFocus(marking.key)}
                  onKeyDown={(event) => {
                    // Enter starts the next marking rather than saving the item.
                    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
                      event.preventDefault();
                      rows.addMarking();
                    }
                  }}
                  onChange={(event) => updateMarking(marking.key, { text: event.target.value })}
                />
              )}
            </Field>
            <Field
              label={t('capture.markingKind')}
              error={markingError(marking.key, 'kind')}
              carried={marking.carried.has('kind') ? t('capture.carriedOver') : undefined}
            >
              {(control) => (
                <VocabularySelect
                  control={control}
                  group="markingKind"
                  values={markingKinds}
                  value={marking.kind}
                  onChange={(value) => updateMarking(marking.key, { kind: value })}
                />
              )}
            </Field>
            <Field
              label={t('capture.markingPosition')}
              error={markingError(marking.key, 'position')}
              carried={marking.carried.has('position') ? t('capture.carriedOver') : undefined}
            >
              {(control) => (
                <input
                  {...control}
                  dir="auto"
                  value={marking.position}
                  onKeyDown={(event) => {
                    // Like the marking text: Enter goes on to the next marking.
                    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
                      event.preventDefault();
                      rows.nextMarkingFrom(marking.key);
                    }
                  }}
                  onChange={(event) => updateMarking(marking.key, { position: event.target.value })}
                />
              )}
            </Field>
            <button
              type="button"
              className="button-link remove-marking"
              onClick={() => rows.removeMarking(marking.key)}
              aria-label={t('capture.removeMarkingNumber', { number: index + 1 })}
            >
              {t('capture.removeMarking')}
            </button>
          </li>
        ))}
      </ol>
      <SeenElsewhere investigationId={investigationId} text={rows.activeText} />
      <button type="button" onClick={rows.addMarking}>
        {t('capture.addMarking')}
      </button>
      <CharacterPalette onInsert={rows.insertCharacter} />
    </fieldset>
  );
}
