import type { ActorRecord } from '../../api/client';
import type { RecordField } from '../../components/record/StaleEditNotice';
import { useI18n } from '../../i18n/i18n';

/** A request's fields by their names in the user's language, for the stale-edit view and the history. */
export function useTraceRequestFields(actors: readonly ActorRecord[]): RecordField[] {
  const { t, label, formatDate } = useI18n();
  const date = (value: unknown) => (typeof value === 'string' && value !== '' ? formatDate(value) : '');
  return [
    { key: 'subject', label: t('trace.subject') },
    {
      key: 'addressee_id',
      label: t('traceList.addressee'),
      display: (value) => actors.find((actor) => actor.id === value)?.name ?? (typeof value === 'string' ? value : ''),
    },
    { key: 'lot_marking', label: t('traceNew.lot') },
    {
      key: 'status',
      label: t('trace.status'),
      display: (value) => (typeof value === 'string' ? label('traceStatus', value) : ''),
    },
    { key: 'sent_on', label: t('traceNew.sentOn'), display: date },
    { key: 'due_on', label: t('traceNew.dueOn'), display: date },
    { key: 'response_text', label: t('traceDetail.response') },
  ];
}
