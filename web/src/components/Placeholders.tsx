import { useI18n } from '../i18n/i18n';

/**
 * PLACEHOLDER: photo upload is built in another issue. This marks where it
 * goes so the page layout does not change when it arrives.
 */
export function PhotoUploadPlaceholder() {
  const { t } = useI18n();
  return (
    <section className="placeholder" aria-labelledby="photos-placeholder-title" data-placeholder="photo-upload">
      <h2 id="photos-placeholder-title">{t('placeholder.photosTitle')}</h2>
      <p>{t('placeholder.photosText')}</p>
    </section>
  );
}

/**
 * PLACEHOLDER: "seen elsewhere" (matching markings across investigations)
 * is built in another issue.
 */
export function SeenElsewherePlaceholder() {
  const { t } = useI18n();
  return (
    <section className="placeholder" aria-labelledby="seen-elsewhere-title" data-placeholder="seen-elsewhere">
      <h2 id="seen-elsewhere-title">{t('placeholder.seenElsewhereTitle')}</h2>
      <p>{t('placeholder.seenElsewhereText')}</p>
    </section>
  );
}
