import { SensitivityBadge } from './sensitivity/SensitivityBadge';
import { useState, type ReactNode } from 'react';
import { api, call, type Media, type SimilarMedia, type Source } from '../api/client';
import { mediaUrls } from '../api/media';
import { useI18n } from '../i18n/i18n';
import { MediaProofs } from './MediaProofs';
import { Thumbnail } from './Thumbnail';
import { EmptyState, ErrorNotice, Loading, UserText } from './ui';

function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

function SimilarImages({ mediaId }: { mediaId: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ items?: SimilarMedia[]; error?: unknown; loading: boolean }>({
    loading: false,
  });
  const load = async () => {
    setState({ loading: true });
    try {
      const result = await call(
        api.GET('/api/v1/media/{id}/similar', { params: { path: { id: mediaId }, query: { max_distance: 10 } } }),
      );
      setState({ items: result.items, loading: false });
    } catch (error) {
      setState({ error, loading: false });
    }
  };
  if (state.items === undefined && state.error === undefined) {
    return state.loading ? (
      <Loading />
    ) : (
      <button type="button" className="button-link" onClick={() => void load()}>
        {t('media.findSimilar')}
      </button>
    );
  }
  if (state.error !== undefined) return <ErrorNotice error={state.error} />;
  const items = state.items ?? [];
  return (
    <div className="similar" aria-live="polite">
      <h4>{t('media.similarTitle', { count: items.length })}</h4>
      {items.length === 0 ? (
        <EmptyState>{t('media.noSimilar')}</EmptyState>
      ) : (
        <ul className="similar-list">
          {items.map(({ media, distance }) => (
            <li key={media.id}>
              <a href={mediaUrls.original(media.id)} target="_blank" rel="noopener">
                <Thumbnail media={media} label={media.original_filename ?? media.sha256.slice(0, 12)} />
              </a>
              <span className="small">
                {distance === 0 ? t('media.sameImage') : t('media.distance', { bits: distance })}
              </span>
              {media.credit !== null && (
                <span className="small">
                  <bdi dir="auto">{media.credit}</bdi>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Media records as cards: thumbnail, who took or published it and under which
 * licence, what the camera recorded, review flags, the original to download
 * and similar images.
 */
export function MediaGallery({
  media,
  sources,
  markingText,
  extra,
}: {
  media: Media[];
  sources: readonly Source[] | undefined;
  /** More for each file, below its card's actions (its review on a record's page). */
  extra?: (media: Media) => ReactNode;
  /** Text of the marking a photo is linked to, when it shows a marking rather than the whole item. */
  markingText?: (markingId: string) => string | undefined;
}) {
  const { t, locale, formatDateTime, formatNumber } = useI18n();
  if (media.length === 0) return <EmptyState>{t('media.empty')}</EmptyState>;
  return (
    <ul className="media-grid">
      {media.map((record) => {
        const name = record.original_filename ?? record.sha256.slice(0, 12);
        const source = sources?.find((candidate) => candidate.id === record.source_id);
        const flags = record.links.flatMap((link) => link.review_flags);
        const markings = record.links
          .map((link) => (link.marking_id === null ? undefined : markingText?.(link.marking_id)))
          .filter((text) => text !== undefined);
        return (
          <li key={record.id} className="media-card" data-testid="media-card">
            <a href={mediaUrls.original(record.id)} target="_blank" rel="noopener" className="media-card-image">
              <Thumbnail media={record} label={t('media.photoOf', { name })} />
            </a>
            <div className="media-card-body">
              <p className="media-name">
                <bdi dir="auto">{name}</bdi> <SensitivityBadge level={record.sensitivity} quietPublic />
              </p>
              {markings.length > 0 && (
                <p className="small">
                  {t('media.showsMarking')}{' '}
                  {markings.map((text) => (
                    <bdi key={text} dir="auto" className="marking-text-cell">
                      {text}{' '}
                    </bdi>
                  ))}
                </p>
              )}
              <dl className="media-facts">
                {(record.captured_at ?? record.exif_captured_at) !== null && (
                  <div>
                    <dt>{t('media.capturedAt')}</dt>
                    <dd>{formatDateTime((record.captured_at ?? record.exif_captured_at)!)}</dd>
                  </div>
                )}
                {record.captured_by !== null && (
                  <div>
                    <dt>{t('media.capturedBy')}</dt>
                    <dd>
                      <UserText text={record.captured_by} />
                    </dd>
                  </div>
                )}
                <div>
                  <dt>{t('media.source')}</dt>
                  <dd>{source === undefined ? t('common.notRecorded') : <UserText text={source.title} />}</dd>
                </div>
                <div>
                  <dt>{t('media.credit')}</dt>
                  <dd>
                    <UserText text={record.credit} />
                  </dd>
                </div>
                <div>
                  <dt>{t('media.licence')}</dt>
                  <dd>
                    <UserText text={record.licence} />
                  </dd>
                </div>
                {record.original_url !== null && (
                  <div>
                    <dt>{t('media.publishedAt')}</dt>
                    <dd className="media-url">
                      <bdi dir="ltr">{record.original_url}</bdi>
                    </dd>
                  </div>
                )}
                {record.exif_device !== null && (
                  <div>
                    <dt>{t('media.device')}</dt>
                    <dd>
                      <bdi dir="auto">{record.exif_device}</bdi>
                    </dd>
                  </div>
                )}
                <div>
                  <dt>{t('media.file')}</dt>
                  <dd>
                    {record.media_type} · {formatBytes(record.size_bytes, locale)}
                    {record.pixel_width !== null &&
                      record.pixel_height !== null &&
                      ` · ${formatNumber(record.pixel_width)} × ${formatNumber(record.pixel_height)}`}
                  </dd>
                </div>
                <div>
                  <dt>{t('media.sha256')}</dt>
                  <dd className="media-hash" title={record.sha256}>
                    <bdi dir="ltr">{record.sha256.slice(0, 16)}…</bdi>
                  </dd>
                </div>
              </dl>
              {flags.length > 0 && (
                <ul className="review-flags" aria-label={t('media.reviewFlags')}>
                  {flags.map((flag, index) => (
                    <li key={index} className="notice notice-warning">
                      <strong>
                        {t(flag.kind === 'location_mismatch' ? 'media.locationMismatch' : 'media.timeMismatch')}
                      </strong>{' '}
                      <bdi dir="auto">{flag.message}</bdi>
                    </li>
                  ))}
                </ul>
              )}
              <MediaProofs proofs={record.proofs} />
              <div className="actions">
                <a className="button" href={mediaUrls.original(record.id)} download={name}>
                  {t('media.downloadOriginal')}
                </a>
              </div>
              {record.perceptual_hash !== null && <SimilarImages mediaId={record.id} />}
              {extra?.(record)}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
