import { api, call, readAllPages } from '../../api/client';
import { disposalStatuses } from '../../api/vocabulary';
import { ErrorNotice, Field, VocabularySelect } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';

export const bulkActions = ['hand_over', 'set_disposal', 'add_to_trace_request', 'link_incident'] as const;
export type BulkAction = (typeof bulkActions)[number];

/** What the user filled in for the chosen action; only the action's own fields are sent. */
export interface BulkDraft {
  action: BulkAction;
  from_party: string;
  to_party: string;
  place: string;
  note: string;
  disposal_status: string;
  trace_request_id: string;
  incident_id: string;
}

export const emptyDraft: BulkDraft = {
  action: 'hand_over',
  from_party: '',
  to_party: '',
  place: '',
  note: '',
  disposal_status: 'moved_to_storage',
  trace_request_id: '',
  incident_id: '',
};

/** The body fields of the action, as the bulk endpoint takes them. */
export function actionFields(draft: BulkDraft): Record<string, unknown> {
  const note = draft.note.trim();
  switch (draft.action) {
    case 'hand_over':
      return {
        action: draft.action,
        from_party: draft.from_party,
        to_party: draft.to_party,
        ...(draft.place.trim() === '' ? {} : { place: draft.place }),
        note: draft.note,
      };
    case 'set_disposal':
      return {
        action: draft.action,
        disposal_status: draft.disposal_status,
        ...(note === '' ? {} : { note: draft.note }),
      };
    case 'add_to_trace_request':
      return { action: draft.action, trace_request_id: draft.trace_request_id };
    case 'link_incident':
      return { action: draft.action, incident_id: draft.incident_id };
  }
}

/** The open trace requests of the investigation (not closed, not archived), to add the items to. */
function TraceRequestPicker({ investigationId, draft, onChange, error }: PickerProps) {
  const { t, label } = useI18n();
  const requests = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/trace-requests', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows.filter((request) => request.status !== 'closed'),
    [investigationId],
  );
  return (
    <>
      <ErrorNotice error={requests.error} />
      <Field label={t('bulk.traceRequest')} error={error}>
        {(control) => (
          <select
            {...control}
            name="trace_request_id"
            required
            value={draft.trace_request_id}
            onChange={(event) => onChange({ trace_request_id: event.target.value })}
          >
            <option value="">{requests.data?.length === 0 ? t('bulk.noTraceRequests') : t('bulk.choose')}</option>
            {(requests.data ?? []).map((request) => (
              <option key={request.id} value={request.id}>
                {request.subject} · {request.addressee_name} · {label('traceStatus', request.status)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

function IncidentPicker({ investigationId, draft, onChange, error }: PickerProps) {
  const { t } = useI18n();
  const incidents = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/incidents', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows,
    [investigationId],
  );
  return (
    <>
      <ErrorNotice error={incidents.error} />
      <Field label={t('bulk.incident')} error={error}>
        {(control) => (
          <select
            {...control}
            name="incident_id"
            required
            value={draft.incident_id}
            onChange={(event) => onChange({ incident_id: event.target.value })}
          >
            <option value="">{incidents.data?.length === 0 ? t('bulk.noIncidents') : t('bulk.choose')}</option>
            {(incidents.data ?? []).map((incident) => (
              <option key={incident.id} value={incident.id}>
                {incident.title}
                {incident.occurred_on === null ? '' : ` · ${incident.occurred_on}`}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

interface PickerProps {
  investigationId: string;
  draft: BulkDraft;
  onChange: (change: Partial<BulkDraft>) => void;
  error: string | undefined;
}

/** The fields of the chosen action, each with the server's problem beside it. */
export function BulkActionFields({
  investigationId,
  draft,
  onChange,
  errors,
}: {
  investigationId: string;
  draft: BulkDraft;
  onChange: (change: Partial<BulkDraft>) => void;
  errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const text = (name: 'from_party' | 'to_party' | 'place' | 'note', label: string, required: boolean) => (
    <Field label={label} error={errors[name]}>
      {(control) => (
        <input
          {...control}
          name={name}
          dir="auto"
          required={required}
          value={draft[name]}
          onChange={(event) => onChange({ [name]: event.target.value })}
        />
      )}
    </Field>
  );
  switch (draft.action) {
    case 'hand_over':
      return (
        <>
          {text('from_party', t('custody.from'), true)}
          {text('to_party', t('custody.to'), true)}
          {text('place', t('custody.place'), false)}
          {text('note', t('custody.note'), false)}
        </>
      );
    case 'set_disposal':
      return (
        <>
          <Field label={t('item.disposalStatus')} error={errors.disposal_status}>
            {(control) => (
              <VocabularySelect
                control={control}
                group="disposal"
                values={disposalStatuses}
                value={draft.disposal_status}
                onChange={(value) => onChange({ disposal_status: value })}
              />
            )}
          </Field>
          {text('note', t('custody.note'), false)}
        </>
      );
    case 'add_to_trace_request':
      return (
        <TraceRequestPicker
          investigationId={investigationId}
          draft={draft}
          onChange={onChange}
          error={errors.trace_request_id}
        />
      );
    case 'link_incident':
      return (
        <IncidentPicker
          investigationId={investigationId}
          draft={draft}
          onChange={onChange}
          error={errors.incident_id}
        />
      );
  }
}
