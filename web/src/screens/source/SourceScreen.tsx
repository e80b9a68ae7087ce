import { useState } from 'react';
import { api, call, readAllPages } from '../../api/client';
import { RecordHistory } from '../../components/record/RecordHistory';
import { RegisterRecordView } from '../../components/record/RegisterRecordView';
import { MediaGallery } from '../../components/MediaGallery';
import { useInvestigationAccess } from '../../components/useInvestigationAccess';
import { Detail, ErrorNotice, LoadedSection, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { paths, type RegisterScreenProps } from '../../router';
import { Grading } from './grading';
import { SourceForm, sourceFieldLabels } from './SourceForm';

/** One source: what it is, its grading and credit line, editing and archiving, and the media that came from it. */
export default function SourceScreen({ investigationId, recordId }: RegisterScreenProps) {
  const { t, label, formatDate } = useI18n();
  const access = useInvestigationAccess(investigationId);
  const [editing, setEditing] = useState(false);
  const source = useLoad(
    () => call(api.GET('/api/v1/sources/{id}', { params: { path: { id: recordId } } })),
    [recordId],
  );
  const media = useLoad(async () => {
    const { rows } = await readAllPages((after) =>
      call(
        api.GET('/api/v1/investigations/{id}/media', {
          params: { path: { id: investigationId }, query: { source_id: recordId, limit: 500, after } },
        }),
      ),
    );
    // Each record with its links, so the gallery shows credits and review flags as elsewhere.
    return Promise.all(rows.map((row) => call(api.GET('/api/v1/media/{id}', { params: { path: { id: row.id } } }))));
  }, [investigationId, recordId]);
  useDocumentTitle(source.data?.title ?? t('sources.title'));

  if (source.error !== undefined) return <ErrorNotice error={source.error} />;
  if (source.data === undefined) return <Loading />;
  const data = source.data;
  const changeable = data.archived_at === null && access.mayChange(data);

  return (
    <RegisterRecordView
      titleId="source-title"
      list={{ to: paths.sources(investigationId), label: t('sources.title') }}
      title={data.title}
      record={data}
      editing={editing}
      form={
        <SourceForm
          investigationId={investigationId}
          source={data}
          onSaved={() => {
            setEditing(false);
            source.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      }
      details={
        <dl className="details">
          <Detail term={t('sources.kind')}>{label('sourceKind', data.kind)}</Detail>
          <Detail term={t('sources.gradingTitle')}>
            <Grading source={data} />
          </Detail>
          <Detail term={t('sources.creditLine')}>
            <UserText text={data.credit_line} />
          </Detail>
          <Detail term={t('sources.publisher')}>
            <UserText text={data.publisher} />
          </Detail>
          <Detail term={t('sources.url')}>
            {data.url === null ? (
              <UserText text={null} />
            ) : (
              <a href={data.url} rel="noreferrer noopener" target="_blank" dir="ltr">
                {data.url}
              </a>
            )}
          </Detail>
          <Detail term={t('sources.language')}>
            <UserText text={data.language} />
          </Detail>
          <Detail term={t('sources.publishedOn')}>
            {data.published_on === null ? <UserText text={null} /> : formatDate(data.published_on)}
          </Detail>
          <Detail term={t('sources.excerpt')}>
            {data.excerpt === null ? (
              <UserText text={null} />
            ) : (
              <blockquote lang={data.language ?? undefined} dir="auto" className="excerpt">
                {data.excerpt}
              </blockquote>
            )}
          </Detail>
          <Detail term={t('sources.notes')}>
            <UserText text={data.notes} />
          </Detail>
        </dl>
      }
      actions={
        changeable
          ? {
              editLabel: t('sources.edit'),
              onEdit: () => setEditing(true),
              archive: (reason) =>
                call(
                  api.POST('/api/v1/sources/{id}/archive', {
                    params: { path: { id: data.id } },
                    body: { version: data.version, reason },
                  }),
                ),
              onArchived: source.reload,
            }
          : undefined
      }
    >
      <LoadedSection id="source-media" title={t('sources.media')} loaded={media}>
        {(rows) => <MediaGallery media={rows} sources={[data]} />}
      </LoadedSection>
      <RecordHistory
        investigationId={investigationId}
        entityId={data.id}
        refreshKey={data.version}
        fieldLabels={sourceFieldLabels(t)}
      />
    </RegisterRecordView>
  );
}
