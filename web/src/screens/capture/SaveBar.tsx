import type { RefObject } from 'react';
import { FirstInvalidButton } from '../../components/FirstInvalidButton';
import { ErrorNotice } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import type { SaveItemState } from './useSaveItem';

/**
 * "Small arm · AKM · KBD-٠١-A": each part isolated in its own direction, so a Latin marking with Arabic-Indic
 * digits is not reordered by the Arabic category before it.
 */
function LabelParts({ label }: { label: string }) {
  return label.split(' · ').map((part, index) => (
    <span key={index}>
      {index > 0 && ' · '}
      <bdi dir="auto">{part}</bdi>
    </span>
  ));
}

interface SaveBarProps {
  investigationId: string;
  siteId: string;
  saving: SaveItemState;
  form: RefObject<HTMLFormElement | null>;
  /** The server's errors by field. */
  errors: Record<string, string>;
  /** Errors no field of the form shows. */
  unplacedErrors: [string, string][];
  /** Refused on the device before sending (a quantity not read, a restricted item without its reason). */
  refusedOnDevice: boolean;
}

/** The save buttons, and the outcome of the last save said where the user is looking (and read out). */
export function SaveBar({
  investigationId,
  siteId,
  saving,
  form,
  errors,
  unplacedErrors,
  refusedOnDevice,
}: SaveBarProps) {
  const { t } = useI18n();
  const { error, linkError, saved, busy } = saving;
  return (
    <div className="actions form-actions">
      {/* Where the user is looking when saving: the outcome is said here, and read out by screen readers. */}
      <div className="save-status" aria-live="polite" data-testid="save-status">
        {saving.waitingForPhotos && <p className="notice notice-warning">{t('capture.waitForPhotos')}</p>}
        {error !== undefined && (Object.keys(errors).length === 0 || unplacedErrors.length > 0) && (
          <ErrorNotice error={error} />
        )}
        {(Object.keys(errors).length > 0 || refusedOnDevice) && (
          <p className="notice notice-error">
            {t('capture.fixFields')} <FirstInvalidButton form={form} />
          </p>
        )}
        {linkError !== undefined && (
          <div className="notice notice-error">
            <p>
              {t('capture.photosNotLinked')}{' '}
              <Link to={paths.item(investigationId, linkError.item.id)}>
                <LabelParts label={linkError.item.label} />
              </Link>
            </p>
            <ErrorNotice error={linkError.error} />
          </div>
        )}
        {saved.length > 0 && error === undefined && (
          <div className="notice notice-success">
            <p>
              {t('capture.saved')} {t('capture.savedCount', { count: saved.length })}{' '}
              <Link to={paths.item(investigationId, saved[0]!.id)}>
                <LabelParts label={saved[0]!.label} />
              </Link>
            </p>
          </div>
        )}
      </div>
      <button type="submit" name="action" value="save" className="button-primary" disabled={busy}>
        {t('capture.save')}
      </button>
      <button type="submit" name="action" value="another" disabled={busy}>
        {t('capture.saveAndAnother')}
      </button>
      <Link to={paths.site(investigationId, siteId)}>{t('common.cancel')}</Link>
    </div>
  );
}
