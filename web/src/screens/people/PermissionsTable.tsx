import { useI18n, type MessageKey } from '../../i18n/i18n';

const roles = ['viewer', 'investigator', 'editor', 'owner'] as const;

/** What each role may do, as the server checks it (src/features/access/service.ts). */
const capabilities: { label: MessageKey; from: (typeof roles)[number] }[] = [
  { label: 'people.can.read', from: 'viewer' },
  { label: 'people.can.add', from: 'investigator' },
  { label: 'people.can.editOwn', from: 'investigator' },
  { label: 'people.can.editAll', from: 'editor' },
  { label: 'people.can.members', from: 'owner' },
];

/** The roles side by side: a visible answer to "who can do what here". */
export function PermissionsTable() {
  const { t } = useI18n();
  return (
    <section className="section" aria-labelledby="permissions-title">
      <h2 id="permissions-title">{t('people.permissions')}</h2>
      {/* Focusable, so that a keyboard can scroll it sideways on a narrow screen. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="permissions-title">
        <table>
          <caption className="visually-hidden">{t('people.permissions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('people.capability')}</th>
              {roles.map((role) => (
                <th key={role} scope="col">
                  {t(`role.${role}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {capabilities.map((capability) => (
              <tr key={capability.label}>
                <th scope="row">{t(capability.label)}</th>
                {roles.map((role) => {
                  const allowed = roles.indexOf(role) >= roles.indexOf(capability.from);
                  return (
                    <td key={role}>
                      <span aria-hidden="true">{allowed ? '✓' : '—'}</span>
                      <span className="visually-hidden">{allowed ? t('people.allowed') : t('people.notAllowed')}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">{t('people.adminNote')}</p>
    </section>
  );
}
