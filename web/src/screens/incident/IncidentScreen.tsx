import { useState } from 'react';
import { api, call } from '../../api/client';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { RecordHistory } from '../../components/record/RecordHistory';
import { useInvestigationAccess } from '../../components/useInvestigationAccess';
import { Detail, ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths, type RegisterScreenProps } from '../../router';
import { IncidentForm, incidentFieldLabels } from './IncidentForm';
import { LinkedItems } from './LinkedItems';
import { LinkedSites } from './LinkedSites';

/** One incident: what happened, where and when, casualty counts, the sites and items it involves; edit, link, archive. */
export default function IncidentScreen({ investigationId, recordId }: RegisterScreenProps) {
  const { t, label, formatDate, formatDateTime, formatNumber } = useI18n();
  const access = useInvestigationAccess(investigationId);
  const [editing, setEditing] = useState(false);
  const incident = useLoad(
    () => call(api.GET('/api/v1/incidents/{id}', { params: { path: { id: recordId } } })),
    [recordId],
  );
  const source = useLoad(
    async () =>
      incident.data?.source_id == null
        ? undefined
        : call(api.GET('/api/v1/sources/{id}', { params: { path: { id: incident.data.source_id } } })),
    [incident.data?.source_id],
  );
  useDocumentTitle(incident.data?.title ?? t('incidents.title'));

  if (incident.error !== undefined) return <ErrorNotice error={incident.error} />;
  if (incident.data === undefined) return <Loading />;
  const data = incident.data;
  const changeable = data.archived_at === null && access.mayChange(data);
  const count = (value: number | null) => (value === null ? <UserText text={null} /> : formatNumber(value));

  return (
    <section aria-labelledby="incident-title">
      <div className="page-header">
        <p className="breadcrumb">
          <Link to={paths.incidents(investigationId)}>{t('incidents.title')}</Link>
        </p>
        <h1 id="incident-title">
          <bdi dir="auto">{data.title}</bdi>
        </h1>
        {data.archived_at !== null && (
          <p className="notice" role="status">
            {t('register.archivedOn', { date: formatDateTime(data.archived_at) })}{' '}
            <UserText text={data.archive_reason} />
          </p>
        )}
      </div>
      {editing ? (
        <IncidentForm
          investigationId={investigationId}
          incident={data}
          onSaved={() => {
            setEditing(false);
            incident.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="section">
          <dl className="details">
            <Detail term={t('incidents.type')}>{label('incidentType', data.incident_type)}</Detail>
            <Detail term={t('incidents.occurredOn')}>
              {data.occurred_on === null ? <UserText text={null} /> : formatDate(data.occurred_on)}
            </Detail>
            <Detail term={t('incidents.place')}>
              <UserText text={data.place} />
            </Detail>
            <Detail term={t('incidents.killed')}>{count(data.killed)}</Detail>
            <Detail term={t('incidents.injured')}>{count(data.injured)}</Detail>
            <Detail term={t('incidents.source')}>
              {source.data === undefined ? (
                <UserText text={null} />
              ) : (
                <Link to={paths.source(investigationId, source.data.id)}>
                  <bdi dir="auto">{source.data.title}</bdi>
                </Link>
              )}
            </Detail>
            <Detail term={t('incidents.description')}>
              <UserText text={data.description} />
            </Detail>
          </dl>
          {changeable && (
            <p className="actions">
              <button type="button" className="button-primary" onClick={() => setEditing(true)}>
                {t('incidents.edit')}
              </button>
              <ArchiveButton
                onArchive={(reason) =>
                  call(
                    api.POST('/api/v1/incidents/{id}/archive', {
                      params: { path: { id: data.id } },
                      body: { version: data.version, reason },
                    }),
                  )
                }
                onArchived={incident.reload}
              />
            </p>
          )}
        </div>
      )}
      <LinkedSites
        incident={data}
        investigationId={investigationId}
        mayChange={changeable}
        onChanged={() => incident.reload()}
      />
      <LinkedItems
        incident={data}
        investigationId={investigationId}
        mayChange={changeable}
        onChanged={() => incident.reload()}
      />
      <RecordHistory
        investigationId={investigationId}
        entityId={data.id}
        refreshKey={data.version}
        fieldLabels={incidentFieldLabels(t)}
      />
    </section>
  );
}
