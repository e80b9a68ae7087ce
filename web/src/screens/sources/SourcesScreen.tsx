import { useState } from 'react';
import { api, call, readAllPages, type Source } from '../../api/client';
import { RegisterTable } from '../../components/RegisterTable';
import { CreateToggle, SearchTextField } from '../../components/RegisterListParts';
import { useInvestigationAccess } from '../../components/useInvestigationAccess';
import { EmptyState, ErrorNotice, Field, Loading, UserText, VocabularySelect } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths, type RegisterScreenProps } from '../../router';
import { Grading, reliabilities, sourceKinds } from '../source/grading';
import { SourceForm } from '../source/SourceForm';

/**
 * The sources of an investigation with their Admiralty grading (reliability A–F, credibility 1–6, each with its
 * meaning) and credit lines: filtered by kind, reliability and title, sorted by any column, a page at a time.
 */
export default function SourcesScreen({ investigationId }: RegisterScreenProps) {
  const { t, label, formatDate } = useI18n();
  useDocumentTitle(t('sources.title'));
  const access = useInvestigationAccess(investigationId);
  const [kind, setKind] = useState('');
  const [reliability, setReliability] = useState('');
  const [text, setText] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);

  const sources = useLoad(
    () =>
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/sources', {
            params: {
              path: { id: investigationId },
              query: {
                limit: 500,
                after,
                kind: kind === '' ? undefined : (kind as Source['kind']),
                reliability: reliability === '' ? undefined : (reliability as NonNullable<Source['reliability']>),
                include_archived: includeArchived ? 'true' : 'false',
              },
            },
          }),
        ),
      ),
    [investigationId, kind, reliability, includeArchived],
  );
  // Titles and credit lines are few per investigation: matched here, in any case.
  const needle = text.trim().toLocaleLowerCase();
  const rows = (sources.data?.rows ?? []).filter(
    (source) =>
      needle === '' ||
      [source.title, source.publisher, source.credit_line].some((value) => value?.toLocaleLowerCase().includes(needle)),
  );

  return (
    <section aria-labelledby="sources-title">
      <div className="page-header">
        <h1 id="sources-title">{t('sources.title')}</h1>
        <p className="lead">{t('sources.gradingExplanation')}</p>
      </div>
      <CreateToggle
        allowed={access.atLeast('investigator')}
        label={t('sources.new')}
        form={(close) => (
          <SourceForm
            investigationId={investigationId}
            onCreated={(source) => navigate(paths.source(investigationId, source.id))}
            onCancel={close}
          />
        )}
      />
      <div className="filters" role="search" aria-label={t('sources.filters')}>
        <SearchTextField label={t('sources.search')} value={text} onChange={setText} />
        <Field label={t('sources.kind')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="sourceKind"
              values={sourceKinds}
              value={kind}
              allowEmpty
              emptyLabel={t('common.all')}
              onChange={setKind}
            />
          )}
        </Field>
        <Field label={t('sources.reliability')}>
          {(control) => (
            <select {...control} value={reliability} onChange={(event) => setReliability(event.target.value)}>
              <option value="">{t('common.all')}</option>
              {reliabilities.map((value) => (
                <option key={value} value={value}>
                  {`${value} · ${label('reliability', value)}`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={includeArchived}
            onChange={(event) => setIncludeArchived(event.target.checked)}
          />{' '}
          {t('register.includeArchived')}
        </label>
      </div>
      {sources.error !== undefined && <ErrorNotice error={sources.error} />}
      {sources.data === undefined && sources.error === undefined && <Loading />}
      {sources.data !== undefined &&
        (rows.length === 0 ? (
          <EmptyState>{t('sources.empty')}</EmptyState>
        ) : (
          <RegisterTable
            caption={t('sources.title')}
            rows={rows}
            rowKey={(source) => source.id}
            initialSort={{ key: 'title', ascending: true }}
            columns={[
              {
                key: 'title',
                header: t('sources.titleField'),
                sortValue: (source) => source.title,
                cell: (source) => (
                  <Link to={paths.source(investigationId, source.id)}>
                    <bdi dir="auto">{source.title}</bdi>
                  </Link>
                ),
              },
              {
                key: 'grading',
                header: t('sources.gradingTitle'),
                sortValue: (source) => source.grading,
                cell: (source) => <Grading source={source} />,
              },
              {
                key: 'kind',
                header: t('sources.kind'),
                sortValue: (source) => label('sourceKind', source.kind),
                cell: (source) => label('sourceKind', source.kind),
              },
              {
                key: 'credit',
                header: t('sources.creditLine'),
                sortValue: (source) => source.credit_line,
                cell: (source) => <UserText text={source.credit_line} />,
              },
              {
                key: 'published',
                header: t('sources.publishedOn'),
                sortValue: (source) => source.published_on,
                cell: (source) => (source.published_on === null ? '' : formatDate(source.published_on)),
              },
              {
                key: 'state',
                header: t('register.state'),
                sortValue: (source) => (source.archived_at === null ? 0 : 1),
                cell: (source) => (source.archived_at === null ? t('register.inUse') : t('register.archived')),
              },
            ]}
          />
        ))}
      {sources.data?.truncated === true && <p className="muted">{t('inventory.truncated')}</p>}
    </section>
  );
}
