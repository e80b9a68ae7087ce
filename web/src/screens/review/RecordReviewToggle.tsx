import { useId, useState } from 'react';
import type { Media } from '../../api/client';
import { isolate, useI18n } from '../../i18n/i18n';
import { ReviewPanel } from './ReviewPanel';
import type { ReviewKind } from './reviewApi';

/**
 * The review of one record among several on a page (a marking, a provenance claim, a photo): a button that shows
 * or hides its {@link ReviewPanel} in place, so a list stays short and each record's state is a keystroke away.
 *
 * @example
 * <RecordReviewToggle kind="marking" recordId={marking.id} refreshKey={marking.version} name={marking.text} />
 */
export function RecordReviewToggle({
  kind,
  recordId,
  refreshKey,
  name,
  headingLevel = 4,
}: {
  kind: ReviewKind;
  recordId: string;
  refreshKey: number;
  /** How the record is named in the button's accessible name and the panel's heading (isolated already). */
  name: string;
  headingLevel?: 3 | 4;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const title = t('review.panel.titleOf', { record: name });
  return (
    <div className="record-review">
      <button
        type="button"
        className="button-link"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={title}
        onClick={() => setOpen(!open)}
      >
        {t('review.panel.show')}
      </button>
      {open && (
        <div id={panelId}>
          <ReviewPanel
            kind={kind}
            recordId={recordId}
            refreshKey={refreshKey}
            title={title}
            headingLevel={headingLevel}
          />
        </div>
      )}
    </div>
  );
}

/**
 * The review of a photo or document in a media gallery, named by its file name (or the start of its hash).
 *
 * @example
 * <MediaSection investigationId={id} target={{ siteId }} extra={(media) => <MediaReviewToggle media={media} />} />
 */
export function MediaReviewToggle({
  media,
}: {
  media: Pick<Media, 'id' | 'version' | 'original_filename' | 'sha256'>;
}) {
  return (
    <RecordReviewToggle
      kind="media"
      recordId={media.id}
      refreshKey={media.version}
      name={isolate(media.original_filename ?? media.sha256.slice(0, 12))}
    />
  );
}
