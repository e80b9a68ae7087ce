import { useEffect, useId, useState } from 'react';
import { api, call, type MarkingHit } from '../api/client';
import { isolate, useI18n } from '../i18n/i18n';
import { Link, paths } from '../router';
import { Appended, ErrorNotice } from './ui';

const debounceMs = 150;

/**
 * Markings at other items (in any investigation the user can read) that match
 * the marking being typed: the marking search's first 10 for the text (same
 * ranking, same explanation of what differed), asked 150 ms after the last key
 * press, with the request for older text cancelled.
 */
export function SeenElsewhere({
  text,
  itemId,
  investigationId,
}: {
  text: string;
  /** The item being described, whose own markings are left out; none while it is being captured. */
  itemId?: string;
  investigationId: string;
}) {
  const { t, label, locale } = useI18n();
  const [result, setResult] = useState<{ text: string; hits?: MarkingHit[]; error?: unknown }>({ text: '' });
  const query = text.trim();
  const titleId = useId();

  useEffect(() => {
    if (query === '') return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      call(
        api.GET('/api/v1/markings/seen-elsewhere', {
          params: { query: { text: query, item_id: itemId, limit: 10 } },
          signal: controller.signal,
        }),
      ).then(
        (found) => setResult({ text: query, hits: found.items }),
        (error: unknown) => {
          if (!controller.signal.aborted) setResult({ text: query, error });
        },
      );
    }, debounceMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query, itemId]);

  const percent = new Intl.NumberFormat(locale, { style: 'percent' });
  const current = query !== '' && result.text === query ? result : undefined;
  const hits = current?.hits ?? [];

  return (
    <section className="seen-elsewhere" aria-labelledby={titleId} data-testid="seen-elsewhere">
      <h3 id={titleId}>{t('seenElsewhere.title')}</h3>
      <div aria-live="polite">
        {query === '' && <p className="field-hint">{t('seenElsewhere.hint')}</p>}
        {current?.error !== undefined && <ErrorNotice error={current.error} />}
        {current?.hits !== undefined && hits.length === 0 && (
          <p className="field-hint">{t('seenElsewhere.none', { text: isolate(query) })}</p>
        )}
        {hits.length > 0 && (
          <ul className="hit-list">
            {hits.map((hit) => (
              <li key={hit.id}>
                <span className="marking-text-cell">
                  <bdi dir="auto">{hit.text}</bdi>
                </span>{' '}
                <span className="badge" title={t('search.score')}>
                  {percent.format(hit.score)}
                </span>
                <Link to={paths.item(hit.investigation_id, hit.item.id)}>
                  {label('category', hit.item.category)}
                  <Appended separator=" · " text={hit.item.model} />
                </Link>{' '}
                <span className="muted">
                  {t('seenElsewhere.atSite')} <bdi dir="auto">{hit.site.name}</bdi>
                  {hit.investigation_id !== investigationId && ` · ${t('seenElsewhere.otherInvestigation')}`}
                </span>
                {hit.explanation !== '' && (
                  <span className="hit-explanation small">
                    {t('search.explanation')}{' '}
                    {hit.explanation === 'exact' ? (
                      t('search.exact')
                    ) : (
                      <bdi dir="ltr" className="marking-text-cell">
                        {hit.explanation}
                      </bdi>
                    )}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
