import { useRef, useState, type SubmitEvent } from 'react';
import { api, ApiError, call } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { sendJson, type TransferProgress } from '../../api/transfer';
import { TransferProgressBar } from '../../components/TransferProgress';
import { ErrorNotice, Field, Loading } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { ImportMappingView } from './ImportMappingView';
import { ImportJobProgress, type ImportJob } from './ImportJobProgress';
import { ImportPreviewView } from './ImportPreviewView';
import {
  choicesOf,
  importingRoles,
  mappingOf,
  type ColumnChoices,
  type ImportResult,
  type ImportUpload,
} from './importTypes';

type Step =
  | { kind: 'choose' }
  | { kind: 'uploading'; progress: TransferProgress | undefined }
  | { kind: 'previewed'; upload: ImportUpload; fileName: string }
  | { kind: 'rechecking'; upload: ImportUpload; fileName: string }
  | { kind: 'importing'; upload: ImportUpload; fileName: string; job: ImportJob | undefined }
  | { kind: 'done'; result: ImportResult };

/**
 * The item import (CSV or XLSX): the file is uploaded and checked (nothing is written); the mapping step shows the
 * field each column fills, to change and check again, or save under a name; the preview shows what would be
 * created and every problem by line; only a file without problems, checked with the columns shown, can be
 * confirmed, and the confirmation names the previewed file by its SHA-256, so exactly that file is imported with
 * exactly those columns, all or nothing.
 */
