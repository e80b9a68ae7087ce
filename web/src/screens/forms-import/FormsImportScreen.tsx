import { useRef, useState, type SubmitEvent } from 'react';
import { api, ApiError, call, type ResponseOf } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { sendJson, type TransferProgress } from '../../api/transfer';
import { TransferProgressBar } from '../../components/TransferProgress';
import { ErrorNotice, Field, Loading } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { importingRoles } from '../import/importTypes';
import { FormsImportProblems } from './FormsImportProblems';
import { FormsImportResultView } from './FormsImportResultView';

export type FormsImportResult = ResponseOf<'/api/v1/investigations/{id}/forms/import', 'post'>;

type Step =
  | { kind: 'choose' }
  | { kind: 'sending'; dryRun: boolean; progress: TransferProgress | undefined }
  | { kind: 'checked'; file: File; result: FormsImportResult }
  | { kind: 'done'; result: FormsImportResult };

const fileRequired = new ApiError(400, {
  type: 'about:blank',
  title: '',
  status: 400,
  detail: '',
  code: 'validation_failed',
  fields: [{ field: 'file', code: 'required', message: 'choose a file', params: {} }],
});

/**
 * The ODK Central / KoboToolbox import: the export (the CSV zip with its photos, or the JSON submissions saved from
 * ODK Central's OData or Kobo's API v2) is uploaded and checked first (a dry run: nothing is written), then imported
 * all or nothing. Submissions imported before (same instance ID) are counted, never created twice; a refused file
 * lists every problem by submission and field. A failed upload keeps the chosen file, to send again. The XLSForm to
 * collect with is downloaded from here too.
 */
export function FormsImportScreen({ investigationId }: { investigationId: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('forms.import.title'));
  const investigation = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [error, setError] = useState<unknown>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);

  if (investigation.error !== undefined) return <ErrorNotice error={investigation.error} />;
  if (investigation.data === undefined) return <Loading />;
  const mayImport = importingRoles.includes(investigation.data.my_role);
  const problems = error instanceof ApiError ? (error.problem.fields ?? []) : [];
  const fileProblem = problems.find((problem) => problem.field === 'file');
  const submissionProblems = problems.filter((problem) => problem.field !== 'file');

  /** Checks the file (a dry run), or imports it when `checked` is the check the user saw. */
  const send = async (file: File, checked?: FormsImportResult) => {
    const dryRun = checked === undefined;
    setError(undefined);
    setStep({ kind: 'sending', dryRun, progress: undefined });
    const form = new FormData();
    form.set('file', file);
    try {
      const result = await sendJson<FormsImportResult>(
        `/api/v1/investigations/${encodeURIComponent(investigationId)}/forms/import?dry_run=${String(dryRun)}`,
        { method: 'POST', body: form, onProgress: (progress) => setStep({ kind: 'sending', dryRun, progress }) },
      );
      setStep(dryRun ? { kind: 'checked', file, result } : { kind: 'done', result });
    } catch (caught) {
      // The chosen file stays in the form (and, after a check, the check stays shown): send it again when connected.
      setError(caught);
      setStep(checked === undefined ? { kind: 'choose' } : { kind: 'checked', file, result: checked });
    }
  };

  const check = (event: SubmitEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (file === undefined) {
      setError(fileRequired);
      return;
    }
    void send(file);
  };

  const xlsformUrl = `/api/v1/investigations/${encodeURIComponent(investigationId)}/forms/xlsform`;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={paths.importItems(investigationId)}>{t('transfer.import.title')}</Link>
      </p>
      <h1>{t('forms.import.title')}</h1>
      <section className="section card" aria-labelledby="xlsform-title">
        <h2 id="xlsform-title">{t('forms.xlsform.title')}</h2>
        <p>{t('forms.xlsform.intro')}</p>
        <a className="button" href={xlsformUrl} download>
          {t('forms.xlsform.download')}
        </a>
      </section>
      {!mayImport ? (
        <p className="notice notice-warning">{t('transfer.import.notAllowed')}</p>
      ) : step.kind === 'done' ? (
        <FormsImportResultView
          result={step.result}
          investigationId={investigationId}
          onAnother={() => {
            setError(undefined);
            setStep({ kind: 'choose' });
          }}
        />
      ) : (
        <>
          <form className="section card" onSubmit={check} noValidate aria-labelledby="forms-upload-title">
            <h2 id="forms-upload-title">{t('forms.import.uploadTitle')}</h2>
            <p>{t('forms.import.intro')}</p>
            <Field
              label={t('forms.import.file')}
              hint={t('forms.import.fileHint')}
              error={fileProblem === undefined ? undefined : fieldErrorMessage(t, fileProblem)}
            >
              {(control) => (
                <input
                  {...control}
                  ref={fileInput}
                  type="file"
                  name="file"
                  accept=".zip,.json,.csv,application/zip,application/json,text/csv"
                  onChange={() => {
                    setError(undefined);
                    if (step.kind === 'checked') setStep({ kind: 'choose' });
                  }}
                />
              )}
            </Field>
            <button type="submit" className="button button-primary" disabled={step.kind === 'sending'}>
              {t('forms.import.check')}
            </button>
            {step.kind === 'sending' && (
              <TransferProgressBar
                label={t(step.dryRun ? 'forms.import.checking' : 'forms.import.importing')}
                progress={step.progress}
              />
            )}
          </form>
          {error !== undefined && fileProblem === undefined && submissionProblems.length === 0 && (
            <ErrorNotice error={error} />
          )}
          {submissionProblems.length > 0 && <FormsImportProblems problems={submissionProblems} />}
          {step.kind === 'checked' && (
            <FormsImportResultView
              result={step.result}
              investigationId={investigationId}
              onImport={() => void send(step.file, step.result)}
            />
          )}
        </>
      )}
    </div>
  );
}
