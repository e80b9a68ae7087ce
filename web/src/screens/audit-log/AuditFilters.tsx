import { useState, type SubmitEvent } from 'react';
import { Field } from '../../components/ui';
import { catalogues, useI18n } from '../../i18n/i18n';

/** The filters of the audit-log browser, as they stand in the page's address. */
export interface AuditFilterValues {
  entity_id: string;
  user_id: string;
  action: string;
  from: string;
  to: string;
}

export const filterNames = ['entity_id', 'user_id', 'action', 'from', 'to'] as const;

/** Every action the catalogue names (`action.item.update` → `item.update`), in the catalogue's order. */
const knownActions = Object.keys(catalogues.en)
  .filter((key) => key.startsWith('action.'))
  .map((key) => key.slice('action.'.length));

/** The filter form; applying it changes the address (so a filtered view can be linked and reloaded). */
export function AuditFilters({
  values,
  members,
  errors,
  onApply,
}: {
  values: AuditFilterValues;
  members: { user_id: string; username: string }[];
  errors: Record<string, string>;
  onApply: (values: AuditFilterValues) => void;
}) {
  const { t, label } = useI18n();
  const [draft, setDraft] = useState(values);
  const set = (name: keyof AuditFilterValues) => (event: { target: { value: string } }) =>
    setDraft((previous) => ({ ...previous, [name]: event.target.value }));
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    onApply({ ...draft, entity_id: draft.entity_id.trim() });
  };
  const clear = () => {
    const empty = { entity_id: '', user_id: '', action: '', from: '', to: '' };
    setDraft(empty);
    onApply(empty);
  };
  return (
    <form className="section card audit-filters" onSubmit={submit} aria-label={t('transfer.audit.filters')}>
      <div className="form-grid">
        <Field label={t('transfer.audit.record')} hint={t('transfer.audit.recordHint')} error={errors.entity_id}>
          {(control) => (
            <input {...control} value={draft.entity_id} onChange={set('entity_id')} dir="ltr" spellCheck={false} />
          )}
        </Field>
        <Field label={t('transfer.audit.user')} error={errors.user_id}>
          {(control) => (
            <select {...control} value={draft.user_id} onChange={set('user_id')}>
              <option value="">{t('transfer.audit.anyUser')}</option>
              {members.map((member) => (
                <option key={member.user_id} value={member.user_id} dir="auto">
                  {member.username}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('transfer.audit.action')} error={errors.action}>
          {(control) => (
            <select {...control} value={draft.action} onChange={set('action')}>
              <option value="">{t('transfer.audit.anyAction')}</option>
              {knownActions.map((action) => (
                <option key={action} value={action}>
                  {label('action', action)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('transfer.audit.from')} error={errors.from}>
          {(control) => <input {...control} type="date" value={draft.from} onChange={set('from')} />}
        </Field>
        <Field label={t('transfer.audit.to')} error={errors.to}>
          {(control) => <input {...control} type="date" value={draft.to} onChange={set('to')} />}
        </Field>
      </div>
      <p className="actions">
        <button type="submit" className="button button-primary">
          {t('transfer.audit.apply')}
        </button>
        <button type="button" className="button" onClick={clear}>
          {t('transfer.audit.clear')}
        </button>
      </p>
    </form>
  );
}
