import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { syncNow } from '../../offline/controller';
import { removeOutboxEntry, type OutboxEntry } from '../../offline/outbox';
import { replaceEntry, resend } from '../../offline/sync';
import { vault } from '../../offline/vault';
import { bookkeeping, fieldLabels, parsedLike, shown, vocabularyOf, type Json } from './recordFields';

/**
 * An offline correction of a record changed on the server meanwhile: both versions side by side, field by field;
 * keep mine (sent again on the server's version), keep the server's (after confirming), or send a merged version.
 */
export function ConflictView({ entry, onDone }: { entry: OutboxEntry; onDone: () => void }) {
  const { t, label } = useI18n();
  const fieldName = (key: string) => (fieldLabels[key] === undefined ? key : t(fieldLabels[key]));
  const valueText = (key: string, value: unknown) =>
    vocabularyOf[key] !== undefined && typeof value === 'string' ? label(vocabularyOf[key], value) : shown(value);
  const mine = entry.operation!.body;
  const theirs = entry.conflict?.server_record ?? {};
  const serverVersion = entry.conflict?.server_version ?? 0;
  const fields = Object.keys(mine).filter((key) => !bookkeeping.has(key));
  const [merged, setMerged] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((key) => [key, shown(mine[key])])),
  );
  const [confirmingServer, setConfirmingServer] = useState(false);
  const send = async (body: Json) => {
    await replaceEntry(vault, entry, resend(entry, body, serverVersion));
    onDone();
    void syncNow();
  };
  const keepServer = async () => {
    await removeOutboxEntry(vault, entry.id);
    onDone();
  };
  return (
    <section className="conflict" aria-labelledby={`conflict-${entry.id}`} data-testid="conflict">
      <h3 id={`conflict-${entry.id}`}>{t('offline.conflict.title')}</h3>
      <p>{t('offline.conflict.intro')}</p>
      <div className="table-scroll">
        <table className="conflict-table">
          <thead>
            <tr>
              <th scope="col">{t('offline.conflict.field')}</th>
              <th scope="col">{t('offline.conflict.mine')}</th>
              <th scope="col">{t('offline.conflict.theirs', { version: serverVersion })}</th>
              <th scope="col">{t('offline.conflict.merged')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((key) => {
              const differs = shown(mine[key]) !== shown(theirs[key]);
              return (
                <tr key={key} className={differs ? 'conflict-differs' : undefined}>
                  <th scope="row">{fieldName(key)}</th>
                  <td data-label={t('offline.conflict.mine')}>
                    <bdi dir="auto">{valueText(key, mine[key])}</bdi>
                  </td>
                  <td data-label={t('offline.conflict.theirs', { version: serverVersion })}>
                    <bdi dir="auto">{valueText(key, theirs[key])}</bdi>
                  </td>
                  <td data-label={t('offline.conflict.merged')}>
                    {vocabularyOf[key] !== undefined ? (
                      // A controlled value: one of the two versions', by its label.
                      <select
                        aria-label={`${t('offline.conflict.merged')}: ${fieldName(key)}`}
                        value={merged[key]}
                        onChange={(event) => setMerged((previous) => ({ ...previous, [key]: event.target.value }))}
                      >
                        {[...new Set([shown(mine[key]), shown(theirs[key])])].map((value) => (
                          <option key={value} value={value}>
                            {label(vocabularyOf[key]!, value)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        aria-label={`${t('offline.conflict.merged')}: ${fieldName(key)}`}
                        dir="auto"
                        value={merged[key]}
                        onChange={(event) => setMerged((previous) => ({ ...previous, [key]: event.target.value }))}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="button" className="button-primary" onClick={() => void send(mine)}>
          {t('offline.conflict.keepMine')}
        </button>
        <button
          type="button"
          onClick={() =>
            void send(Object.fromEntries(fields.map((key) => [key, parsedLike(mine[key], merged[key] ?? '')])))
          }
        >
          {t('offline.conflict.sendMerged')}
        </button>
        <button type="button" onClick={() => setConfirmingServer(true)}>
          {t('offline.conflict.keepServer')}
        </button>
      </div>
      {confirmingServer && (
        <div className="notice notice-warning" role="alertdialog" aria-label={t('offline.conflict.keepServer')}>
          <p>{t('offline.conflict.keepServerConfirm')}</p>
          <div className="actions">
            <button type="button" className="button-primary" onClick={() => void keepServer()}>
              {t('offline.conflict.keepServer')}
            </button>
            <button type="button" onClick={() => setConfirmingServer(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