export function ImportScreen({ investigationId }: { investigationId: string }) {
  const { t, formatNumber } = useI18n();
  useDocumentTitle(t('transfer.import.title'));
  const investigation = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const savedMappings = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/import-mappings', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  /** The field chosen for each column, and the choices the shown preview was checked with. */
  const [choices, setChoices] = useState<ColumnChoices>([]);
  const [checkedChoices, setCheckedChoices] = useState<ColumnChoices>([]);
  const [error, setError] = useState<unknown>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);

  if (investigation.error !== undefined) return <ErrorNotice error={investigation.error} />;
  if (investigation.data === undefined) return <Loading />;
  const mayImport = importingRoles.includes(investigation.data.my_role);
  const changed = choices.some((choice, index) => choice !== checkedChoices[index]);

  const fileError =
    error instanceof ApiError
      ? error.problem.fields?.find((field) => field.field === 'file' || field.field === 'sha256')
      : undefined;

  const check = async (event: SubmitEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (file === undefined) {
      setError(
        new ApiError(400, {
          type: 'about:blank',
          title: '',
          status: 400,
          detail: '',
          code: 'validation_failed',
          fields: [{ field: 'file', code: 'required', message: 'choose a file', params: {} }],
        }),
      );
      return;
    }
    setError(undefined);
    setStep({ kind: 'uploading', progress: undefined });
    const form = new FormData();
    form.set('file', file);
    try {
      const upload = await sendJson<ImportUpload>(
        `/api/v1/investigations/${encodeURIComponent(investigationId)}/imports/items/preview`,
        { method: 'POST', body: form, onProgress: (progress) => setStep({ kind: 'uploading', progress }) },
      );
      showPreview(upload, file.name);
    } catch (caught) {
      setError(caught);
      setStep({ kind: 'choose' });
    }
  };

  const showPreview = (upload: ImportUpload, fileName: string) => {
    const read = choicesOf(upload.preview);
    setChoices(read);
    setCheckedChoices(read);
    setStep({ kind: 'previewed', upload, fileName });
  };

  const checkAgain = async (upload: ImportUpload, fileName: string, mappingName?: string) => {
    setError(undefined);
    setStep({ kind: 'rechecking', upload, fileName });
    try {
      const checked = await call(
        api.POST('/api/v1/investigations/{id}/imports/items/check', {
          params: { path: { id: investigationId } },
          body: {
            sha256: upload.sha256,
            encoding: upload.preview.encoding ?? undefined,
            ...(mappingName === undefined
              ? { mapping: mappingOf(upload.preview, choices) }
              : { mapping_name: mappingName }),
          },
        }),
      );
      showPreview(checked, fileName);
    } catch (caught) {
      setError(caught);
      setStep({ kind: 'previewed', upload, fileName });
    }
  };

  const saveMapping = async (upload: ImportUpload, name: string) => {
    await call(
      api.PUT('/api/v1/investigations/{id}/import-mappings', {
        params: { path: { id: investigationId } },
        body: { name, mapping: mappingOf(upload.preview, choices) },
      }),
    );
    savedMappings.reload();
  };

  // The import runs on the server as a job; its phase and rows done are read every half second until it ends.
  const confirm = async (upload: ImportUpload, fileName: string) => {
    setError(undefined);
    setStep({ kind: 'importing', upload, fileName, job: undefined });
    try {
      let job = await call(
        api.POST('/api/v1/investigations/{id}/imports/items/jobs', {
          params: { path: { id: investigationId } },
          body: {
            sha256: upload.sha256,
            encoding: upload.preview.encoding ?? undefined,
            mapping: mappingOf(upload.preview, checkedChoices),
          },
        }),
      );
      while (job.state === 'running') {
        setStep({ kind: 'importing', upload, fileName, job });
        await new Promise((resolve) => window.setTimeout(resolve, 500));
        job = await call(api.GET('/api/v1/imports/jobs/{jobId}', { params: { path: { jobId: job.id } } }));
      }
      if (job.result === null) throw new ApiError(job.problem?.status ?? 500, job.problem as ApiError['problem']);
      setStep({ kind: 'done', result: job.result });
    } catch (caught) {
      setError(caught);
      setStep({ kind: 'previewed', upload, fileName });
    }
  };

  const startAgain = () => {
    setError(undefined);
    setStep({ kind: 'choose' });
  };

  return (
    <div className="page">
      <h1>{t('transfer.import.title')}</h1>
      <p>
        <Link to={paths.importForms(investigationId)}>{t('forms.import.link')}</Link>
      </p>
      {!mayImport ? (
        <p className="notice notice-warning">{t('transfer.import.notAllowed')}</p>
      ) : step.kind === 'done' ? (
        <section className="section card" aria-labelledby="import-done-title">
          <h2 id="import-done-title">{t('transfer.import.doneTitle')}</h2>
          <div className="notice notice-success" role="status">
            <p>{t('transfer.import.done', { count: step.result.rows })}</p>
          </div>
          <ul className="import-summary">
            <li>{t('transfer.import.sitesNew', { count: step.result.sites_created })}</li>
            <li>{t('transfer.import.sitesReused', { count: step.result.sites_reused })}</li>
            <li>{t('transfer.import.itemsNew', { count: step.result.items_created })}</li>
            <li>{t('transfer.import.markingsNew', { count: step.result.markings_created })}</li>
          </ul>
          <p className="muted">{t('transfer.import.seconds', { seconds: formatNumber(step.result.seconds) })}</p>
          <p className="actions">
            <Link to={paths.overview(investigationId)}>{t('transfer.import.toOverview')}</Link>
            <button type="button" className="button" onClick={startAgain}>
              {t('transfer.import.another')}
            </button>
          </p>
        </section>
      ) : (
        <>
          <form className="section card" onSubmit={(event) => void check(event)} noValidate>
            <p>{t('transfer.import.intro')}</p>
            <Field
              label={t('transfer.import.file')}
              hint={t('transfer.import.fileHint')}
              error={fileError === undefined ? undefined : fieldErrorMessage(t, fileError)}
            >
              {(control) => (
                <input
                  {...control}
                  ref={fileInput}
                  type="file"
                  name="file"
                  accept=".csv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  onChange={() => step.kind === 'previewed' && startAgain()}
                />
              )}
            </Field>
            <button
              type="submit"
              className="button button-primary"
              disabled={step.kind === 'uploading' || step.kind === 'importing' || step.kind === 'rechecking'}
            >
              {t('transfer.import.check')}
            </button>
            {step.kind === 'uploading' && (
              <TransferProgressBar label={t('transfer.import.checking')} progress={step.progress} />
            )}
          </form>
          {error !== undefined && fileError === undefined && <ErrorNotice error={error} />}
          {(step.kind === 'previewed' || step.kind === 'importing' || step.kind === 'rechecking') && (
            <>
              {step.upload.preview.columns.length > 0 && (
                <ImportMappingView
                  preview={step.upload.preview}
                  choices={choices}
                  onChange={(index, value) =>
                    setChoices((current) => current.map((choice, at) => (at === index ? value : choice)))
                  }
                  changed={changed}
                  busy={step.kind !== 'previewed'}
                  onCheck={() => void checkAgain(step.upload, step.fileName)}
                  saved={savedMappings.data?.items ?? []}
                  onUseSaved={(name) => void checkAgain(step.upload, step.fileName, name)}
                  onSave={(name) => saveMapping(step.upload, name)}
                />
              )}
              {step.kind === 'rechecking' && (
                <TransferProgressBar label={t('transfer.import.checkingAgain')} progress={undefined} />
              )}
              <ImportPreviewView preview={step.upload.preview} fileName={step.fileName} />
              {step.upload.preview.problems_total === 0 && !changed && (
                <section className="section card" aria-labelledby="import-confirm-title">
                  <h2 id="import-confirm-title">{t('transfer.import.confirmTitle')}</h2>
                  <p>{t('transfer.import.confirmExplanation')}</p>
                  <button
                    type="button"
                    className="button button-primary"
                    disabled={step.kind !== 'previewed'}
                    onClick={() => void confirm(step.upload, step.fileName)}
                  >
                    {t('transfer.import.confirm', { count: step.upload.preview.rows })}
                  </button>
                  {step.kind === 'importing' && <ImportJobProgress job={step.job} />}
                </section>
              )}
            </>
          )}
        </>
      )}
    </div>
  );
}
