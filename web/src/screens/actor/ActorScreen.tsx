import { useState } from 'react';
import { api, call } from '../../api/client';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { RecordHistory } from '../../components/record/RecordHistory';
import { useInvestigationAccess } from '../../components/useInvestigationAccess';
import { Detail, ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths, type RegisterScreenProps } from '../../router';
import { ActorForm } from './ActorForm';
import { MergePanel } from './MergePanel';

/** One actor: its names in every script, editing (version-checked), archiving with a reason, merging a duplicate. */
export default function ActorScreen({ investigationId, recordId }: RegisterScreenProps) {
  const { t, label, formatDateTime } = useI18n();
  const access = useInvestigationAccess(investigationId);
  const [editing, setEditing] = useState(false);
  const actor = useLoad(() => call(api.GET('/api/v1/actors/{id}', { params: { path: { id: recordId } } })), [recordId]);
  useDocumentTitle(actor.data?.name ?? t('actors.title'));

  if (actor.error !== undefined) return <ErrorNotice error={actor.error} />;
  if (actor.data === undefined) return <Loading />;
  const data = actor.data;
  const changeable = data.archived_at === null && access.mayChange(data);

  return (
    <section aria-labelledby="actor-title">
      <div className="page-header">
        <p className="breadcrumb">
          <Link to={paths.actors(investigationId)}>{t('actors.title')}</Link>
        </p>
        <h1 id="actor-title">
          <bdi dir="auto">{data.name}</bdi>
        </h1>
        {data.archived_at !== null && (
          <p className="notice" role="status">
            {t('register.archivedOn', { date: formatDateTime(data.archived_at) })}{' '}
            <UserText text={data.archive_reason} />
          </p>
        )}
      </div>
      {editing ? (
        <ActorForm
          investigationId={investigationId}
          actor={data}
          onSaved={() => {
            setEditing(false);
            actor.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="section">
          <dl className="details">
            <Detail term={t('actors.type')}>{label('actorType', data.actor_type)}</Detail>
            <Detail term={t('actors.aliases')}>
              {data.aliases.length === 0 ? (
                <UserText text="" />
              ) : (
                <ul className="alias-list">
                  {data.aliases.map((alias) => (
                    <li key={alias}>
                      <bdi dir="auto">{alias}</bdi>
                    </li>
                  ))}
                </ul>
              )}
            </Detail>
            <Detail term={t('actors.country')}>
              <UserText text={data.country_code} />
            </Detail>
            <Detail term={t('actors.notes')}>
              <UserText text={data.notes} />
            </Detail>
            <Detail term={t('register.version')}>{data.version}</Detail>
          </dl>
          {changeable && (
            <p className="actions">
              <button type="button" className="button-primary" onClick={() => setEditing(true)}>
                {t('actors.edit')}
              </button>
              <ArchiveButton
                onArchive={(reason) =>
                  call(
                    api.POST('/api/v1/actors/{id}/archive', {
                      params: { path: { id: data.id } },
                      body: { version: data.version, reason },
                    }),
                  )
                }
                onArchived={actor.reload}
              />
            </p>
          )}
        </div>
      )}
      {data.archived_at === null && access.atLeast('editor') && !editing && (
        <MergePanel actor={data} investigationId={investigationId} />
      )}
      <RecordHistory
        investigationId={investigationId}
        entityId={data.id}
        refreshKey={data.version}
        fieldLabels={{
          actor_type: t('actors.type'),
          name: t('actors.name'),
          aliases: t('actors.aliases'),
          country_code: t('actors.country'),
          notes: t('actors.notes'),
        }}
      />
    </section>
  );
}
