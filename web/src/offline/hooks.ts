import { useEffect, useState, useSyncExternalStore } from 'react';
import { syncStatus, type SyncStatus } from './controller';
import { countOutbox, onOutboxChange, type OutboxCounts } from './outbox';
import { vault, type VaultState } from './vault';

/** The offline store's state: absent, locked or unlocked. */
export function useVaultState(): VaultState {
  return useSyncExternalStore(vault.subscribe, vault.getState);
}

/** What waits in the outbox, by kind (readable while locked too), updated on every change. */
export function useOutboxCounts(): OutboxCounts {
  const [counts, setCounts] = useState<OutboxCounts>({});
  useEffect(() => {
    let current = true;
    const read = () =>
      void countOutbox(vault).then(
        (next) => current && setCounts(next),
        () => undefined,
      );
    read();
    const stop = onOutboxChange(read);
    const stopVault = vault.subscribe(read);
    return () => {
      current = false;
      stop();
      stopVault();
    };
  }, []);
  return counts;
}

export function useSyncStatus(): SyncStatus {
  return useSyncExternalStore(syncStatus.subscribe, syncStatus.get);
}

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Whether the browser believes it has a network connection. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}
