import type { ReactNode } from 'react';
import { api, call, readAllPages, type Media } from '../api/client';
import { listMediaOf, type MediaTarget } from '../api/media';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { MediaGallery } from './MediaGallery';
import { PhotoUpload } from './PhotoUpload';
import { ErrorNotice, Loading } from './ui';

/** The photos and documents of a site or an item, and the form to add more. */
export function MediaSection({
  investigationId,
  target,
  markingText,
  extra,
}: {
  investigationId: string;
  target: MediaTarget;
  markingText?: (markingId: string) => string | undefined;
  /** More for each file (its review panel, given by the record's page). */
  extra?: (media: Media) => ReactNode;
}) {
  const { t } = useI18n();
  const targetKey = 'siteId' in target ? `site:${target.siteId}` : `item:${target.itemId}:${target.markingIds?.join()}`;
  const media = useLoad(() => listMediaOf(investigationId, target), [investigationId, targetKey]);
  const sources = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/sources', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows,
    [investigationId],
  );
  const link = 'siteId' in target ? { site_id: target.siteId } : { item_id: target.itemId };
  return (
    <section className="section" aria-labelledby="photos-title">
      <h2 id="photos-title">{t('photos.title')}</h2>
      {media.error !== undefined && <ErrorNotice error={media.error} />}
      {media.data === undefined && media.error === undefined ? (
        <Loading />
      ) : (
        media.data !== undefined && (
          <MediaGallery media={media.data} sources={sources.data} markingText={markingText} extra={extra} />
        )
      )}
      <h3>{t('photos.add')}</h3>
      <PhotoUpload investigationId={investigationId} link={link} onUploaded={media.reload} />
    </section>
  );
}
