import { useCallback, useEffect, useState } from 'react';
import { Loading } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { outboxEntries, syncNow } from '../../offline/controller';
import { useOnline, useSyncStatus, useVaultState } from '../../offline/hooks';
import { OfflineSetup, UnlockForm } from '../../offline/OfflineScreens';
import { onOutboxChange, type OutboxEntry } from '../../offline/outbox';
import { vault } from '../../offline/vault';
import { FieldPack } from './FieldPack';
import { EntryRow } from './OutboxEntryRow';

/** The outbox screen: offline set-up, what waits with its status and errors, corrections and conflicts. */
export function OutboxPage() {
  const { t } = useI18n();
  useDocumentTitle(t('offline.outbox.title'));
  const state = useVaultState();
  const online = useOnline();
  const status = useSyncStatus();
  const [entries, setEntries] = useState<OutboxEntry[] | undefined>(undefined);
  const reload = useCallback(() => {
    void outboxEntries().then(setEntries);
  }, []);
  useEffect(() => {
    reload();
    const stop = onOutboxChange(reload);
    const stopVault = vault.subscribe(reload);
    return () => {
      stop();
      stopVault();
    };
  }, [reload]);
  return (
    <div className="page outbox-page">
      <header className="page-header">
        <h1>{t('offline.outbox.title')}</h1>
        <p className="muted">{t('offline.outbox.intro')}</p>
      </header>
      <OfflineSetup />
      {status.clockSkewFlagged && <p className="notice notice-warning">{t('offline.outbox.clockSkew')}</p>}
      {status.lastError !== undefined && !status.signedOut && (
        <p className="notice notice-error">
          <bdi dir="auto">
            {t('offline.lastError', {
              detail: status.lastErrorUnreachable ? t('error.network') : status.lastError,
            })}
          </bdi>
        </p>
      )}
      {status.signedOut && <p className="notice notice-error">{t('offline.signInToSend')}</p>}
      {state === 'unlocked' && (
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            disabled={!online || status.syncing || entries === undefined || entries.length === 0}
            onClick={() => void syncNow()}
          >
            {status.syncing ? t('offline.sending') : t('offline.sendNow')}
          </button>
        </div>
      )}
      {state === 'locked' ? (
        <UnlockForm />
      ) : entries === undefined ? (
        <Loading />
      ) : entries.length === 0 ? (
        <p className="empty">{t('offline.outbox.empty')}</p>
      ) : (
        <ul className="outbox-list" aria-label={t('offline.outbox.title')}>
          {entries.map((entry) => (
            <EntryRow key={entry.id} entry={entry} onChanged={reload} />
          ))}
        </ul>
      )}
      <FieldPack />
    </div>
  );
}
