import { useEffect, useState } from 'react';
import type { Media } from '../api/client';
import { isImage, mediaUrls } from '../api/media';
import { useI18n } from '../i18n/i18n';

/** First look after 2 s, then less and less often (the server's Retry-After is 2 s; a queue may be busy). */
function nextDelayMs(tries: number): number {
  return Math.min(30_000, 2_000 * 1.5 ** tries);
}

/**
 * A photo's thumbnail. While the server is still making it (`derivatives.state` pending: a job runs after the
 * upload), a "preparing preview" placeholder that looks again now and then and shows the image once it is made;
 * the file's type when there is none (a PDF, a video, an image the server could not decode).
 */
export function Thumbnail({
  media,
  label,
  className = 'thumbnail',
}: {
  media: Pick<Media, 'id' | 'media_type'> & { derivatives?: Pick<Media['derivatives'], 'state'> };
  label: string;
  className?: string;
}) {
  const { t } = useI18n();
  const state = media.derivatives?.state;
  const [ready, setReady] = useState(state !== 'pending');
  const [failed, setFailed] = useState(false);
  const image = isImage(media);
  const { id } = media;
  useEffect(() => {
    if (ready || !image) return;
    let stopped = false;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout>;
    const probe = () => {
      const probed = new Image();
      probed.onload = () => {
        if (!stopped) setReady(true);
      };
      probed.onerror = () => {
        tries += 1;
        if (!stopped) timer = setTimeout(probe, nextDelayMs(tries));
      };
      probed.src = mediaUrls.thumbnail(id);
    };
    timer = setTimeout(probe, nextDelayMs(0));
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ready, image, id]);
  if (!image || failed || state === 'failed' || state === 'none') {
    return (
      <span className={`${className} thumbnail-file`} role="img" aria-label={label}>
        {media.media_type}
      </span>
    );
  }
  if (!ready) {
    return (
      <span
        className={`${className} thumbnail-file thumbnail-pending`}
        role="img"
        aria-label={`${label}: ${t('media.preparingPreview')}`}
        data-testid="thumbnail-pending"
      >
        <span aria-hidden="true">{t('media.preparingPreview')}</span>
      </span>
    );
  }
  return (
    <img
      className={className}
      src={mediaUrls.thumbnail(media.id)}
      alt={label}
      loading="lazy"
      onError={() => setFailed(true)}
    />
  );
}
