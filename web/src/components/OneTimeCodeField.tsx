import { Field } from './ui';

/**
 * The one field for a code from an authenticator app or a recovery code (sign-in, enrolment, turning two-factor
 * sign-in off): left to right in every language, offered to password managers as a one-time code.
 *
 * @example
 * <OneTimeCodeField label={t('twoFactor.code')} value={code} onChange={setCode} />
 */
export function OneTimeCodeField({
  label,
  value,
  onChange,
  error,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  autoFocus?: boolean;
}) {
  return (
    <Field label={label} error={error}>
      {(control) => (
        <input
          {...control}
          name="code"
          dir="ltr"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus={autoFocus}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
