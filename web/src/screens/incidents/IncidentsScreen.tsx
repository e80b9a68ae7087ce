import { useState } from 'react';
import { api, call, readAllPages, type Incident } from '../../api/client';
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
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths, type RegisterScreenProps } from '../../router';
import { IncidentForm, incidentTypes } from '../incident/IncidentForm';

/**
 * The incidents of an investigation (malfunctions, accidents, seizures, attacks) with their date, site, casualty
 * counts and linked items: filtered by type, site and title, sorted by any column by the server, a page at a time.
 */
const incidentSortKeys = [
  'occurred_on',
  'title',
  'incident_type',
  'killed',
  'injured',
  'items',
  'archived',
  'created',
] as const;

export default function IncidentsScreen({ investigationId }: RegisterScreenProps) {
  const { t, label, formatDate, formatNumber } = useI18n();
  useDocumentTitle(t('incidents.title'));
  const access = useInvestigationAccess(investigationId);
  const [incidentType, setIncidentType] = useState('');
  const [siteId, setSiteId] = useState('');
  const [text, setText] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);

  const sites = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/sites', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows,
    [investigationId],
  );
  const q = text.trim();
  const incidents = useServerList({
    keys: incidentSortKeys,
    initial: { key: 'occurred_on', order: 'desc' },
    filters: [investigationId, incidentType, siteId, includeArchived, q],
    load: ({ after, sort, order, limit }) =>
      call(
        api.GET('/api/v1/investigations/{id}/incidents', {
          params: {
            path: { id: investigationId },
            query: {
              limit,
              after,
              sort,
              order,
              incident_type: incidentType === '' ? undefined : (incidentType as Incident['incident_type']),
              site_id: siteId === '' ? undefined : siteId,
              q: q === '' ? undefined : q,
              include_archived: includeArchived ? 'true' : 'false',
            },
          },
        }),
      ),
  });
  const siteName = (id: string | null) =>
    id === null ? null : (sites.data?.find((site) => site.id === id)?.name ?? null);
  const rows = incidents.rows ?? [];

  return (
    <section aria-labelledby="incidents-title">
      <div className="page-header">
        <h1 id="incidents-title">{t('incidents.title')}</h1>
        <p className="lead">{t('incidents.intro')}</p>
      </div>
      <CreateToggle
        allowed={access.atLeast('investigator')}
        label={t('incidents.new')}
        form={(close) => (
          <IncidentForm
            investigationId={investigationId}
            onCreated={(incident) => navigate(paths.incident(investigationId, incident.id))}
            onCancel={close}
          />
        )}
      />
      <div className="filters" role="search" aria-label={t('incidents.filters')}>
        <SearchTextField label={t('incidents.search')} value={text} onChange={setText} />
        <Field label={t('incidents.type')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="incidentType"
              values={incidentTypes}
              value={incidentType}
              allowEmpty
              emptyLabel={t('common.all')}
              onChange={setIncidentType}
            />
          )}
        </Field>
        <Field label={t('incidents.site')}>
          {(control) => (
            <select {...control} value={siteId} onChange={(event) => setSiteId(event.target.value)}>
              <option value="">{t('common.all')}</option>
              {sites.data?.map((site) => (
                <option key={site.id} value={site.id} dir="auto">
                  {site.name}
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
      <ServerListBody list={incidents} rows={rows} empty={t('incidents.empty')}>
        <RegisterTable
          caption={t('incidents.title')}
          list={incidents}
          rows={rows}
          rowKey={(incident) => incident.id}
          sortLabels={{
            occurred_on: t('incidents.occurredOn'),
            title: t('incidents.titleField'),
            incident_type: t('incidents.type'),
            killed: t('incidents.killed'),
            injured: t('incidents.injured'),
            items: t('incidents.itemsColumn'),
            archived: t('register.state'),
            created: t('list.created'),
          }}
          columns={[
            {
              key: 'title',
              header: t('incidents.titleField'),
              sortKey: 'title',
              cell: (incident) => (
                <Link to={paths.incident(investigationId, incident.id)}>
                  <bdi dir="auto">{incident.title}</bdi>
                </Link>
              ),
            },
            {
              key: 'type',
              header: t('incidents.type'),
              sortKey: 'incident_type',
              cell: (incident) => label('incidentType', incident.incident_type),
            },
            {
              key: 'occurred',
              header: t('incidents.occurredOn'),
              sortKey: 'occurred_on',
              cell: (incident) => (incident.occurred_on === null ? '' : formatDate(incident.occurred_on)),
            },
            {
              key: 'sites',
              header: t('incidents.sitesColumn'),
              cell: (incident) => (
                <UserText
                  text={
                    incident.site_ids.length === 0
                      ? null
                      : incident.site_ids.map((id) => siteName(id) ?? id).join(' · ')
                  }
                />
              ),
            },
            {
              key: 'killed',
              header: t('incidents.killed'),
              numeric: true,
              sortKey: 'killed',
              cell: (incident) => (incident.killed === null ? '' : formatNumber(incident.killed)),
            },
            {
              key: 'injured',
              header: t('incidents.injured'),
              numeric: true,
              sortKey: 'injured',
              cell: (incident) => (incident.injured === null ? '' : formatNumber(incident.injured)),
            },
            {
              key: 'items',
              header: t('incidents.itemsColumn'),
              numeric: true,
              sortKey: 'items',
              cell: (incident) => formatNumber(incident.item_ids.length),
            },
          ]}
        />
      </ServerListBody>
    </section>
  );
}
