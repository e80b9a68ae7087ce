import { useEffect, useId, useState } from 'react';
import { api, call, type AuditEntry } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorNotice, Loading, UserText } from '../ui';
import { changedFields, valueText } from './recordDiff';

/** Entries per page. */
const pageSize = 20;

/**
 * The audit history of one record (its `entity_id`), newest first: who, when, what they did and which fields
 * changed from what to what. Older entries load page by page ("Show older", through `before_seq`). Changing
 * `refreshKey` (e.g. the record's version) reloads it, so a save or an archive shows up at once.
 *
 * @example
 * <RecordHistory investigationId={investigationId} entityId={site.id} refreshKey={site.version}
 *   fieldLabels={{ name: t('site.name'), precision_m: t('site.precision') }} />
 */
export function RecordHistory({
  investigationId,
  entityId,
  refreshKey,
  fieldLabels = {},
  title,
}: {
  investigationId: string;
  entityId: string;
  refreshKey?: string | number;
  /** The fields' names in the user's language, by the API's field names; a field without one shows its key. */
  fieldLabels?: Readonly<Record<string, string>>;
  /** The section's heading; "History" when not given. */
  title?: string;
}) {
  const { t, label, formatDateTime } = useI18n();
  const id = useId();
  const [entries, setEntries] = useState<AuditEntry[] | undefined>(undefined);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const readPage = (beforeSeq: number | undefined) =>
    call(
      api.GET('/api/v1/investigations/{id}/audit', {
        params: {
          path: { id: investigationId },
          query: {
            entity_id: entityId,
            limit: pageSize,
            ...(beforeSeq === undefined ? {} : { before_seq: beforeSeq }),
          },
        },
      }),
    );

  useEffect(() => {
    let current = true;
    setError(undefined);
    readPage(undefined).then(
      (page) => {
        if (!current) return;
        setEntries(page.items);
        setMore(page.items.length === pageSize);
      },
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
    // readPage reads only these.
  }, [investigationId, entityId, refreshKey]);

  const showOlder = async () => {
    const last = entries?.at(-1);
    if (last === undefined) return;
    setBusy(true);
    try {
      const page = await readPage(last.seq);
      setEntries((previous) => [...(previous ?? []), ...page.items]);
      setMore(page.items.length === pageSize);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const text = (value: unknown) => {
    const shown = valueText(value);
    return shown === '' ? (
      <span className="muted">{t('record.history.emptyValue')}</span>
    ) : (
      <bdi dir="auto">{shown}</bdi>
    );
  };

  return (
    <section className="section record-history" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title ?? t('record.history.title')}</h2>
      {error !== undefined && <ErrorNotice error={error} />}
      {entries === undefined ? (
        error === undefined && <Loading />
      ) : entries.length === 0 ? (
        <p className="empty">{t('audit.empty')}</p>
      ) : (
        <ol className="timeline record-history-list">
          {entries.map((entry) => {
            const changes = changedFields(entry.before, entry.after);
            return (
              <li key={entry.seq} data-action={entry.action}>
                <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                <div>
                  <UserText text={entry.actor_label} /> · {label('action', entry.action)}
                  {changes.length > 0 && (
                    <ul className="record-history-changes">
                      {changes.map((change) => (
                        <li key={change.key}>
                          <span className="record-history-field">{fieldLabels[change.key] ?? change.key}</span>
                          {t('record.history.colon')}
                          {text(change.before)} <span aria-hidden="true">{t('record.history.arrow')}</span>
                          <span className="visually-hidden">{t('record.history.becomes')}</span> {text(change.after)}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {more && (
        <button type="button" onClick={() => void showOlder()} disabled={busy}>
          {t('record.history.older')}
        </button>
      )}
    </section>
  );
}
