import { useI18n, type MessageKey } from '../../i18n/i18n';
import { Field } from '../ui';
import {
  isAtMost,
  needsReason,
  sensitivityLevels,
  type SensitivityDraft,
  type SensitivityLevel,
} from './sensitivityDraft';

/** The one-line explanation of each level, shown under the select and in "What the levels mean". */
export const levelExplanation: Record<SensitivityLevel, MessageKey> = {
  public: 'sensitivity.explain.public',
  partners: 'sensitivity.explain.partners',
  internal: 'sensitivity.explain.internal',
  restricted: 'sensitivity.explain.restricted',
};

/**
 * Who may see the record: a select of the levels (on a new record first "the investigation's default", which
 * leaves the level out so the server fills it in) with the chosen level explained, and, for restricted, the
 * required reason. Levels above the caller's clearance are not offered (the server would refuse them).
 *
 * @example
 * <SensitivityFields mode="create" draft={sensitivity} onChange={setSensitivity} settings={settings.data}
 *   error={errors.sensitivity} reasonError={reasonMissing ? t('fieldError.sensitivity_reason_required') : errors.sensitivity_reason} />
 */
export function SensitivityFields({
  mode,
  label: fieldLabel,
  draft,
  onChange,
  defaultLevel,
  clearance,
  error,
  reasonError,
}: {
  mode: 'create' | 'edit';
  /** The select's label; "Sensitivity" unless given. */
  label?: string;
  draft: SensitivityDraft;
  onChange: (draft: SensitivityDraft) => void;
  /** The investigation's default, when known: named in the first option. */
  defaultLevel?: SensitivityLevel | undefined;
  /** The caller's clearance, when known. */
  clearance?: SensitivityLevel | undefined;
  error?: string | undefined;
  reasonError?: string | undefined;
}) {
  const { t, label } = useI18n();
  const offered = sensitivityLevels.filter(
    (level) => clearance === undefined || isAtMost(level, clearance) || level === draft.level,
  );
  const shown = draft.level === '' ? defaultLevel : draft.level;
  const hint =
    draft.level === '' && defaultLevel === undefined
      ? t('sensitivity.explain.default')
      : shown === undefined
        ? undefined
        : t(levelExplanation[shown]);
  return (
    <div className="sensitivity-fields">
      <Field label={fieldLabel ?? t('sensitivity.label')} hint={hint} error={error}>
        {(control) => (
          <select
            {...control}
            value={draft.level}
            onChange={(event) => onChange({ ...draft, level: event.target.value as SensitivityDraft['level'] })}
          >
            {mode === 'create' && (
              <option value="">
                {defaultLevel === undefined
                  ? t('sensitivity.investigationDefault')
                  : t('sensitivity.investigationDefaultIs', { level: label('sensitivityLevel', defaultLevel) })}
              </option>
            )}
            {offered.map((level) => (
              <option key={level} value={level}>
                {label('sensitivityLevel', level)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {needsReason(draft) && (
        <Field label={t('sensitivity.reason')} hint={t('sensitivity.reasonHint')} error={reasonError}>
          {(control) => (
            <textarea
              {...control}
              dir="auto"
              rows={2}
              required
              aria-required="true"
              value={draft.reason}
              onChange={(event) => onChange({ ...draft, reason: event.target.value })}
            />
          )}
        </Field>
      )}
      <details className="sensitivity-levels">
        <summary>{t('sensitivity.levelsTitle')}</summary>
        <dl>
          {sensitivityLevels.map((level) => (
            <div key={level}>
              <dt>{label('sensitivityLevel', level)}</dt>
              <dd>{t(levelExplanation[level])}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
