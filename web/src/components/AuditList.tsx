import type { AuditEntry } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Link, paths } from '../router';
import { EmptyState, UserText } from './ui';

function entityLink(entry: AuditEntry): string | undefined {
  if (entry.investigation_id === null) return undefined;
  if (entry.entity_type === 'sites') return paths.site(entry.investigation_id, entry.entity_id);
  if (entry.entity_type === 'items') return paths.item(entry.investigation_id, entry.entity_id);
  return undefined;
}

/** Audit entries, newest first: who did what to which record, when. */
export function AuditList({ entries, showEntity = true }: { entries: AuditEntry[]; showEntity?: boolean }) {
  const { t, label, formatDateTime } = useI18n();
  if (entries.length === 0) return <EmptyState>{t('audit.empty')}</EmptyState>;
  return (
    <ol className="timeline">
      {entries.map((entry) => {
        const link = entityLink(entry);
        const entity = label('entity', entry.entity_type);
        return (
          <li key={entry.seq}>
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            <span>
              <UserText text={entry.actor_label} /> · {label('action', entry.action)}
              {showEntity && (
                <>
                  {' · '}
                  {link === undefined ? entity : <Link to={link}>{entity}</Link>}
                </>
              )}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
