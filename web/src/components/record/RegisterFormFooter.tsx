import type { RegisterForm } from '../useRegisterForm';
import { ErrorNotice } from '../ui';
import { useI18n } from '../../i18n/i18n';
import { StaleEditNotice, type RecordField } from './StaleEditNotice';

/**
 * The end of a register form: the stale-edit comparison when someone saved first, the outcome of the last save
 * (read out), and the save and cancel buttons.
 *
 * @example
 * <RegisterFormFooter form={form} unplaced={unplaced} staleFields={fields} submitLabel={t('register.save')} />
 */
export function RegisterFormFooter<Rec extends { id: string; version: number }, Body extends object>({
  form,
  unplaced,
  staleFields,
  submitLabel,
  onCancel,
}: {
  form: RegisterForm<Rec, Body>;
  /** The refusal has no error shown beside a field: the problem itself is shown. */
  unplaced: boolean;
  /** The fields compared when a save was stale. */
  staleFields: readonly RecordField[];
  submitLabel: string;
  onCancel?: (() => void) | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      {form.conflict !== undefined && (
        <StaleEditNotice
          fields={staleFields}
          mine={form.conflict.mine}
          current={form.conflict.current}
          onUseCurrent={form.useCurrent}
          onApplyMine={() => void form.applyMine()}
          busy={form.busy}
        />
      )}
      <div aria-live="assertive">
        {unplaced && <ErrorNotice error={form.error} />}
        {form.error !== undefined && !unplaced && <p className="notice notice-error">{t('register.notSaved')}</p>}
        {form.nothingChanged && <p className="notice notice-warning">{t('edit.nothingChanged')}</p>}
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={form.busy}>
          {submitLabel}
        </button>
        {onCancel !== undefined && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </>
  );
}
