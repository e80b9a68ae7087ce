import { useState } from 'react';
import { fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { useI18n } from '../../i18n/i18n';

/**
 * One write at a time from a form: busy while it runs, the server's problem kept for the notice and its field
 * problems translated by field, so each form shows them next to the field they name.
 *
 * @example
 * const action = useAction();
 * <form onSubmit={(event) => { event.preventDefault(); void action.run(() => save()); }}>
 *   <Field label="Name" error={action.fields.name}>…</Field>
 */
export function useAction() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    error,
    fields: fieldErrors(error, (problem) => fieldErrorMessage(t, problem)),
    run,
    clear: () => setError(undefined),
  };
}
