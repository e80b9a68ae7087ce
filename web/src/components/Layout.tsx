import { useEffect, useRef, type ReactNode } from 'react';
import type { Investigation, Me } from '../api/client';
import { localeNames, locales, useI18n, type Locale } from '../i18n/i18n';
import { OutboxStatus, SignOutButton } from '../offline/OutboxStatus';
import { Link, navigate, paths, useLocation } from '../router';
import { adminNavItems, transferNavItems } from '../screens/transferNav';

export function LanguagePicker() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="language-picker">
      <span>{t('layout.language')}</span>
      <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
        {locales.map((option) => (
          <option key={option} value={option} lang={option}>
            {localeNames[option]}
          </option>
        ))}
      </select>
    </label>
  );
}

function InvestigationSwitcher({
  investigations,
  currentId,
}: {
  investigations: Investigation[];
  currentId: string | undefined;
}) {
  const { t, label } = useI18n();
  const current = investigations.find((investigation) => investigation.id === currentId);
  return (
    <div className="switcher">
      <label className="switcher-label">
        <span>{t('layout.investigation')}</span>
        <select
          value={currentId ?? ''}
          onChange={(event) => {
            if (event.target.value !== '') navigate(paths.overview(event.target.value));
          }}
        >
          {currentId === undefined && <option value="">{t('layout.chooseInvestigation')}</option>}
          {investigations.map((investigation) => (
            <option key={investigation.id} value={investigation.id} dir="auto">
              {investigation.title}
            </option>
          ))}
        </select>
      </label>
      {current !== undefined && (
        <span className="role-badge" title={t('layout.yourRole')}>
          {t('layout.role', { role: label('role', current.my_role) })}
        </span>
      )}
    </div>
  );
}

/** The frame of every signed-in page: header, navigation, and the page as `main`. */
export function Layout({
  me,
  investigations,
  investigationId,
  onSignOut,
  children,
}: {
  me: Me;
  investigations: Investigation[];
  investigationId: string | undefined;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { path } = useLocation();
  const mainRef = useRef<HTMLElement>(null);

  // After navigation, move focus to the new page unless the page focused a field of its own.
  useEffect(() => {
    const main = mainRef.current;
    if (main !== null && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
    // At phone width the navigation scrolls sideways: keep the current page's entry in sight.
    const current = document.querySelector<HTMLElement>('.nav-list a[aria-current="page"]');
    const list = current?.closest<HTMLElement>('.nav-list');
    if (current && list) {
      const entry = current.getBoundingClientRect();
      const row = list.getBoundingClientRect();
      if (entry.left < row.left || entry.right > row.right) list.scrollLeft += entry.left - row.left - 16;
    }
  }, [path]);

  const navItems =
    investigationId === undefined
      ? []
      : [
          { to: paths.overview(investigationId), label: t('nav.overview') },
          { to: paths.map(investigationId), label: t('nav.map') },
          { to: paths.search(investigationId), label: t('nav.search') },
          { to: paths.analysis(investigationId), label: t('nav.analysis') },
          { to: paths.actors(investigationId), label: t('nav.actors') },
          { to: paths.sources(investigationId), label: t('nav.sources') },
          { to: paths.incidents(investigationId), label: t('nav.incidents') },
          { to: `/investigations/${investigationId}/trace-requests`, label: t('trace.title') },
          { to: paths.members(investigationId), label: t('nav.members') },
          { to: paths.sensitivity(investigationId), label: t('nav.sensitivity') },
          { to: paths.reviewQueue(investigationId), label: t('nav.review') },
          ...transferNavItems(investigationId, investigations, t),
        ];
  const allNavItems = [...navItems, ...adminNavItems(me, t)];

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('layout.skipToContent')}
      </a>
      <header className="app-header">
        <div className="header-row">
          <Link to={paths.home()} className="brand">
            armtrace
          </Link>
          <InvestigationSwitcher investigations={investigations} currentId={investigationId} />
        </div>
        <div className="header-row header-row-secondary">
          <nav aria-label={t('nav.label')}>
            <ul className="nav-list">
              {allNavItems.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} aria-current={path === item.to ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
              <li>
                <Link to={paths.settings()} aria-current={path === paths.settings() ? 'page' : undefined}>
                  {t('nav.settings')}
                </Link>
              </li>
              <li>
                <Link to={paths.outbox()} aria-current={path === paths.outbox() ? 'page' : undefined}>
                  {t('offline.nav')}
                </Link>
              </li>
            </ul>
          </nav>
          <div className="header-tools">
            <LanguagePicker />
            <span className="signed-in-as">
              {t('layout.signedInAs')} <bdi dir="auto">{me.display_name}</bdi>
            </span>
            <SignOutButton onSignOut={onSignOut} />
          </div>
        </div>
        <OutboxStatus />
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
