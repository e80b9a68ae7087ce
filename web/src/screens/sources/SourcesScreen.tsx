import { useState } from 'react';
import { api, call, type Source } from '../../api/client';
import { RegisterTable } from '../../components/RegisterTable';
import {
  CreateToggle,
  IncludeArchivedField,
  SearchTextField,
  ServerListBody,
} from '../../components/RegisterListParts';
import { useInvestigationAccess } from '../../components/useInvestigationAccess';
import { Field, UserText, VocabularySelect } from '../../components/ui';
import { useServerList } from '../../components/serverList';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths, type RegisterScreenProps } from '../../router';
import { Grading, reliabilities, sourceKinds } from '../source/grading';
import { SourceForm } from '../source/SourceForm';

/**
 * The sources of an investigation with their Admiralty grading (reliability A–F, credibility 1–6, each with its
 * meaning) and credit lines: filtered by kind, reliability and title, sorted by any column by the server, a page at a time.
 */
const sourceSortKeys = ['title', 'grading', 'kind', 'credit_line', 'published_on', 'archived', 'created'] as const;

export default function SourcesScreen({ investigationId }: RegisterScreenProps) {
  const { t, label, formatDate } = useI18n();
  useDocumentTitle(t('sources.title'));
  const access = useInvestigationAccess(investigationId);
  const [kind, setKind] = useState('');
  const [reliability, setReliability] = useState('');
  const [text, setText] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);

  const q = text.trim();
  const sources = useServerList({
    keys: sourceSortKeys,
    initial: { key: 'title', order: 'asc' },
    filters: [investigationId, kind, reliability, includeArchived, q],
    load: ({ after, sort, order, limit }) =>
      call(
        api.GET('/api/v1/investigations/{id}/sources', {
          params: {
            path: { id: investigationId },
            query: {
              limit,
              after,
              sort,
              order,
              kind: kind === '' ? undefined : (kind as Source['kind']),
              reliability: reliability === '' ? undefined : (reliability as NonNullable<Source['reliability']>),
              q: q === '' ? undefined : q,
              include_archived: includeArchived ? 'true' : 'false',
            },
          },
        }),
      ),
  });
  const rows = sources.rows ?? [];

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
        <IncludeArchivedField
          checked={includeArchived}
          onChange={setIncludeArchived}
          label={t('register.includeArchived')}
        />
      </div>
      <ServerListBody list={sources} rows={rows} empty={t('sources.empty')}>
        <RegisterTable
          caption={t('sources.title')}
          list={sources}
          rows={rows}
          rowKey={(source) => source.id}
          sortLabels={{
            title: t('sources.titleField'),
            grading: t('sources.gradingTitle'),
            kind: t('sources.kind'),
            credit_line: t('sources.creditLine'),
            published_on: t('sources.publishedOn'),
            archived: t('register.state'),
            created: t('list.created'),
          }}
          columns={[
            {
              key: 'title',
              header: t('sources.titleField'),
              sortKey: 'title',
              cell: (source) => (
                <Link to={paths.source(investigationId, source.id)}>
                  <bdi dir="auto">{source.title}</bdi>
                </Link>
              ),
            },
            {
              key: 'grading',
              header: t('sources.gradingTitle'),
              sortKey: 'grading',
              cell: (source) => <Grading source={source} />,
            },
            {
              key: 'kind',
              header: t('sources.kind'),
              sortKey: 'kind',
              cell: (source) => label('sourceKind', source.kind),
            },
            {
              key: 'credit',
              header: t('sources.creditLine'),
              sortKey: 'credit_line',
              cell: (source) => <UserText text={source.credit_line} />,
            },
            {
              key: 'published',
              header: t('sources.publishedOn'),
              sortKey: 'published_on',
              cell: (source) => (source.published_on === null ? '' : formatDate(source.published_on)),
            },
            {
              key: 'state',
              header: t('register.state'),
              sortKey: 'archived',
              cell: (source) => (source.archived_at === null ? t('register.inUse') : t('register.archived')),
            },
          ]}
        />
      </ServerListBody>
    </section>
  );
}
