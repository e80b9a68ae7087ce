import type { RefObject } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * Beside the save bar's "not saved" message: takes the user to the first field marked invalid, which on a long form
 * may be far above the bar.
 */
export function FirstInvalidButton({ form }: { form: RefObject<HTMLFormElement | null> }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button-link"
      onClick={() => {
        const field = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
        field?.focus();
        field?.scrollIntoView({ block: 'center' });
      }}
    >
      {t('capture.goToFirstError')}
    </button>
  );
}
