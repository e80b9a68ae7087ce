import { api, call } from '../../api/client';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { PasswordForm } from './PasswordForm';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';

/** The account part of the settings page: password, API tokens, sessions, and the users screen for administrators. */
export function AccountSettings() {
  const { t } = useI18n();
  const me = useLoad(() => call(api.GET('/api/v1/auth/me')), []);
  return (
    <>
      <PasswordForm />
      <TokensSection />
      <SessionsSection />
      {me.data?.is_admin === true && (
        <section className="section card" aria-labelledby="admin-users-title">
          <h2 id="admin-users-title">{t('people.usersTitle')}</h2>
          <p>
            <Link to={paths.users()}>{t('people.manageUsers')}</Link>
          </p>
        </section>
      )}
    </>
  );
}
