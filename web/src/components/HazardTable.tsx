import type { Hazard } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Link, paths } from '../router';
import { Appended, EmptyState, UserText } from './ui';

/** Items that may carry a fitted fuze and are not yet rendered safe or destroyed. */
export function HazardTable({ investigationId, hazards }: { investigationId: string; hazards: Hazard[] }) {
  const { t, label, formatNumber } = useI18n();
  if (hazards.length === 0) return <EmptyState>{t('hazards.empty')}</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="hazard-table">
        <thead>
          <tr>
            <th scope="col">{t('item.item')}</th>
            <th scope="col">{t('item.site')}</th>
            <th scope="col" className="numeric">
              {t('item.quantity')}
            </th>
            <th scope="col">{t('item.fuzeFitted')}</th>
            <th scope="col">{t('item.disposalStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {hazards.map((hazard) => (
            <tr key={hazard.id}>
              <td>
                <Link to={paths.item(investigationId, hazard.id)}>
                  {label('category', hazard.category)}
                  <Appended separator=" · " text={hazard.model} />
                </Link>
              </td>
              <td>
                <Link to={paths.site(investigationId, hazard.site_id)}>
                  <UserText text={hazard.site_name} />
                </Link>
              </td>
              <td className="numeric">{formatNumber(hazard.quantity)}</td>
              <td>
                <span className={`badge badge-hazard-${hazard.fuze_fitted ?? 'none'}`}>
                  {label('hazardState', hazard.fuze_fitted)}
                </span>
              </td>
              <td>{label('disposal', hazard.disposal_status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
