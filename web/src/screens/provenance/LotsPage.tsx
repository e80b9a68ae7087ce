import { useState, type SubmitEvent } from 'react';
import { api, call } from '../../api/client';
import { Field, LoadedSection } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths } from '../../router';
import { tracingPaths } from '../trace-requests/paths';

const pageSize = 20;

/**
 * Lots of this investigation read at several sites (the shared-lot view), widest spread first, each opening its
 * provenance; or any lot marking typed in.
 */
export function LotsPage({ investigationId }: { investigationId: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('lots.title'));
  const [lot, setLot] = useState('');
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState(pageSize);
  const lots = useLoad(
    () =>
      call(api.GET('/api/v1/markings/lots', { params: { query: { investigation_id: investigationId, limit: 200 } } })),
    [investigationId],
  );
  const open = (event: SubmitEvent) => {
    event.preventDefault();
    if (lot.trim() !== '') navigate(tracingPaths.lot(investigationId, lot.trim()));
  };
  const folded = filter.trim().toLocaleLowerCase();
  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={tracingPaths.list(investigationId)}>{t('trace.title')}</Link>
        </p>
        <h1>{t('lots.title')}</h1>
      </header>
      <form className="form-inline section" role="search" aria-label={t('lots.open')} onSubmit={open}>
        <Field label={t('lots.marking')} hint={t('lots.markingHint')}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              spellCheck={false}
              value={lot}
              onChange={(event) => setLot(event.target.value)}
            />
          )}
        </Field>
        <button type="submit">{t('lots.open')}</button>
      </form>
      <LoadedSection
        id="shared-lots"
        title={t('lots.shared')}
        intro={t('lots.sharedIntro')}
        loaded={lots}
        isEmpty={(data) => data.items.length === 0}
        empty={t('lots.none')}
      >
        {(data) => {
          const matching = data.items.filter(
            (group) => folded === '' || group.variants.some((variant) => variant.toLocaleLowerCase().includes(folded)),
          );
          return (
            <>
              <Field label={t('lots.filter')}>
                {(control) => (
                  <input
                    {...control}
                    type="search"
                    dir="auto"
                    value={filter}
                    onChange={(event) => {
                      setFilter(event.target.value);
                      setShown(pageSize);
                    }}
                  />
                )}
              </Field>
              <ul className="plain-list lot-list">
                {matching.slice(0, shown).map((group) => (
                  <li key={group.confusion_key} data-testid="shared-lot">
                    <Link to={tracingPaths.lot(investigationId, group.variants[0] ?? group.confusion_key)}>
                      <bdi dir="auto">{group.variants.join(' · ')}</bdi>
                    </Link>
                    <br />
                    <span className="muted small">{t('lots.spread', { items: group.items, sites: group.sites })}</span>
                  </li>
                ))}
              </ul>
              {matching.length > shown && (
                <button type="button" onClick={() => setShown(shown + pageSize)}>
                  {t('lots.more', { count: matching.length - shown })}
                </button>
              )}
            </>
          );
        }}
      </LoadedSection>
    </div>
  );
}
