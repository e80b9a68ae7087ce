import { useEffect, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { LanguagePicker } from '../components/Layout';
import { ErrorNotice, Field, Loading } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { WrongPassphraseError } from './crypto';
import { useOnline, useOutboxCounts, useVaultState } from './hooks';
import { waitingSummary } from './summary';
import { minimumPassphraseLength, vault } from './vault';

/** Asks for the offline passphrase after a reload or a browser restart (the key is only ever in memory). */
export function UnlockScreen({ onSkip }: { onSkip: () => void }) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const counts = useOutboxCounts();
  const [passphrase, setPassphrase] = useState('');
  const [wrong, setWrong] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setWrong(false);
    setError(undefined);
    try {
      await vault.unlock(passphrase);
    } catch (caught) {
      if (caught instanceof WrongPassphraseError) setWrong(true);
      else setError(caught);
      setPassphrase('');
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  const waiting = waitingSummary(t, locale, counts);
  return (
    <main className="sign-in unlock-screen" id="main">
      <div className="sign-in-tools">
        <LanguagePicker />
      </div>
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="unlock-title">
        <p className="brand">armtrace</p>
        <h1 id="unlock-title">{t('offline.unlock.title')}</h1>
        <p>{t('offline.unlock.intro')}</p>
        {waiting !== undefined && (
          <p className="outbox-waiting" role="status">
            {waiting}
          </p>
        )}
        <Field label={t('offline.passphrase')} error={wrong ? t('offline.unlock.wrong') : undefined}>
          {(control) => (
            <input
              {...control}
              ref={inputRef}
              type="password"
              autoComplete="current-password"
              value={passphrase}
              onChange={(event) => setPassphrase(event.target.value)}
            />
          )}
        </Field>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy || passphrase === ''}>
            {busy ? t('offline.unlock.busy') : t('offline.unlock.submit')}
          </button>
          {online && (
            <button type="button" className="button-link" onClick={onSkip}>
              {t('offline.unlock.skip')}
            </button>
          )}
        </div>
      </form>
    </main>
  );
}

/** The unlock form inside the app (the outbox screen), for a user who went on without unlocking at first. */
export function UnlockForm() {
  const { t } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const [wrong, setWrong] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setWrong(false);
    setError(undefined);
    try {
      await vault.unlock(passphrase);
    } catch (caught) {
      if (caught instanceof WrongPassphraseError) setWrong(true);
      else setError(caught);
      setPassphrase('');
    }
  };
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-label={t('offline.unlock.title')}>
      <p>{t('offline.locked')}</p>
      <Field label={t('offline.passphrase')} error={wrong ? t('offline.unlock.wrong') : undefined}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        )}
      </Field>
      <ErrorNotice error={error} />
      <button type="submit" className="button-primary" disabled={passphrase === ''}>
        {t('offline.unlock.submit')}
      </button>
    </form>
  );
}

/** Shows the unlock screen while the offline store is locked; the app otherwise. */
export function OfflineGate({ children }: { children: ReactNode }) {
  const state = useVaultState();
  const [skipped, setSkipped] = useState(false);
  useEffect(() => {
    // A browser that refuses IndexedDB (some private windows) simply works online.
    void vault.load().catch(() => vault.markUnavailable());
  }, []);
  // A browser without IndexedDB (or one refusing it) simply works online.
  if (state === 'loading') return <Loading />;
  if (state === 'locked' && !skipped) return <UnlockScreen onSkip={() => setSkipped(true)} />;
  return <>{children}</>;
}

/** Sets the offline passphrase on a device that has none. */
export function OfflineSetup() {
  const { t } = useI18n();
  const state = useVaultState();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<{ field: 'passphrase' | 'repeat'; message: string } | undefined>();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  if (state === 'unlocked') return <p className="notice notice-success">{t('offline.setup.done')}</p>;
  if (state !== 'absent') return null;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setError(undefined);
    if (passphrase.length < minimumPassphraseLength) {
      setProblem({ field: 'passphrase', message: t('offline.setup.tooShort', { count: minimumPassphraseLength }) });
      return;
    }
    if (passphrase !== repeat) {
      setProblem({ field: 'repeat', message: t('offline.setup.mismatch') });
      return;
    }
    setBusy(true);
    try {
      await vault.setUp(passphrase);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card offline-setup" onSubmit={(event) => void submit(event)} aria-labelledby="offline-setup-title">
      <h2 id="offline-setup-title">{t('offline.setup.title')}</h2>
      <p>{t('offline.setup.intro')}</p>
      <Field
        label={t('offline.passphrase')}
        error={problem?.field === 'passphrase' ? problem.message : undefined}
        hint={t('offline.setup.tooShort', { count: minimumPassphraseLength })}
      >
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('offline.setup.confirm')} error={problem?.field === 'repeat' ? problem.message : undefined}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(event) => setRepeat(event.target.value)}
          />
        )}
      </Field>
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('offline.setup.submit')}
        </button>
      </div>
    </form>
  );
}
