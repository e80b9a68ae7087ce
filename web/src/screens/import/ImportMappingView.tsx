import { useState, type SubmitEvent } from 'react';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ApiError } from '../../api/client';
import { ErrorNotice, Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { importFields, LEAVE_OUT, type ColumnChoices, type ImportPreview, type SavedMapping } from './importTypes';

/**
 * The mapping step: each column of the file with a select of the field it fills (recognised from its header,
 * or chosen), a new check with the changed columns, and the columns saved under a name or taken from a saved set.
 */
export function ImportMappingView({
  preview,
  choices,
  onChange,
  changed,
  busy,
  onCheck,
  saved,
  onUseSaved,
  onSave,
}: {
  preview: ImportPreview;
  choices: ColumnChoices;
  onChange: (index: number, value: string) => void;
  changed: boolean;
  busy: boolean;
  onCheck: () => void;
  saved: readonly SavedMapping[];
  onUseSaved: (name: string) => void;
  onSave: (name: string) => Promise<void>;
}) {
  const { t, label } = useI18n();
  const [savedChoice, setSavedChoice] = useState('');
  const [name, setName] = useState('');
  const [saveState, setSaveState] = useState<{ savedAs?: string; error?: unknown }>({});

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      await onSave(name.trim());
      setSaveState({ savedAs: name.trim() });
    } catch (error) {
      setSaveState({ error });
    }
  };
  const saveError =
    saveState.error instanceof ApiError
      ? saveState.error.problem.fields?.find((field) => field.field === 'name')
      : undefined;

  return (
    <section className="section card" aria-labelledby="import-mapping-title">
      <h2 id="import-mapping-title">{t('transfer.import.mappingTitle')}</h2>
      <p>{t('transfer.import.mappingIntro')}</p>
      {saved.length > 0 && (
        <div className="import-mapping-saved">
          <Field label={t('transfer.import.savedMappings')}>
            {(control) => (
              <select {...control} value={savedChoice} onChange={(event) => setSavedChoice(event.target.value)}>
                <option value="">{t('transfer.import.savedMappingsNone')}</option>
                {saved.map((mapping) => (
                  <option key={mapping.id} value={mapping.name}>
                    {mapping.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button
            type="button"
            className="button"
            disabled={busy || savedChoice === ''}
            onClick={() => onUseSaved(savedChoice)}
          >
            {t('transfer.import.useSaved')}
          </button>
        </div>
      )}
      <ol className="import-mapping-list" aria-label={t('transfer.import.mappingCaption')}>
        {preview.columns.map((column, index) => (
          <li key={`${index}-${column.header}`} className="import-mapping-row">
            <Field label={t('transfer.import.mappingFieldFor', { header: column.header })}>
              {(control) => (
                <select
                  {...control}
                  value={choices[index] ?? ''}
                  disabled={busy}
                  onChange={(event) => onChange(index, event.target.value)}
                >
                  <option value="">{t('transfer.import.chooseField')}</option>
                  <option value={LEAVE_OUT}>{t('transfer.import.leaveOut')}</option>
                  {importFields.map((field) => (
                    <option key={field} value={field}>
                      {label('importField', field)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </li>
        ))}
      </ol>
      {changed && (
        <p className="notice notice-warning" role="status">
          {t('transfer.import.mappingChanged')}
        </p>
      )}
      <p className="actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={onCheck}>
          {t('transfer.import.recheck')}
        </button>
      </p>
      <form className="import-mapping-save" onSubmit={(event) => void save(event)} noValidate>
        <Field
          label={t('transfer.import.saveMappingName')}
          hint={t('transfer.import.saveMappingHint')}
          error={saveError === undefined ? undefined : fieldErrorMessage(t, saveError)}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
              dir="auto"
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={busy || name.trim() === ''}>
          {t('transfer.import.saveMapping')}
        </button>
        {saveState.error !== undefined && saveError === undefined && <ErrorNotice error={saveState.error} />}
        {saveState.savedAs !== undefined && (
          <p className="notice notice-success" role="status">
            {t('transfer.import.mappingSaved', { name: saveState.savedAs })}
          </p>
        )}
      </form>
    </section>
  );
}
