import { useState, type SubmitEvent } from 'react';
import { api, ApiError, call, type Me } from '../../api/client';
import { LanguagePicker } from '../../components/Layout';
import { OneTimeCodeField } from '../../components/OneTimeCodeField';
import { ErrorNotice, Field } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';

export function SignInPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  useDocumentTitle(t('signIn.title'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  /** Set when the password was right and the account asks for a second factor. */
  const [pendingToken, setPendingToken] = useState<string | undefined>(undefined);
  const [code, setCode] = useState('');

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (pendingToken !== undefined) {
        const finished = await call(
          api.POST('/api/v1/auth/sign-in/second-factor', { body: { pending_token: pendingToken, code } }),
        );
        onSignedIn(finished.user);
        return;
      }
      const signedIn = await call(api.POST('/api/v1/auth/sign-in', { body: { username, password } }));
      if ('pending_token' in signedIn) {
        setPendingToken(signedIn.pending_token);
        setBusy(false);
        return;
      }
      onSignedIn(signedIn.user);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const wrongCredentials = pendingToken === undefined && error instanceof ApiError && error.status === 401;
  return (
    <main className="sign-in" id="main">
      <div className="sign-in-tools">
        <LanguagePicker />
      </div>
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <p className="brand">armtrace</p>
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.intro')}</p>
        {wrongCredentials ? (
          <div className="notice notice-error" role="alert">
            <p>{t('signIn.wrongCredentials')}</p>
          </div>
        ) : (
          <ErrorNotice error={error} />
        )}
        {pendingToken !== undefined ? (
          <>
            <p>{t('twoFactor.signIn.intro')}</p>
            <OneTimeCodeField label={t('twoFactor.signIn.code')} value={code} onChange={setCode} autoFocus />
          </>
        ) : (
          <>
            <Field label={t('signIn.username')}>
              {(control) => (
                <input
                  {...control}
                  name="username"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  required
                  autoFocus
                  value={username}
                  onChange={(event) => setUsername(event.target.value)}
                />
              )}
            </Field>
            <Field label={t('signIn.password')}>
              {(control) => (
                <input
                  {...control}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                />
              )}
            </Field>
          </>
        )}
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('signIn.signingIn') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
