import { useEffect, useRef, useState, type DragEvent } from 'react';
import { fieldErrorMessage } from '../api/fieldErrors';
import { fieldErrors, type UploadedMedia } from '../api/client';
import { isImage, uploadMedia, type UploadFields } from '../api/media';
import { useI18n } from '../i18n/i18n';
import { isQueuedMedia, uploadOrQueuePhoto } from '../offline/save';
import { ErrorNotice, Field } from './ui';
import { SensitivityFields } from './sensitivity/SensitivityFields';
import { useSensitivityInput } from './sensitivity/useSensitivityInput';
import { Thumbnail } from './Thumbnail';

interface Upload {
  key: number;
  name: string;
  loaded: number;
  total: number;
  /** queued: kept on the device (no connection), uploaded by the outbox later. */
  state: 'waiting' | 'uploading' | 'done' | 'queued' | 'failed';
  error?: unknown;
  media?: UploadedMedia;
}

let nextUploadKey = 1;

/** Fields the server may name in an upload error that this form shows beside their control. */
const describingFields = ['credit', 'licence', 'captured_by', 'sensitivity', 'sensitivity_reason'] as const;
type DescribingField = (typeof describingFields)[number];

/**
 * Attaches photos (or other evidence files) by drag-and-drop, the phone
 * camera or a file picker, uploading them one after another with progress.
 * `link` names the site or item they show; without it they are uploaded
 * unlinked and the caller links them (the item being captured has no id yet).
 */
