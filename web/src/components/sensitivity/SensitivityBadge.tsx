import { useI18n } from '../../i18n/i18n';
import { Detail } from '../ui';
import type { SensitivityLevel } from './sensitivityDraft';

/**
 * A record's sensitivity as a badge: the level's name (never colour alone), said as "Sensitivity: restricted" to
 * a screen reader. `quietPublic` leaves public out (in lists, where most records would carry it).
 *
 * @example <SensitivityBadge level={item.sensitivity} quietPublic />
 */
export function SensitivityBadge({
  level,
  quietPublic = false,
}: {
  /** Undefined for a record still in the outbox that takes the investigation's default: not known yet. */
  level: SensitivityLevel | undefined;
  quietPublic?: boolean;
}) {
  const { t, label } = useI18n();
  if (level === undefined || (quietPublic && level === 'public')) return null;
  return (
    <span className={`sensitivity-badge sensitivity-${level}`}>
      <span className="visually-hidden">{t('sensitivity.badgePrefix')} </span>
      {label('sensitivityLevel', level)}
    </span>
  );
}

/**
 * The record's sensitivity as a row of its details: the level, and the reason given for it.
 *
 * @example <dl className="details"><SensitivityDetail record={site} /></dl>
 */
export function SensitivityDetail({
  record,
}: {
  record: { sensitivity?: SensitivityLevel | undefined; sensitivity_reason?: string | null | undefined };
}) {
  const { t, label } = useI18n();
  if (record.sensitivity === undefined) return null;
  return (
    <Detail term={t('sensitivity.label')}>
      {label('sensitivityLevel', record.sensitivity)}
      {record.sensitivity_reason !== null && record.sensitivity_reason !== undefined && (
        <>
          {' — '}
          <bdi dir="auto">{record.sensitivity_reason}</bdi>
        </>
      )}
    </Detail>
  );
}
