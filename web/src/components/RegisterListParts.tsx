import { useState, type ReactElement } from 'react';
import { Field } from './ui';

/**
 * A register list's "New …" button, replaced by the creation form while it is open. Shown only when `allowed`.
 *
 * @example
 * <CreateToggle allowed={access.atLeast('investigator')} label={t('sources.new')}
 *   form={(close) => <SourceForm investigationId={id} onCreated={open} onCancel={close} />} />
 */
export function CreateToggle({
  allowed,
  label,
  form,
}: {
  allowed: boolean;
  label: string;
  form: (close: () => void) => ReactElement;
}) {
  const [creating, setCreating] = useState(false);
  if (!allowed) return null;
  if (creating) return form(() => setCreating(false));
  return (
    <p className="actions">
      <button type="button" className="button-primary" onClick={() => setCreating(true)}>
        {label}
      </button>
    </p>
  );
}

/** The free-text search of a register list (names in any script, so the direction follows the text). */
export function SearchTextField({
  label,
  hint,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} {...(hint === undefined ? {} : { hint })}>
      {(control) => (
        <input {...control} type="search" dir="auto" value={value} onChange={(event) => onChange(event.target.value)} />
      )}
    </Field>
  );
}
