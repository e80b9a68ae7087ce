import { useI18n } from '../../i18n/i18n';

function shown(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Someone changed the record after it was read: the change was not saved. Shows what the user tried beside what is
 * stored now, field by field, so nothing is overwritten and nothing typed is lost.
 */
export function StaleEdit({
  fields,
  mine,
  theirs,
  onDismiss,
}: {
  fields: readonly string[];
  mine: Record<string, unknown>;
  theirs: Record<string, unknown>;
  onDismiss: () => void;
}) {
  const { t } = useI18n();
  const compared = fields.filter((field) => field in mine);
  return (
    <div className="notice notice-warning conflict" role="alert" data-testid="stale-edit">
      <p>{t('tracing.staleEdit')}</p>
      {compared.length > 0 && (
        <div className="table-scroll">
          <table className="conflict-table">
            <thead>
              <tr>
                <th scope="col">{t('tracing.field')}</th>
                <th scope="col">{t('tracing.yourVersion')}</th>
                <th scope="col">{t('tracing.storedVersion')}</th>
              </tr>
            </thead>
            <tbody>
              {compared.map((field) => (
                <tr
                  key={field}
                  className={shown(mine[field]) === shown(theirs[field]) ? undefined : 'conflict-differs'}
                >
                  <th scope="row" dir="ltr">
                    {field}
                  </th>
                  <td>
                    <bdi dir="auto">{shown(mine[field])}</bdi>
                  </td>
                  <td>
                    <bdi dir="auto">{shown(theirs[field])}</bdi>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" onClick={onDismiss}>
        {t('tracing.dismiss')}
      </button>
    </div>
  );
}
