import { useRef, useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { mediaUrls, uploadMedia } from '../../api/media';
import { ErrorNotice, Field, LoadedSection, VocabularySelect } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { documentKinds, type DocumentKind } from './vocabulary';

/**
 * The letter sent, the answer, reminders and annexes of a request. A file is uploaded as evidence (a media record of
 * the investigation, with its SHA-256) and then attached with its kind; detaching keeps the media record.
 */
export function DocumentsSection({
  investigationId,
  requestId,
  canAdd,
  onChanged,
}: {
  investigationId: string;
  requestId: string;
  canAdd: boolean;
  onChanged: () => void;
}) {
  const { t, label, formatDateTime } = useI18n();
  const documents = useLoad(
    () =>
      call(
        api.GET('/api/v1/trace-requests/{id}/documents', {
          params: { path: { id: requestId }, query: {} },
        }),
      ),
    [requestId],
  );
  const fileRef = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<DocumentKind>('request');
  const [description, setDescription] = useState('');
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [fileError, setFileError] = useState<string | undefined>(undefined);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    setFileError(undefined);
    const file = fileRef.current?.files?.[0];
    if (file === undefined) {
      setFileError(t('traceDocs.chooseFile'));
      return;
    }
    try {
      setProgress(0);
      const media = await uploadMedia(investigationId, file, {}, ({ loaded, total }) =>
        setProgress(total === 0 ? 1 : loaded / total),
      );
      await call(
        api.POST('/api/v1/trace-requests/{id}/documents', {
          params: { path: { id: requestId } },
          body: { media_id: media.id, kind, description },
        }),
      );
      setDescription('');
      if (fileRef.current !== null) fileRef.current.value = '';
      documents.reload();
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setProgress(undefined);
    }
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <LoadedSection
      id="documents"
      title={t('traceDocs.title')}
      loaded={documents}
      isEmpty={(data) => data.items.length === 0}
      empty={t('traceDocs.empty')}
      footer={
        canAdd && (
          <form className="form-inline" aria-label={t('traceDocs.attach')} onSubmit={(event) => void submit(event)}>
            {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
            <div className="field-grid">
              <Field label={t('traceDocs.file')} error={fileError ?? errors.file}>
                {(control) => <input {...control} ref={fileRef} type="file" />}
              </Field>
              <Field label={t('traceDocs.kind')} error={errors.kind}>
                {(control) => (
                  <VocabularySelect
                    control={control}
                    group="traceDocumentKind"
                    values={documentKinds}
                    value={kind}
                    onChange={(value) => setKind(value as DocumentKind)}
                  />
                )}
              </Field>
              <Field label={t('traceDocs.description')} error={errors.description}>
                {(control) => (
                  <input
                    {...control}
                    dir="auto"
                    value={description}
                    onChange={(event) => setDescription(event.target.value)}
                  />
                )}
              </Field>
            </div>
            {progress !== undefined && (
              <progress max={1} value={progress} aria-label={t('traceDocs.uploading')}>
                {Math.round(progress * 100)}
              </progress>
            )}
            <button type="submit" disabled={progress !== undefined}>
              {t('traceDocs.attach')}
            </button>
          </form>
        )
      }
    >
      {(data) => (
        <ul className="plain-list document-list">
          {data.items.map((document) => (
            <li key={document.id} data-testid="trace-document">
              <span className="badge">{label('traceDocumentKind', document.kind)}</span>{' '}
              <a href={mediaUrls.original(document.media_id)} download={document.original_filename ?? undefined}>
                <bdi dir="auto">{document.original_filename ?? document.media_type}</bdi>
              </a>
              {document.description !== '' && (
                <>
                  {' — '}
                  <bdi dir="auto">{document.description}</bdi>
                </>
              )}
              <br />
              <span className="muted small">
                {formatDateTime(document.created_at)} · <span dir="ltr">SHA-256 {document.sha256.slice(0, 16)}…</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </LoadedSection>
  );
}
