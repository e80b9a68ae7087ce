import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { differingKeys, fieldValue, valueText, type RecordField } from './recordDiff';

export type { RecordField } from './recordDiff';

/**
 * Shown when a save was refused because someone else changed the record first (409 `version_conflict`): the
 * user's edited values and the server's current record side by side, the differing fields marked (in words, not
 * only in colour). Nothing was overwritten; the user chooses: take the current version, or apply their changes
 * onto it (the caller re-sends them with the current version). Its heading takes the focus when it appears.
 *
 * @example
 * <StaleEditNotice fields={[{ key: 'name', label: t('site.name') }]} mine={draft} current={fresh}
 *   onUseCurrent={() => reset(fresh)} onApplyMine={() => save(draft, fresh.version)} />
 */
export function StaleEditNotice({
  fields,
  mine,
  current,
  onUseCurrent,
  onApplyMine,
  busy = false,
}: {
  /** The fields to compare, in the order shown; `display` turns a value into text (else it is shown as stored). */
  fields: readonly RecordField[];
  /** The user's edited values, by the API's field names. */
  mine: object;
  /** The server's current record. */
  current: object;
  onUseCurrent: () => void;
  onApplyMine: () => void;
  /** While the user's changes are being re-sent: the actions are disabled. */
  busy?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const differing = new Set(differingKeys(fields, mine, current));
  const show = (field: RecordField, record: object) => {
    const text = (field.display ?? valueText)(fieldValue(record, field.key));
    return text === '' ? <span className="muted">{t('common.notRecorded')}</span> : <bdi dir="auto">{text}</bdi>;
  };
  return (
    <section className="notice notice-warning stale-edit" aria-labelledby={`${id}-title`} data-testid="stale-edit">
      <h3 id={`${id}-title`} tabIndex={-1} ref={headingRef}>
        {t('record.stale.title')}
      </h3>
      <p>{t('record.stale.intro')}</p>
      <table className="stale-edit-table">
        <thead>
          <tr>
            <th scope="col">{t('record.stale.field')}</th>
            <th scope="col">{t('record.stale.mine')}</th>
            <th scope="col">{t('record.stale.current')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const differs = differing.has(field.key);
            return (
              <tr key={field.key} className={differs ? 'stale-edit-differs' : undefined} data-differs={differs}>
                <th scope="row">
                  {field.label}
                  {differs && <span className="stale-edit-badge"> {t('record.stale.differs')}</span>}
                </th>
                <td>{field.key in mine ? show(field, mine) : show(field, current)}</td>
                <td>{show(field, current)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={onUseCurrent} disabled={busy}>
          {t('record.stale.useCurrent')}
        </button>
        <button type="button" className="button-primary" onClick={onApplyMine} disabled={busy}>
          {t('record.stale.applyMine')}
        </button>
      </div>
    </section>
  );
}
