import { useI18n } from '../i18n/i18n';
import { UserText } from './ui';

export interface StaleRow {
  label: string;
  mine: string;
  theirs: string;
}

/**
 * Someone saved the record after it was read: their values beside the typed ones, the differing rows marked.
 * Nothing was overwritten; saving again saves the typed values over theirs, knowingly.
 */
export function StaleNotice({ rows, onUseTheirs }: { rows: readonly StaleRow[]; onUseTheirs: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-error" role="alert" data-testid="stale-edit">
      <p>{t('register.stale')}</p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('register.staleCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('register.staleField')}</th>
              <th scope="col">{t('register.staleTheirs')}</th>
              <th scope="col">{t('register.staleMine')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label} className={row.mine === row.theirs ? undefined : 'stale-differs'}>
                <th scope="row">{row.label}</th>
                <td>
                  <UserText text={row.theirs} />
                </td>
                <td>
                  <UserText text={row.mine} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" onClick={onUseTheirs}>
        {t('register.useTheirs')}
      </button>
    </div>
  );
}
