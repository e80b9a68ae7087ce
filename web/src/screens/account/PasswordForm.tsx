import { useState, type SubmitEvent } from 'react';
import { api, ApiError } from '../../api/client';
import { ErrorNotice, Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../people/useAction';

/** Your own password: the current one and a new one; every other session and every token of yours then ends. */
export function PasswordForm() {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [changed, setChanged] = useState(false);
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setChanged(false);
    void action.run(async () => {
      const { response, error } = await api.POST('/api/v1/auth/password', {
        body: { current_password: current, new_password: next },
      });
      if (!response.ok) throw new ApiError(response.status, error as ApiError['problem']);
      setCurrent('');
      setNext('');
      setChanged(true);
    });
  };
  return (
    <form className="section card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">{t('account.passwordTitle')}</h2>
      <p className="muted">{t('account.passwordIntro')}</p>
      {action.fields.current_password === undefined && action.fields.new_password === undefined && (
        <ErrorNotice error={action.error} />
      )}
      <Field label={t('account.currentPassword')} error={action.fields.current_password}>
        {(control) => (
          <input
            {...control}
            name="current_password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('account.newPassword')} hint={t('account.newPasswordHint')} error={action.fields.new_password}>
        {(control) => (
          <input
            {...control}
            name="new_password"
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(event) => setNext(event.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={action.busy}>
          {t('account.changePassword')}
        </button>
        {changed && (
          <span role="status" className="muted">
            {t('account.passwordChanged')}
          </span>
        )}
      </div>
    </form>
  );
}
