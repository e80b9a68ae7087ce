import { useState } from 'react';
import { api, call, type ActorRecord } from '../../api/client';
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
import { ActorForm, actorTypes } from '../actor/ActorForm';

/**
 * The actors of an investigation (manufacturers, states, companies, armed groups, units): searched by any name or
 * alias in any script (the server folds case, digits and Arabic spellings), filtered by type and country, sorted by
 * any column by the server, a page at a time; investigators and above record new ones here.
 */
const actorSortKeys = ['name', 'actor_type', 'country_code', 'archived', 'created'] as const;

export default function ActorsScreen({ investigationId }: RegisterScreenProps) {
  const { t, label } = useI18n();
  useDocumentTitle(t('actors.title'));
  const access = useInvestigationAccess(investigationId);
  const [text, setText] = useState('');
  const [actorType, setActorType] = useState('');
  const [country, setCountry] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);

  const q = text.trim();
  const countryCode = /^[A-Za-z]{2}$/.test(country.trim()) ? country.trim() : undefined;
  const actors = useServerList({
    keys: actorSortKeys,
    initial: { key: 'name', order: 'asc' },
    filters: [investigationId, q, actorType, countryCode, includeArchived],
    load: ({ after, sort, order, limit }) =>
      call(
        api.GET('/api/v1/investigations/{id}/actors', {
          params: {
            path: { id: investigationId },
            query: {
              limit,
              after,
              sort,
              order,
              q: q === '' ? undefined : q,
              actor_type: actorType === '' ? undefined : (actorType as ActorRecord['actor_type']),
              country_code: countryCode,
              include_archived: includeArchived ? 'true' : 'false',
            },
          },
        }),
      ),
  });

  return (
    <section aria-labelledby="actors-title">
      <div className="page-header">
        <h1 id="actors-title">{t('actors.title')}</h1>
        <p className="lead">{t('actors.intro')}</p>
      </div>
      <CreateToggle
        allowed={access.atLeast('investigator')}
        label={t('actors.new')}
        form={(close) => (
          <ActorForm
            investigationId={investigationId}
            onCreated={(actor) => navigate(paths.actor(investigationId, actor.id))}
            onCancel={close}
          />
        )}
      />
      <div className="filters" role="search" aria-label={t('actors.filters')}>
        <SearchTextField label={t('actors.search')} hint={t('actors.searchHint')} value={text} onChange={setText} />
        <Field label={t('actors.type')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="actorType"
              values={actorTypes}
              value={actorType}
              allowEmpty
              emptyLabel={t('common.all')}
              onChange={setActorType}
            />
          )}
        </Field>
        <Field label={t('actors.country')}>
          {(control) => (
            <input
              {...control}
              dir="ltr"
              maxLength={2}
              value={country}
              onChange={(event) => setCountry(event.target.value)}
            />
          )}
        </Field>
        <IncludeArchivedField
          checked={includeArchived}
          onChange={setIncludeArchived}
          label={t('register.includeArchived')}
        />
      </div>
      <ServerListBody list={actors} rows={actors.rows ?? []} empty={t('actors.empty')}>
        <RegisterTable
          caption={t('actors.title')}
          list={actors}
          rows={actors.rows ?? []}
          rowKey={(actor) => actor.id}
          sortLabels={{
            name: t('actors.name'),
            actor_type: t('actors.type'),
            country_code: t('actors.country'),
            archived: t('register.state'),
            created: t('list.created'),
          }}
          columns={[
            {
              key: 'name',
              header: t('actors.name'),
              sortKey: 'name',
              cell: (actor) => (
                <Link to={paths.actor(investigationId, actor.id)}>
                  <bdi dir="auto">{actor.name}</bdi>
                </Link>
              ),
            },
            {
              key: 'aliases',
              header: t('actors.aliases'),
              cell: (actor) =>
                actor.aliases.map((alias, index) => (
                  <span key={alias}>
                    {index > 0 && ' · '}
                    <bdi dir="auto">{alias}</bdi>
                  </span>
                )),
            },
            {
              key: 'type',
              header: t('actors.type'),
              sortKey: 'actor_type',
              cell: (actor) => label('actorType', actor.actor_type),
            },
            {
              key: 'country',
              header: t('actors.country'),
              sortKey: 'country_code',
              cell: (actor) => <UserText text={actor.country_code} />,
            },
            {
              key: 'state',
              header: t('register.state'),
              sortKey: 'archived',
              cell: (actor) => (actor.archived_at === null ? t('register.inUse') : t('register.archived')),
            },
          ]}
        />
      </ServerListBody>
    </section>
  );
}
