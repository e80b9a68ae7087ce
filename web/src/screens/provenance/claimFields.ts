import type { RecordField } from '../../components/record/StaleEditNotice';
import { useI18n } from '../../i18n/i18n';
import type { ClaimFormLists } from './ClaimForm';
import type { TimelineClaim } from './timeline';

const editable = [
  'event_type',
  'actor_id',
  'counterpart_id',
  'occurred_from',
  'occurred_to',
  'place',
  'source_id',
  'trace_request_id',
  'confidence',
  'notes',
] as const;
type Editable = (typeof editable)[number];

/**
 * Only the fields of a claim the user changed, so a correction never sends back someone else's change to another field.
 *
 * @example claimChanges(claim, { ...values, place: 'Tartus' }) // { place: 'Tartus' }
 */
export function claimChanges(
  claim: Pick<TimelineClaim, Editable>,
  values: Record<Editable, string | null>,
): Partial<Record<Editable, string | null>> {
  const changes: Partial<Record<Editable, string | null>> = {};
  for (const key of editable) if (values[key] !== claim[key]) changes[key] = values[key];
  return changes;
}

/** A claim's fields by their names in the user's language, for the stale-edit view. */
export function useClaimFields(lists: ClaimFormLists): RecordField[] {
  const { t, label, formatDate } = useI18n();
  const date = (value: unknown) => (typeof value === 'string' && value !== '' ? formatDate(value) : '');
  const actor = (value: unknown) => lists.actors.find((candidate) => candidate.id === value)?.name ?? '';
  return [
    {
      key: 'event_type',
      label: t('claims.event'),
      display: (value) => label('provenanceEvent', String(value)),
    },
    { key: 'actor_id', label: t('claims.actor'), display: actor },
    { key: 'counterpart_id', label: t('claims.counterpart'), display: actor },
    { key: 'occurred_from', label: t('claims.from'), display: date },
    { key: 'occurred_to', label: t('claims.to'), display: date },
    { key: 'place', label: t('claims.place') },
    {
      key: 'source_id',
      label: t('claims.source'),
      display: (value) => lists.sources.find((source) => source.id === value)?.title ?? '',
    },
    {
      key: 'trace_request_id',
      label: t('claims.traceRequest'),
      display: (value) => lists.requests.find((request) => request.id === value)?.subject ?? '',
    },
    { key: 'confidence', label: t('claims.confidence'), display: (value) => label('confidence', String(value)) },
    { key: 'notes', label: t('claims.notes') },
    { key: 'sensitivity', label: t('sensitivity.label'), display: (value) => label('sensitivityLevel', String(value)) },
    { key: 'sensitivity_reason', label: t('sensitivity.reason') },
  ];
}
