import { SensitivityBadge } from '../../components/sensitivity/SensitivityBadge';
import { useRef, useState } from 'react';
import { api, call } from '../../api/client';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { RecordHistory } from '../../components/record/RecordHistory';
import { EmptyState, UserText } from '../../components/ui';
import { isolate, useI18n } from '../../i18n/i18n';
import { labelsOf } from '../site/siteFields';
import { AddMarkingForm } from './AddMarkingForm';
import type { ItemRecord, MarkingRecord } from './itemApi';
import { useMarkingFields } from './itemFields';
import { MarkingEditForm } from './MarkingEditForm';
import { ReviewPanel } from '../review/ReviewPanel';

type Open = { markingId: string; mode: 'edit' | 'history' | 'review' } | undefined;

/**
 * The item's markings: each can be corrected and archived (by those who may change the item) and its history
 * shown; the form that is open appears below the table, so it fits a phone's width. New markings are added below.
 */
export function MarkingsSection({
  item,
  mayChange,
  onChanged,
}: {
  item: ItemRecord;
  /** Whether the user may change this marking (useRecordAccess). */
  mayChange: (record: { created_by: string }) => boolean;
  onChanged: () => void;
}) {
  const { t, label, scriptName } = useI18n();
  const [open, setOpen] = useState<Open>(undefined);
  const historyLabels = labelsOf(useMarkingFields());
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  const opened = item.markings.find((marking) => marking.id === open?.markingId);
  const close = (marking: MarkingRecord) => {
    setOpen(undefined);
    requestAnimationFrame(() => buttons.current.get(marking.id)?.focus());
  };
  const name = (marking: MarkingRecord) => isolate(marking.text);

  return (
    <section className="section" aria-labelledby="markings-title">
      <h2 id="markings-title">{t('item.markings')}</h2>
      {item.markings.length === 0 ? (
        <EmptyState>{t('item.noMarkings')}</EmptyState>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="markings-title" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('marking.text')}</th>
                <th scope="col">{t('marking.kind')}</th>
                <th scope="col">{t('marking.position')}</th>
                <th scope="col">{t('marking.script')}</th>
                <th scope="col">{t('marking.legibility')}</th>
                <th scope="col">{t('edit.marking.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {item.markings.map((marking) => {
                const mayEdit = mayChange(marking);
                return (
                  <tr key={marking.id} data-testid="marking-row">
                    <td className="marking-text-cell">
                      <bdi dir="auto">{marking.text}</bdi> <SensitivityBadge level={marking.sensitivity} quietPublic />
                    </td>
                    <td>{label('markingKind', marking.kind)}</td>
                    <td>
                      <UserText text={marking.position} />
                    </td>
                    <td>{marking.script === null ? '' : scriptName(marking.script)}</td>
                    <td>{label('legibility', marking.legibility)}</td>
                    <td>
                      <div className="record-edit-actions">
                        {mayEdit && (
                          <button
                            type="button"
                            ref={(element) => {
                              buttons.current.set(marking.id, element);
                            }}
                            aria-label={t('edit.marking.editLabel', { text: name(marking) })}
                            aria-expanded={open?.markingId === marking.id && open.mode === 'edit'}
                            onClick={() => setOpen({ markingId: marking.id, mode: 'edit' })}
                          >
                            {t('edit.marking.edit')}
                          </button>
                        )}
                        {mayEdit && (
                          <ArchiveButton
                            label={t('edit.marking.archiveTitle', { text: name(marking) })}
                            title={t('edit.marking.archiveTitle', { text: name(marking) })}
                            onArchive={(reason) =>
                              call(
                                api.POST('/api/v1/markings/{id}/archive', {
                                  params: { path: { id: marking.id } },
                                  body: { version: marking.version, reason },
                                }),
                              )
                            }
                            onArchived={onChanged}
                          />
                        )}
                        <button
                          type="button"
                          aria-label={t('edit.marking.historyTitle', { text: name(marking) })}
                          aria-expanded={open?.markingId === marking.id && open.mode === 'history'}
                          onClick={() =>
                            setOpen(
                              open?.markingId === marking.id && open.mode === 'history'
                                ? undefined
                                : { markingId: marking.id, mode: 'history' },
                            )
                          }
                        >
                          {t('edit.showHistory')}
                        </button>
                        <button
                          type="button"
                          aria-label={t('review.panel.titleOf', { record: name(marking) })}
                          aria-expanded={open?.markingId === marking.id && open.mode === 'review'}
                          onClick={() =>
                            setOpen(
                              open?.markingId === marking.id && open.mode === 'review'
                                ? undefined
                                : { markingId: marking.id, mode: 'review' },
                            )
                          }
                        >
                          {t('review.panel.show')}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {opened !== undefined && open?.mode === 'edit' && (
        // Keyed by the marking alone, not its version: the list reloads while the form is open (after "use the
        // current version", or a change made elsewhere), and a remount then would silently drop what the user typed
        // since. The form keeps its own base version (useVersionedEdit).
        <MarkingEditForm
          key={opened.id}
          marking={opened}
          onReload={onChanged}
          onDone={(saved) => {
            close(opened);
            if (saved) onChanged();
          }}
        />
      )}
      {opened !== undefined && open?.mode === 'history' && (
        <RecordHistory
          investigationId={item.investigation_id}
          entityId={opened.id}
          refreshKey={opened.version}
          title={t('edit.marking.historyTitle', { text: name(opened) })}
          fieldLabels={historyLabels}
        />
      )}
      {opened !== undefined && open?.mode === 'review' && (
        <ReviewPanel
          kind="marking"
          recordId={opened.id}
          refreshKey={opened.version}
          title={t('review.panel.titleOf', { record: name(opened) })}
          headingLevel={3}
        />
      )}
      <AddMarkingForm investigationId={item.investigation_id} itemId={item.id} onAdded={onChanged} />
    </section>
  );
}
