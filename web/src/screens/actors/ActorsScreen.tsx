import { useState } from 'react';
import { api, call, readAllPages, type ActorRecord } from '../../api/client';
import { RegisterTable } from '../../components/RegisterTable';
import { CreateToggle, SearchTextField } from '../../components/RegisterListParts';
import { useInvestigationAccess } from '../../components/useInvestigationAccess';
import { EmptyState, ErrorNotice, Field, Loading, UserText, VocabularySelect } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths, type RegisterScreenProps } from '../../router';
import { ActorForm, actorTypes } from '../actor/ActorForm';

/**
 * The actors of an investigation (manufacturers, states, companies, armed groups, units): searched by any name or
 * alias in any script (the server folds case, digits and Arabic spellings), filtered by type and country, sorted by
 * any column, a page at a time; investigators and above record new ones here.
 */
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
  const actors = useLoad(
    () =>
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/actors', {
            params: {
              path: { id: investigationId },
              query: {
                limit: 500,
                after,
                q: q === '' ? undefined : q,
                actor_type: actorType === '' ? undefined : (actorType as ActorRecord['actor_type']),
                country_code: countryCode,
                include_archived: includeArchived ? 'true' : 'false',
              },
            },
          }),
        ),
      ),
    [investigationId, q, actorType, countryCode, includeArchived],
  );

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
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={includeArchived}
            onChange={(event) => setIncludeArchived(event.target.checked)}
          />{' '}
          {t('register.includeArchived')}
        </label>
      </div>
      {actors.error !== undefined && <ErrorNotice error={actors.error} />}
      {actors.data === undefined && actors.error === undefined && <Loading />}
      {actors.data !== undefined &&
        (actors.data.rows.length === 0 ? (
          <EmptyState>{t('actors.empty')}</EmptyState>
        ) : (
          <RegisterTable
            caption={t('actors.title')}
            rows={actors.data.rows}
            rowKey={(actor) => actor.id}
            initialSort={{ key: 'name', ascending: true }}
            columns={[
              {
                key: 'name',
                header: t('actors.name'),
                sortValue: (actor) => actor.name,
                cell: (actor) => (
                  <Link to={paths.actor(investigationId, actor.id)}>
                    <bdi dir="auto">{actor.name}</bdi>
                  </Link>
                ),
              },
              {
                key: 'aliases',
                header: t('actors.aliases'),
                sortValue: (actor) => actor.aliases[0] ?? null,
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
                sortValue: (actor) => label('actorType', actor.actor_type),
                cell: (actor) => label('actorType', actor.actor_type),
              },
              {
                key: 'country',
                header: t('actors.country'),
                sortValue: (actor) => actor.country_code,
                cell: (actor) => <UserText text={actor.country_code} />,
              },
              {
                key: 'state',
                header: t('register.state'),
                sortValue: (actor) => (actor.archived_at === null ? 0 : 1),
                cell: (actor) => (actor.archived_at === null ? t('register.inUse') : t('register.archived')),
              },
            ]}
          />
        ))}
      {actors.data?.truncated === true && <p className="muted">{t('inventory.truncated')}</p>}
    </section>
  );
}
