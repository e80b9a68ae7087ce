import { useRef, useState } from 'react';
import { api, call } from '../../api/client';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { useI18n } from '../../i18n/i18n';
import type { ItemRecord } from './itemApi';
import { ItemEditForm } from './ItemEditForm';

/** The item page's "Edit the item" and "Archive" for those who may change the item; nothing for the others. */
export function ItemRecordActions({
  item,
  mayEdit,
  onChanged,
}: {
  item: ItemRecord;
  mayEdit: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  if (!mayEdit || item.archived_at !== null) return null;
  const backToButton = () => requestAnimationFrame(() => editButtonRef.current?.focus());
  return (
    <>
      <div aria-live="polite">{saved && <p className="notice notice-success">{t('edit.saved')}</p>}</div>
      {editing ? (
        <ItemEditForm
          item={item}
          onReload={onChanged}
          onCancel={() => {
            setEditing(false);
            backToButton();
          }}
          onSaved={() => {
            setEditing(false);
            setSaved(true);
            onChanged();
            backToButton();
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
            {t('edit.item.button')}
          </button>
          <ArchiveButton
            title={t('edit.item.archiveTitle')}
            onArchive={(reason) =>
              call(
                api.POST('/api/v1/items/{id}/archive', {
                  params: { path: { id: item.id } },
                  body: { version: item.version, reason },
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
