import { useState } from 'react';
import { api, call } from '../../api/client';
import { RecordHistory } from '../../components/record/RecordHistory';
import { RegisterRecordView } from '../../components/record/RegisterRecordView';
import { useInvestigationAccess } from '../../components/useInvestigationAccess';
import { Detail, ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { paths, type RegisterScreenProps } from '../../router';
import { ActorForm } from './ActorForm';
import { MergePanel } from './MergePanel';

/** One actor: its names in every script, editing (version-checked), archiving with a reason, merging a duplicate. */
export default function ActorScreen({ investigationId, recordId }: RegisterScreenProps) {
  const { t, label } = useI18n();
  const access = useInvestigationAccess(investigationId);
  const [editing, setEditing] = useState(false);
  const actor = useLoad(() => call(api.GET('/api/v1/actors/{id}', { params: { path: { id: recordId } } })), [recordId]);
  useDocumentTitle(actor.data?.name ?? t('actors.title'));

  if (actor.error !== undefined) return <ErrorNotice error={actor.error} />;
  if (actor.data === undefined) return <Loading />;
  const data = actor.data;
  const changeable = data.archived_at === null && access.mayChange(data);

  return (
    <RegisterRecordView
      titleId="actor-title"
      list={{ to: paths.actors(investigationId), label: t('actors.title') }}
      title={data.name}
      record={data}
      editing={editing}
      form={
        <ActorForm
          investigationId={investigationId}
          actor={data}
          onSaved={() => {
            setEditing(false);
            actor.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      }
      details={
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
      }
      actions={
        changeable
          ? {
              editLabel: t('actors.edit'),
              onEdit: () => setEditing(true),
              archive: (reason) =>
                call(
                  api.POST('/api/v1/actors/{id}/archive', {
                    params: { path: { id: data.id } },
                    body: { version: data.version, reason },
                  }),
                ),
              onArchived: actor.reload,
            }
          : undefined
      }
    >
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
    </RegisterRecordView>
  );
}
