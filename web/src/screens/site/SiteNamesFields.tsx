import { Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import type { NameRow } from './siteDraft';

/**
 * The site's names in other languages: one row per language (its code and the name), rows added and removed with
 * buttons. A server problem on `names.<code>` is shown on that row's name.
 */
export function SiteNamesFields({
  rows,
  onChange,
  errors,
  duplicate,
}: {
  rows: NameRow[];
  onChange: (rows: NameRow[]) => void;
  /** The server's field problems, by the API's field names. */
  errors: Record<string, string>;
  /** A language is given twice: refused before sending. */
  duplicate: boolean;
}) {
  const { t } = useI18n();
  const set = (index: number, row: NameRow) => onChange(rows.map((old, at) => (at === index ? row : old)));
  const namesError = errors.names;
  return (
    <fieldset className="site-names">
      <legend>{t('site.otherNames')}</legend>
      {(namesError !== undefined || duplicate) && (
        <p className="field-error">{duplicate ? t('edit.site.duplicateLanguage') : namesError}</p>
      )}
      {rows.map((row, index) => (
        <div className="field-row site-name-row" key={index}>
          <Field label={t('edit.site.language')} hint={index === 0 ? t('edit.site.languageHint') : undefined}>
            {(control) => (
              <input
                {...control}
                dir="ltr"
                autoComplete="off"
                spellCheck={false}
                size={6}
                value={row.language}
                onChange={(event) => set(index, { ...row, language: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('edit.site.nameInLanguage')} error={errors[`names.${row.language}`]}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                lang={row.language === '' ? undefined : row.language}
                value={row.name}
                onChange={(event) => set(index, { ...row, name: event.target.value })}
              />
            )}
          </Field>
          <button
            type="button"
            className="button-link"
            onClick={() => onChange(rows.filter((_row, at) => at !== index))}
          >
            {t('edit.site.removeName', { number: index + 1 })}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { language: '', name: '' }])}>
        {t('edit.site.addName')}
      </button>
    </fieldset>
  );
}
