import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import type { FormsImportResult } from './FormsImportScreen';

const formatKeys = {
  odk_central_csv: 'forms.format.odk_central_csv',
  odk_central_odata: 'forms.format.odk_central_odata',
  kobo_csv: 'forms.format.kobo_csv',
  kobo_json: 'forms.format.kobo_json',
} as const;

/**
 * What a check found (a dry run: what would be created, what was imported before) with the button to import it,
 * or what an import created, with links to the new items.
 */
export function FormsImportResultView({
  result,
  investigationId,
  onImport,
  onAnother,
}: {
  result: FormsImportResult;
  investigationId: string;
  /** Given after a check: imports the file checked. */
  onImport?: () => void;
  /** Given after an import: starts with another file. */
  onAnother?: () => void;
}) {
  const { t } = useI18n();
  const fresh = result.submissions - result.already_imported;
  return (
    <section className="section card" aria-labelledby="forms-result-title" data-testid="forms-result">
      <h2 id="forms-result-title">{t(result.dry_run ? 'forms.import.checkedTitle' : 'forms.import.doneTitle')}</h2>
      <div className={result.dry_run ? 'notice' : 'notice notice-success'} role="status">
        <p>
          {t(result.dry_run ? 'forms.import.wouldCreate' : 'forms.import.created', { count: result.items_created })}
        </p>
      </div>
      <p className="muted">
        {t(formatKeys[result.export_format])}
        {result.form_versions.length > 0 &&
          ` · ${t('forms.import.versions', { versions: result.form_versions.join(', ') })}`}
      </p>
      <ul className="import-summary">
        <li>{t('forms.import.submissions', { count: result.submissions })}</li>
        <li>{t('forms.import.alreadyImported', { count: result.already_imported })}</li>
        <li>{t('transfer.import.sitesNew', { count: result.sites_created })}</li>
        <li>{t('transfer.import.markingsNew', { count: result.markings_created })}</li>
        <li>{t('forms.import.media', { count: result.media_created })}</li>
      </ul>
      {!result.dry_run && result.created.length > 0 && (
        <ul className="plain-list">
          {result.created.map((entry) => (
            <li key={entry.instance_id}>
              <Link to={paths.item(investigationId, entry.item_id)}>
                <bdi dir="ltr">{entry.instance_id}</bdi>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <p className="actions">
        {onImport !== undefined && fresh > 0 && (
          <button type="button" className="button button-primary" onClick={onImport}>
            {t('forms.import.confirm', { count: fresh })}
          </button>
        )}
        {onImport !== undefined && fresh === 0 && <span>{t('forms.import.nothingNew')}</span>}
        {onAnother !== undefined && (
          <button type="button" className="button" onClick={onAnother}>
            {t('transfer.import.another')}
          </button>
        )}
      </p>
    </section>
  );
}