export function PhotoUpload({
  investigationId,
  link,
  onUploaded,
  onBusyChange,
}: {
  investigationId: string;
  link?: Pick<UploadFields, 'item_id' | 'site_id'>;
  onUploaded: (media: UploadedMedia) => void;
  onBusyChange?: (busy: boolean) => void;
}) {
  const { t, formatNumber } = useI18n();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [describing, setDescribing] = useState<Record<'credit' | 'licence' | 'captured_by', string>>({
    credit: '',
    licence: '',
    captured_by: '',
  });
  // Who may see the files: the investigation's default unless chosen (then it goes with each upload, queued too).
  const sensitivity = useSensitivityInput(investigationId);
  const [dragging, setDragging] = useState(false);
  const [sensitivityOpen, setSensitivityOpen] = useState(false);
  // Files wait here and go one at a time, so a slow link is not split between many uploads.
  const queue = useRef<{ key: number; file: File; fields: UploadFields }[]>([]);
  const running = useRef(false);
  const aborter = useRef(new AbortController());
  const callbacks = useRef({ onUploaded, onBusyChange });
  useEffect(() => {
    callbacks.current = { onUploaded, onBusyChange };
  });

  // Leaving the page cancels unlinked uploads (nothing would link them); linked ones finish on their own.
  const linked = link?.item_id !== undefined || link?.site_id !== undefined;
  useEffect(() => {
    if (linked) return;
    const controller = new AbortController();
    aborter.current = controller;
    return () => controller.abort();
  }, [linked]);

  const change = (key: number, patch: Partial<Upload>) =>
    setUploads((previous) => previous.map((upload) => (upload.key === key ? { ...upload, ...patch } : upload)));

  const drain = async () => {
    if (running.current) return;
    running.current = true;
    callbacks.current.onBusyChange?.(true);
    try {
      for (let next = queue.current.shift(); next !== undefined; next = queue.current.shift()) {
        const { key, file, fields } = next;
        change(key, { state: 'uploading' });
        try {
          const media = await uploadOrQueuePhoto(
            () =>
              uploadMedia(
                investigationId,
                file,
                fields,
                ({ loaded, total }) => change(key, { loaded, total }),
                aborter.current.signal,
              ),
            investigationId,
            file,
            fields,
          );
          if (isQueuedMedia(media)) change(key, { state: 'queued', loaded: file.size });
          else change(key, { state: 'done', loaded: file.size, media });
          callbacks.current.onUploaded(media);
        } catch (error) {
          if (aborter.current.signal.aborted) return;
          change(key, { state: 'failed', error });
        }
      }
    } finally {
      running.current = false;
      if (!aborter.current.signal.aborted) callbacks.current.onBusyChange?.(false);
    }
  };

  const add = (files: FileList | File[] | null) => {
    if (files === null || files.length === 0) return;
    const sensitivityFields = sensitivity.fields();
    if (sensitivityFields === undefined) {
      // Restricted without its reason: nothing is uploaded; the reason field says why, and is opened.
      setSensitivityOpen(true);
      return;
    }
    const fields: UploadFields = {
      ...link,
      ...describing,
      ...(sensitivityFields.sensitivity === undefined ? {} : { sensitivity: sensitivityFields.sensitivity }),
      ...(typeof sensitivityFields.sensitivity_reason === 'string'
        ? { sensitivity_reason: sensitivityFields.sensitivity_reason }
        : {}),
    };
    const added = [...files].map((file) => ({ key: nextUploadKey++, file, fields }));
    setUploads((previous) => [
      ...previous,
      ...added.map(({ key, file }) => ({
        key,
        name: file.name,
        loaded: 0,
        total: file.size,
        state: 'waiting' as const,
      })),
    ]);
    queue.current.push(...added);
    void drain();
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    add([...event.dataTransfer.files]);
  };

  // The last failure that names a describing field is shown beside that field.
  const lastFailure = [...uploads].reverse().find((upload) => upload.state === 'failed');
  const errors = fieldErrors(lastFailure?.error, (problem) => fieldErrorMessage(t, problem));
  const describingError = (field: DescribingField) => errors[field];

  return (
    <div className="photo-upload">
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        data-testid="photo-drop-zone"
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p className="drop-zone-text">{t('photos.dropHere')}</p>
        <div className="actions">
          <label className="button button-primary file-button">
            {t('photos.takePhoto')}
            <input
              type="file"
              className="visually-hidden"
              accept="image/*"
              capture="environment"
              multiple
              data-testid="photo-camera-input"
              onChange={(event) => {
                add(event.target.files);
                event.target.value = '';
              }}
            />
          </label>
          <label className="button file-button">
            {t('photos.chooseFiles')}
            <input
              type="file"
              className="visually-hidden"
              accept="image/*,video/mp4,video/quicktime,application/pdf,text/plain"
              multiple
              data-testid="photo-file-input"
              onChange={(event) => {
                add(event.target.files);
                event.target.value = '';
              }}
            />
          </label>
        </div>
      </div>

      <details
        className="upload-details"
        open={sensitivityOpen}
        onToggle={(event) => setSensitivityOpen(event.currentTarget.open)}
      >
        <summary>{t('photos.creditAndLicence')}</summary>
        <p className="field-hint">{t('photos.creditHint')}</p>
        <div className="field-grid">
          <Field label={t('media.capturedBy')} error={describingError('captured_by')}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                value={describing.captured_by}
                onChange={(event) => setDescribing((previous) => ({ ...previous, captured_by: event.target.value }))}
              />
            )}
          </Field>
          <Field label={t('media.credit')} error={describingError('credit')}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                value={describing.credit}
                onChange={(event) => setDescribing((previous) => ({ ...previous, credit: event.target.value }))}
              />
            )}
          </Field>
          <Field label={t('media.licence')} error={describingError('licence')}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                value={describing.licence}
                onChange={(event) => setDescribing((previous) => ({ ...previous, licence: event.target.value }))}
              />
            )}
          </Field>
        </div>
        <SensitivityFields {...sensitivity.props(errors)} />
      </details>

      {uploads.length > 0 && (
        <ul className="upload-list" aria-label={t('photos.uploads')}>
          {uploads.map((upload) => {
            const uploadErrors = fieldErrors(upload.error, (problem) => fieldErrorMessage(t, problem));
            const fileError =
              uploadErrors.file ??
              (Object.keys(uploadErrors).some((field) => !(describingFields as readonly string[]).includes(field))
                ? Object.values(uploadErrors)[0]
                : undefined);
            const percent = upload.total === 0 ? 100 : Math.round((upload.loaded / upload.total) * 100);
            return (
              <li key={upload.key} className={`upload upload-${upload.state}`} data-testid="upload">
                {upload.media !== undefined && isImage(upload.media) && (
                  <Thumbnail media={upload.media} label={upload.name} className="upload-thumbnail" />
                )}
                <span className="upload-name">
                  <bdi dir="auto">{upload.name}</bdi>
                </span>
                {upload.state === 'uploading' || upload.state === 'waiting' ? (
                  <progress
                    max={100}
                    value={percent}
                    aria-label={t('photos.progress', { name: upload.name, percent: formatNumber(percent) })}
                  />
                ) : null}
                <span className="upload-state" role={upload.state === 'failed' ? 'alert' : undefined}>
                  {upload.state === 'waiting' && t('photos.waiting')}
                  {upload.state === 'uploading' && t('photos.percent', { percent })}
                  {upload.state === 'done' &&
                    (upload.media?.stored === 'already_stored' ? t('photos.alreadyStored') : t('photos.uploaded'))}
                  {upload.state === 'queued' && t('offline.photoQueued')}
                  {upload.state === 'failed' && t('photos.failed')}
                </span>
                {upload.state === 'failed' &&
                  (fileError !== undefined ? (
                    <p className="field-error">
                      <bdi dir="auto">{fileError}</bdi>
                    </p>
                  ) : (
                    Object.keys(uploadErrors).length === 0 && <ErrorNotice error={upload.error} />
                  ))}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
