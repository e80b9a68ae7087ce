import { fieldErrorMessage } from '../../api/fieldErrors';
import { DataTable } from '../../components/DataTable';
import { TableScroll } from '../../components/TableScroll';
import { UserText } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import type { ImportPreview } from './importTypes';

/** What the file would create and reuse, and every problem by line and column, before anything is written. */
export function ImportPreviewView({ preview, fileName }: { preview: ImportPreview; fileName: string }) {
  const { t, label, formatNumber } = useI18n();
  const hasProblems = preview.problems_total > 0;
  return (
    <section className="section card" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title">{t('transfer.import.previewTitle')}</h2>
      <p>
        <bdi dir="auto">{fileName}</bdi> · {t('transfer.import.rows', { count: preview.rows })}
      </p>
      {hasProblems ? (
        <div className="notice notice-error" role="alert">
          <p>{t('transfer.import.problemsFound', { count: preview.problems_total })}</p>
          <p>{t('transfer.import.nothingWritten')}</p>
        </div>
      ) : (
        <ul className="import-summary">
          <li>{t('transfer.import.sitesNew', { count: preview.sites_created })}</li>
          <li>{t('transfer.import.sitesReused', { count: preview.sites_reused })}</li>
          <li>{t('transfer.import.itemsNew', { count: preview.items_created })}</li>
          <li>{t('transfer.import.markingsNew', { count: preview.markings_created })}</li>
        </ul>
      )}
      {hasProblems && (
        <TableScroll label={t('transfer.import.problemsCaption')}>
          <DataTable
            caption={t('transfer.import.problemsCaption')}
            rows={preview.problems}
            rowKey={(problem) => `${problem.line}-${problem.column ?? ''}-${problem.code}-${problem.message}`}
            columns={[
              {
                key: 'line',
                header: t('transfer.import.line'),
                numeric: true,
                cell: (problem) => formatNumber(problem.line),
              },
              {
                key: 'column',
                header: t('transfer.import.column'),
                cell: (problem) => (problem.column === null ? '—' : <code dir="ltr">{problem.column}</code>),
              },
              {
                key: 'problem',
                header: t('transfer.import.problem'),
                cell: (problem) =>
                  fieldErrorMessage(t, {
                    field: problem.column ?? '',
                    code: problem.code,
                    params: problem.params,
                    message: problem.message,
                  }),
              },
            ]}
          />
        </TableScroll>
      )}
      {!hasProblems && preview.sites.length > 0 && (
        <TableScroll label={t('transfer.import.sitesCaption')}>
          <DataTable
            caption={t('transfer.import.sitesCaption')}
            rows={preview.sites}
            rowKey={(site) => site.site_ref}
            columns={[
              { key: 'ref', header: t('transfer.import.siteRef'), cell: (site) => <UserText text={site.site_ref} /> },
              { key: 'name', header: t('transfer.import.siteName'), cell: (site) => <UserText text={site.name} /> },
              {
                key: 'type',
                header: t('transfer.import.siteType'),
                cell: (site) => (site.site_type === null ? '—' : label('siteType', site.site_type)),
              },
              {
                key: 'status',
                header: t('transfer.import.siteStatus'),
                cell: (site) => (site.reused ? t('transfer.import.reused') : t('transfer.import.new')),
              },
              {
                key: 'items',
                header: t('transfer.import.siteItems'),
                numeric: true,
                cell: (site) => formatNumber(site.items),
              },
            ]}
          />
        </TableScroll>
      )}
    </section>
  );
}
