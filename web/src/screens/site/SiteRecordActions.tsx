import { useRef, useState } from 'react';
import { api, call } from '../../api/client';
import type { SiteRecord as Site } from './siteApi';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { useI18n } from '../../i18n/i18n';
import { SiteEditForm } from './SiteEditForm';

/**
 * The site page's "Edit the site" and "Archive" for those who may change the site (nothing for the others; the
 * server still checks). `opened` opens the form at once: `location` from the map's "correct the location" (the
 * latitude field has the focus), `site` from its "edit".
 */
export function SiteRecordActions({
  site,
  mayEdit,
  opened,
  onChanged,
}: {
  site: Site;
  mayEdit: boolean;
  opened?: 'location' | 'site' | undefined;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(opened !== undefined);
  const [saved, setSaved] = useState(false);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  if (!mayEdit || site.archived_at !== null) return null;
  return (
    <>
      <div aria-live="polite">{saved && <p className="notice notice-success">{t('edit.saved')}</p>}</div>
      {editing ? (
        <SiteEditForm
          key={site.id}
          site={site}
          focusLocation={opened === 'location'}
          onReload={onChanged}
          onCancel={() => {
            setEditing(false);
            requestAnimationFrame(() => editButtonRef.current?.focus());
          }}
          onSaved={() => {
            setEditing(false);
            setSaved(true);
            onChanged();
            requestAnimationFrame(() => editButtonRef.current?.focus());
          }}
        />
      ) : (
        <div className="record-edit-actions">
          <button
            type="button"
            ref={editButtonRef}
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {t('edit.site.button')}
          </button>
          <ArchiveButton
            title={t('edit.site.archiveTitle')}
            onArchive={(reason) =>
              call(
                api.POST('/api/v1/sites/{id}/archive', {
                  params: { path: { id: site.id } },
                  body: { version: site.version, reason },
                }),
              )
            }
            onArchived={onChanged}
          />
        </div>
      )}
    </>
  );
}
