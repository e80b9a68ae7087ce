import { useState, type SubmitEvent } from 'react';
import { api, ApiError, call } from '../api/client';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { OneTimeCodeField } from './OneTimeCodeField';
import { ErrorNotice, Field } from './ui';

/**
 * Two-factor sign-in on the settings page: enrol an authenticator app (the otpauth:// URI and the secret are
 * shown once), confirm with a code, then show the ten recovery codes once; or disable it with password and code.
 */
export function TwoFactorSettings() {
  const { t } = useI18n();
  const status = useLoad(() => call(api.GET('/api/v1/auth/2fa')), []);
  const [enrolment, setEnrolment] = useState<{ otpauth_uri: string; secret: string } | undefined>(undefined);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>(undefined);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(async () => {
      setRecoveryCodes(undefined);
      setEnrolment(await call(api.POST('/api/v1/auth/2fa/enrol')));
    });

  const confirm = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const confirmed = await call(api.POST('/api/v1/auth/2fa/confirm', { body: { code } }));
      setEnrolment(undefined);
      setCode('');
      setRecoveryCodes(confirmed.recovery_codes);
      status.reload();
    });
  };

  const disable = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const { response, error: problem } = await api.POST('/api/v1/auth/2fa/disable', { body: { password, code } });
      if (!response.ok) throw new ApiError(response.status, problem as ApiError['problem']);
      setPassword('');
      setCode('');
      status.reload();
    });
  };

  const codeField = <OneTimeCodeField label={t('twoFactor.code')} value={code} onChange={setCode} />;

  return (
    <section className="section card" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t('twoFactor.title')}</h2>
      <ErrorNotice error={error ?? status.error} />
      {recoveryCodes !== undefined && (
        <div className="notice" role="status">
          <p>{t('twoFactor.recoveryCodesIntro')}</p>
          <pre dir="ltr">{recoveryCodes.join('\n')}</pre>
        </div>
      )}
      {status.data?.enabled === true ? (
        <form onSubmit={disable}>
          <p>{t('twoFactor.enabled', { count: status.data.recovery_codes_left })}</p>
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
          {codeField}
          <button type="submit" disabled={busy}>
            {t('twoFactor.disable')}
          </button>
        </form>
      ) : enrolment !== undefined ? (
        <form onSubmit={confirm}>
          <p>{t('twoFactor.scanIntro')}</p>
          <p dir="ltr">
            <a href={enrolment.otpauth_uri}>{enrolment.otpauth_uri}</a>
          </p>
          <p>
            {t('twoFactor.secret')} <code dir="ltr">{enrolment.secret}</code>
          </p>
          {codeField}
          <button type="submit" className="button-primary" disabled={busy}>
            {t('twoFactor.confirm')}
          </button>
        </form>
      ) : (
        <>
          <p>{t('twoFactor.intro')}</p>
          <button
            type="button"
            className="button-primary"
            disabled={busy || status.loading}
            onClick={() => void start()}
          >
            {t('twoFactor.enrol')}
          </button>
        </>
      )}
    </section>
  );
}
