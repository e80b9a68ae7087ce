import type { Investigation, Me } from '../api/client';
import type { I18n } from '../i18n/i18n';
import { paths } from '../router';
import { importingRoles } from './import/importTypes';

/**
 * The navigation entries of an investigation's import, downloads and audit log, each shown only to those whose
 * role allows it (the server checks again): import to investigators and above.
 */
export function transferNavItems(
  investigationId: string,
  investigations: Investigation[],
  t: I18n['t'],
): { to: string; label: string }[] {
  const role = investigations.find((investigation) => investigation.id === investigationId)?.my_role;
  return [
    ...(role !== undefined && importingRoles.includes(role)
      ? [{ to: paths.importItems(investigationId), label: t('nav.import') }]
      : []),
    { to: paths.downloads(investigationId), label: t('nav.downloads') },
    { to: paths.auditLog(investigationId), label: t('nav.auditLog') },
  ];
}

/** Verify reads the whole server: administrators only, whichever investigation is open (or none). */
export function adminNavItems(me: Me, t: I18n['t']): { to: string; label: string }[] {
  return me.is_admin ? [{ to: paths.verify(), label: t('nav.verify') }] : [];
}
