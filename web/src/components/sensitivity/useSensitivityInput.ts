import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import {
  newSensitivityDraft,
  sensitivityChangeOf,
  sensitivityCreateFields,
  sensitivityDraftOf,
  type SensitivityDraft,
  type SensitivityFields as SensitivityBodyFields,
  type SensitivityOf,
} from './sensitivityDraft';
import { useSensitivitySettings } from './useSensitivitySettings';

/**
 * The sensitivity input of a form that holds it beside its other fields: for a new record (`stored` undefined)
 * or a stored one. `fields()` gives what the body takes (only a change, for a stored record) or undefined when a
 * restricted record has no reason, which the reason field then says; `props(errors)` goes to SensitivityFields.
 *
 * @example
 * const sensitivity = useSensitivityInput(investigationId);
 * const fields = sensitivity.fields(); if (fields === undefined) return;
 * <SensitivityFields {...sensitivity.props(errors)} />
 */
export function useSensitivityInput(investigationId: string, stored?: SensitivityOf) {
  const { t } = useI18n();
  const settings = useSensitivitySettings(investigationId);
  const [draft, setDraft] = useState<SensitivityDraft>(() =>
    stored === undefined ? newSensitivityDraft() : sensitivityDraftOf(stored),
  );
  const [reasonMissing, setReasonMissing] = useState(false);
  return {
    draft,
    reasonMissing,
    /** Starts again from a stored record (the current version after a conflict), or empty for the next new one. */
    reset: (record?: SensitivityOf) => {
      setDraft(record === undefined ? newSensitivityDraft() : sensitivityDraftOf(record));
      setReasonMissing(false);
    },
    /** The fields to send, compared with `against` (the stored record) when given; undefined when refused here. */
    fields: (against?: SensitivityOf): SensitivityBodyFields | undefined => {
      const result = against === undefined ? sensitivityCreateFields(draft) : sensitivityChangeOf(against, draft);
      setReasonMissing(!result.ok);
      return result.ok ? result.fields : undefined;
    },
    props: (errors: Record<string, string | undefined>) => ({
      mode: stored === undefined ? ('create' as const) : ('edit' as const),
      draft,
      onChange: (next: SensitivityDraft) => {
        setDraft(next);
        setReasonMissing(false);
      },
      defaultLevel: settings.data?.default_sensitivity,
      clearance: settings.data?.clearance,
      error: errors.sensitivity,
      reasonError: reasonMissing ? t('fieldError.sensitivity_reason_required') : errors.sensitivity_reason,
    }),
  };
}
