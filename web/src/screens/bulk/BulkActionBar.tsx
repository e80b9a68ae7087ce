import { useState, type SubmitEvent } from 'react';
import { api, ApiError, call, fieldErrors, type BodyOf, type ResponseOf } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ErrorNotice, Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { actionFields, BulkActionFields, bulkActions, emptyDraft, type BulkDraft } from './BulkActionFields';

type BulkBody = BodyOf<'/api/v1/investigations/{id}/items/bulk', 'post'>;
export type BulkResult = ResponseOf<'/api/v1/investigations/{id}/items/bulk', 'post'>;
export type BulkFilter = NonNullable<BulkBody['filter']>;

/**
 * The items a bulk action is for: chosen one by one, or every item matching the inventory's filter except those
 * left out, `count` being how many that makes as the user saw it.
 */
export type BulkTarget =
  { itemIds: readonly string[] } | { filter: BulkFilter; excludedIds: readonly string[]; count: number };

/** The item that stopped the action, as the server names it (the `items` field problem). */
function blockingItem(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const params = error.problem.fields?.find((field) => field.field === 'items')?.params;
  if (params === undefined) return undefined;
  const reference = typeof params.external_ref === 'string' ? params.external_ref : '';
  return reference === '' ? String(params.item_id) : reference;
}

/**
 * What to do with the selected items, in one transaction on the server: the form, then a review that says how
 * many items will change (a dry run, which also finds an item that would block it), then the result.
 */
export function BulkActionBar({
  investigationId,
  target,
  count,
  onStart,
  onDone,
}: {
  investigationId: string;
  target: BulkTarget;
  count: number;
  onStart: () => void;
  onDone: (result: BulkResult) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<BulkDraft>(emptyDraft);
  const [review, setReview] = useState<BulkResult | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  const blocker = blockingItem(error);

  const change = (next: Partial<BulkDraft>) => {
    setDraft((previous) => ({ ...previous, ...next }));
    setReview(undefined);
  };
  const send = async (dryRun: boolean): Promise<BulkResult | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      const selection =
        'itemIds' in target
          ? { item_ids: [...target.itemIds] }
          : {
              filter: target.filter,
              ...(target.excludedIds.length === 0 ? {} : { excluded_item_ids: [...target.excludedIds] }),
              expected_count: target.count,
            };
      return await call(
        api.POST('/api/v1/investigations/{id}/items/bulk', {
          params: { path: { id: investigationId }, query: { dry_run: dryRun ? 'true' : 'false' } },
          body: { ...actionFields(draft), ...selection } as BulkBody,
        }),
      );
    } catch (caught) {
      setError(caught);
      setReview(undefined);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    onStart();
    void send(true).then(setReview);
  };
  const confirm = () =>
    void send(false).then((done) => {
      if (done === undefined) return;
      setReview(undefined);
      setDraft(emptyDraft);
      onDone(done);
    });

  return (
    <section className="card section bulk-bar" aria-labelledby="bulk-title">
      <h3 id="bulk-title">{t('bulk.title', { count })}</h3>
      {blocker !== undefined && (
        <p className="notice notice-error" role="alert">
          {t('bulk.blockedBy', { item: blocker })}
        </p>
      )}
      <ErrorNotice error={error} />
      {errors.item_ids !== undefined && <p className="field-error">{errors.item_ids}</p>}
      {errors.expected_count !== undefined && <p className="field-error">{t('bulk.selectionChanged')}</p>}
      <form onSubmit={submit}>
        <Field label={t('bulk.action')} error={errors.action}>
          {(control) => (
            <select
              {...control}
              name="action"
              value={draft.action}
              onChange={(event) => change({ action: event.target.value as BulkDraft['action'] })}
            >
              {bulkActions.map((action) => (
                <option key={action} value={action}>
                  {t(`bulk.action.${action}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <BulkActionFields investigationId={investigationId} draft={draft} onChange={change} errors={errors} />
        {review === undefined ? (
          <button type="submit" className="button-primary" disabled={busy || count === 0}>
            {t('bulk.review')}
          </button>
        ) : (
          <div className="notice notice-warning" role="status">
            <p>{t('bulk.willChange', { count: review.changed_item_ids.length })}</p>
            {review.unchanged_item_ids.length > 0 && (
              <p>{t('bulk.alreadyDone', { count: review.unchanged_item_ids.length })}</p>
            )}
            <div className="actions">
              <button type="button" className="button-primary" disabled={busy} onClick={confirm}>
                {t('bulk.confirm', { count: review.changed_item_ids.length })}
              </button>
              <button type="button" onClick={() => setReview(undefined)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
      </form>
    </section>
  );
}
