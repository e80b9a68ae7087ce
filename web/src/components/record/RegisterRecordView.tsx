import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router';
import { UserText } from '../ui';
import { ArchiveButton } from './ArchiveButton';

interface RegisterRecordViewProps {
  /** The id of the heading, which names the section. */
  titleId: string;
  /** The register the record belongs to: the breadcrumb back to its list. */
  list: { to: string; label: string };
  /** The record's name or title, as the user wrote it. */
  title: string;
  record: { archived_at: string | null; archive_reason: string | null };
  /** While editing, the form replaces the details. */
  editing: boolean;
  form: ReactNode;
  /** The record's details (a `dl.details`). */
  details: ReactNode;
  /** Editing and archiving, when the user may change the record. */
  actions?:
    | {
        editLabel: string;
        onEdit: () => void;
        archive: (reason: string) => Promise<unknown>;
        onArchived: () => void;
      }
    | undefined;
  /** What follows the details (related records, history). */
  children?: ReactNode;
}

/**
 * The page of one register record (actor, source): breadcrumb, title and archived notice, its details or the form
 * correcting it, the edit and archive actions, then whatever the record adds below.
 *
 * @example
 * <RegisterRecordView titleId="actor-title" list={{ to: paths.actors(id), label: t('actors.title') }}
 *   title={actor.name} record={actor} editing={editing} form={<ActorForm … />} details={<dl>…</dl>}>
 *   <RecordHistory … />
 * </RegisterRecordView>
 */
export function RegisterRecordView({
  titleId,
  list,
  title,
  record,
  editing,
  form,
  details,
  actions,
  children,
}: RegisterRecordViewProps) {
  const { formatDateTime, t } = useI18n();
  return (
    <section aria-labelledby={titleId}>
      <div className="page-header">
        <p className="breadcrumb">
          <Link to={list.to}>{list.label}</Link>
        </p>
        <h1 id={titleId}>
          <bdi dir="auto">{title}</bdi>
        </h1>
        {record.archived_at !== null && (
          <p className="notice" role="status">
            {t('register.archivedOn', { date: formatDateTime(record.archived_at) })}{' '}
            <UserText text={record.archive_reason} />
          </p>
        )}
      </div>
      {editing ? (
        form
      ) : (
        <div className="section">
          {details}
          {actions !== undefined && (
            <p className="actions">
              <button type="button" className="button-primary" onClick={actions.onEdit}>
                {actions.editLabel}
              </button>
              <ArchiveButton onArchive={actions.archive} onArchived={actions.onArchived} />
            </p>
          )}
        </div>
      )}
      {children}
    </section>
  );
}
