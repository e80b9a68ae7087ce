import { useEffect, useState, type SubmitEvent } from 'react';
import { api, call, type NewMarking } from '../api/client';
import { markingKinds } from '../api/vocabulary';
import { Appended, EmptyState, ErrorNotice, Field, Loading, UserText, VocabularySelect } from '../components/ui';
import { useDocumentTitle, useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { Link, navigate, paths, useLocation } from '../router';

type MarkingKind = NewMarking['kind'];

/**
 * One box, three searches: markings (fuzzy, closest first; of one kind, and
 * in every investigation the user can read, if asked), sites by name, items
 * by text. The filters live in the URL, so a search can be shared.
 */
export function SearchPage({ investigationId }: { investigationId: string }) {
  const { t, label, locale } = useI18n();
  useDocumentTitle(t('search.title'));
  const { query } = useLocation();
  const q = query.get('q')?.trim() ?? '';
  const kindParam = query.get('kind') ?? '';
  const kind = (markingKinds as readonly string[]).includes(kindParam) ? (kindParam as MarkingKind) : undefined;
  const everywhere = query.get('scope') === 'all';
  const [text, setText] = useState(q);
  const [kindChoice, setKindChoice] = useState<string>(kind ?? '');
  const [everywhereChoice, setEverywhereChoice] = useState(everywhere);
  useEffect(() => setText(q), [q]);
  useEffect(() => setKindChoice(kind ?? ''), [kind]);
  useEffect(() => setEverywhereChoice(everywhere), [everywhere]);

  const results = useLoad(async () => {
    if (q === '') return undefined;
    const id = { id: investigationId };
    const [markings, sites, items] = await Promise.all([
      // The ranked search explains each match (score and differences); the list endpoint only scores.
      call(
        api.GET('/api/v1/markings/search', {
          params: { query: { q, investigation_id: everywhere ? undefined : investigationId, kind, limit: 25 } },
        }),
      ),
      call(api.GET('/api/v1/investigations/{id}/sites', { params: { path: id, query: { q, limit: 25 } } })),
      call(api.GET('/api/v1/investigations/{id}/items', { params: { path: id, query: { q, limit: 25 } } })),
    ]);
    return { markings: markings.items, sites: sites.items, items: items.items };
  }, [investigationId, q, kind, everywhere]);

  const percent = new Intl.NumberFormat(locale, { style: 'percent' });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    navigate(paths.search(investigationId, text.trim(), { kind: kindChoice, everywhere: everywhereChoice }));
  };

  return (
    <div className="page">
      <h1>{t('search.title')}</h1>
      <form role="search" className="search-form" onSubmit={submit}>
        <Field label={t('search.label')} hint={t('search.hint')}>
          {(control) => (
            <input
              {...control}
              type="search"
              name="q"
              dir="auto"
              autoFocus
              spellCheck={false}
              autoComplete="off"
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('search.markingKind')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="markingKind"
              values={markingKinds}
              value={kindChoice}
              onChange={setKindChoice}
              allowEmpty
              emptyLabel={t('search.anyKind')}
            />
          )}
        </Field>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={everywhereChoice}
            onChange={(event) => setEverywhereChoice(event.target.checked)}
          />
          {t('search.everywhere')}
        </label>
        <button type="submit" className="button-primary">
          {t('search.submit')}
        </button>
      </form>

      {results.error !== undefined && <ErrorNotice error={results.error} />}
      {q !== '' && results.loading && <Loading />}
      {results.data !== undefined && (
        <div aria-live="polite">
          <section className="section" aria-labelledby="marking-results-title">
            <h2 id="marking-results-title">
              {t(everywhere ? 'search.markingsEverywhere' : 'search.markings', {
                count: results.data.markings.length,
              })}
            </h2>
            {results.data.markings.length === 0 ? (
              <EmptyState>{t('search.noMarkings')}</EmptyState>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('marking.text')}</th>
                      <th scope="col">{t('marking.kind')}</th>
                      <th scope="col">{t('item.item')}</th>
                      <th scope="col">{t('item.site')}</th>
                      <th scope="col" className="numeric">
                        {t('search.score')}
                      </th>
                      <th scope="col">{t('search.explanation')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {results.data.markings.map((marking) => (
                      <tr key={marking.id}>
                        <td className="marking-text-cell">
                          <Link to={paths.item(marking.investigation_id, marking.item_id)}>
                            <bdi dir="auto">{marking.text}</bdi>
                          </Link>
                        </td>
                        <td>{label('markingKind', marking.kind)}</td>
                        <td>
                          {label('category', marking.item.category)}
                          <Appended separator=" · " text={marking.item.model} />
                        </td>
                        <td>
                          <Link to={paths.site(marking.investigation_id, marking.site.id)}>
                            <UserText text={marking.site.name} />
                          </Link>
                        </td>
                        <td className="numeric">{percent.format(marking.score)}</td>
                        <td className="explanation-cell">
                          {marking.explanation === '' || marking.explanation === 'exact' ? (
                            <span className="muted">{t('search.exact')}</span>
                          ) : (
                            <bdi dir="ltr">{marking.explanation}</bdi>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <div className="grid-2">
            <section className="section" aria-labelledby="site-results-title">
              <h2 id="site-results-title">{t('search.sites', { count: results.data.sites.length })}</h2>
              {results.data.sites.length === 0 ? (
                <EmptyState>{t('search.noSites')}</EmptyState>
              ) : (
                <ul className="link-list">
                  {results.data.sites.map((site) => (
                    <li key={site.id}>
                      <Link to={paths.site(investigationId, site.id)}>
                        <UserText text={site.name} />
                      </Link>{' '}
                      <span className="muted">{label('siteType', site.site_type)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="section" aria-labelledby="item-results-title">
              <h2 id="item-results-title">{t('search.items', { count: results.data.items.length })}</h2>
              {results.data.items.length === 0 ? (
                <EmptyState>{t('search.noItems')}</EmptyState>
              ) : (
                <ul className="link-list">
                  {results.data.items.map((item) => (
                    <li key={item.id}>
                      <Link to={paths.item(investigationId, item.id)}>
                        {label('category', item.category)}
                        <Appended separator=" · " text={item.model} />
                      </Link>{' '}
                      <span className="muted">{t('search.quantity', { count: item.quantity })}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </div>
      )}
    </div>
  );
}
