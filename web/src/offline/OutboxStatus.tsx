import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Link, paths } from '../router';
import { syncNow } from './controller';
import { useOnline, useOutboxCounts, useSyncStatus, useVaultState } from './hooks';
import { totalOf } from './outbox';
import { waitingList, waitingSummary } from './summary';

/** The line under the header of every page: offline or not, what waits, "Send now". */
export function OutboxStatus({ offerSetUp = true }: { offerSetUp?: boolean }) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const counts = useOutboxCounts();
  const status = useSyncStatus();
  const state = useVaultState();
  const waiting = waitingSummary(t, locale, counts);
  const setUpOffered = offerSetUp && state === 'absent' && waiting === undefined;
  if (waiting === undefined && online && !setUpOffered && !status.syncing) return null;
  return (
    <div className={`outbox-status${online ? '' : ' outbox-status-offline'}`} role="status" data-testid="outbox-status">
      {!online && <strong className="offline-badge">{t('offline.offline')}</strong>}
      {waiting !== undefined && (
        <Link to={paths.outbox()} className="outbox-waiting">
          {waiting}
        </Link>
      )}
      {setUpOffered && (
        <Link to={paths.outbox()} className="outbox-setup-link">
          {t('offline.setup.banner')}
        </Link>
      )}
      {state === 'locked' && waiting !== undefined && <span>{t('offline.locked')}</span>}
      {status.syncing ? (
        <span>{t('offline.sending')}</span>
      ) : (
        waiting !== undefined &&
        state === 'unlocked' &&
        online && (
          <button type="button" className="button-link" onClick={() => void syncNow()}>
            {t('offline.sendNow')}
          </button>
        )
      )}
      {status.signedOut && <span className="field-error">{t('offline.signInToSend')}</span>}
    </div>
  );
}

/**
 * The sign-out button: with records not yet sent it first says they stay (encrypted, on this device) and asks
 * again; they are never deleted by signing out.
 */
export function SignOutButton({ onSignOut }: { onSignOut: () => void }) {
  const { t, locale } = useI18n();
  const counts = useOutboxCounts();
  const [asking, setAsking] = useState(false);
  const list = waitingList(t, locale, counts);
  const signOut = () => {
    setAsking(false);
    onSignOut();
  };
  return (
    <>
      <button
        type="button"
        className="button-link"
        onClick={() => (totalOf(counts) > 0 ? setAsking(true) : signOut())}
        aria-expanded={asking}
      >
        {t('layout.signOut')}
      </button>
      {asking && list !== undefined && (
        <div className="notice notice-warning sign-out-warning" role="alertdialog" aria-label={t('layout.signOut')}>
          <p>{t('offline.signOut.warning', { list })}</p>
          <div className="actions">
            <button type="button" className="button-primary" onClick={signOut}>
              {t('offline.signOut.confirm')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
