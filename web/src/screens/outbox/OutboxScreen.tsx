import { useCallback, useEffect, useState } from 'react';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { Field, Loading } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { outboxEntries, syncNow } from '../../offline/controller';
import { useOnline, useSyncStatus, useVaultState } from '../../offline/hooks';
import { FieldPack } from './FieldPack';
import { OfflineSetup, UnlockForm } from '../../offline/OfflineScreens';
import { onOutboxChange, removeOutboxEntry, updateOutboxEntry, type OutboxEntry } from '../../offline/outbox';
import { replaceEntry, resend } from '../../offline/sync';
import { vault } from '../../offline/vault';

type Json = Record<string, unknown>;

/** Fields of a record that are bookkeeping, not what the user wrote. */
const bookkeeping = new Set([
  'id',
  'investigation_id',
  'created_by',
  'created_at',
  'updated_at',
  'version',
  'archived_at',
  'archive_reason',
  'normalized',
]);

/** The form label of a field the capture pages write, by the operation's record type. */
const fieldLabels: Record<string, MessageKey> = {
  disposal_status: 'item.disposalStatus',
  note: 'item.disposalNote',
  category: 'item.category',
  model: 'item.model',
  quantity: 'item.quantity',
  condition: 'item.condition',
  observations: 'item.observations',
  external_ref: 'item.externalRef',
  zone_id: 'item.zone',
  name: 'site.name',
  site_type: 'site.type',
  latitude: 'site.latitude',
  longitude: 'site.longitude',
  precision_m: 'site.precision',
  context: 'site.context',
  recovered_on: 'site.recoveredOn',
};

/** Controlled-vocabulary fields: their values are shown by their label. */
const vocabularyOf: Record<string, string> = {
  disposal_status: 'disposal',
  category: 'category',
  condition: 'condition',
  site_type: 'siteType',
};

const shown = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** A typed value back from its text, keeping the type the field had (a number stays a number). */
function parsedLike(original: unknown, text: string): unknown {
  if (typeof original === 'number') return text.trim() === '' ? null : Number(text);
  if (typeof original === 'string' || original === null || original === undefined)
    return text === '' && original === null ? null : text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The field problems of a refused record, as an ApiError so the one translator renders them. */
function problemErrors(entry: OutboxEntry, t: ReturnType<typeof useI18n>['t']): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const field of entry.problem?.fields ?? [])
    byField[field.field] ??= fieldErrorMessage(t, {
      field: field.field,
      message: field.message,
      code: field.code ?? 'invalid',
      params: field.params ?? {},
    });
  return byField;
}

/** A refused record's fields, editable, with the server's errors beside them; sent again under a new op_id. */
function CorrectionForm({ entry, onDone }: { entry: OutboxEntry; onDone: () => void }) {
  const { t } = useI18n();
  const body = entry.operation!.body;
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(body).map(([key, value]) => [key, shown(value)])),
  );
  const errors = problemErrors(entry, t);
  const send = async () => {
    const corrected: Json = Object.fromEntries(
      Object.entries(draft).map(([key, text]) => [key, parsedLike(body[key], text)]),
    );
    await replaceEntry(vault, entry, resend(entry, corrected, entry.operation!.base_version));
    onDone();
    void syncNow();
  };
  return (
    <form
      className="outbox-correction"
      aria-label={t('offline.correct.title')}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <h3>{t('offline.correct.title')}</h3>
      {Object.keys(draft).map((key) => (
        <Field
          key={key}
          label={fieldLabels[key] === undefined ? key : t(fieldLabels[key])}
          error={errors[key] ?? Object.entries(errors).find(([f]) => f.startsWith(`${key}.`))?.[1]}
        >
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={draft[key]}
              onChange={(event) => setDraft((previous) => ({ ...previous, [key]: event.target.value }))}
            />
          )}
        </Field>
      ))}
      <div className="actions">
        <button type="submit" className="button-primary">
          {t('offline.correct.send')}
        </button>
      </div>
    </form>
  );
}

/**
 * An offline correction of a record changed on the server meanwhile: both versions side by side, field by field;
 * keep mine (sent again on the server's version), keep the server's (after confirming), or send a merged version.
 */
export function ConflictView({ entry, onDone }: { entry: OutboxEntry; onDone: () => void }) {
  const { t, label } = useI18n();
  const fieldName = (key: string) => (fieldLabels[key] === undefined ? key : t(fieldLabels[key]));
  const valueText = (key: string, value: unknown) =>
    vocabularyOf[key] !== undefined && typeof value === 'string' ? label(vocabularyOf[key], value) : shown(value);
  const mine = entry.operation!.body;
  const theirs = entry.conflict?.server_record ?? {};
  const serverVersion = entry.conflict?.server_version ?? 0;
  const fields = Object.keys(mine).filter((key) => !bookkeeping.has(key));
  const [merged, setMerged] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((key) => [key, shown(mine[key])])),
  );
  const [confirmingServer, setConfirmingServer] = useState(false);
  const send = async (body: Json) => {
    await replaceEntry(vault, entry, resend(entry, body, serverVersion));
    onDone();
    void syncNow();
  };
  const keepServer = async () => {
    await removeOutboxEntry(vault, entry.id);
    onDone();
  };
  return (
    <section className="conflict" aria-labelledby={`conflict-${entry.id}`} data-testid="conflict">
      <h3 id={`conflict-${entry.id}`}>{t('offline.conflict.title')}</h3>
      <p>{t('offline.conflict.intro')}</p>
      <div className="table-scroll">
        <table className="conflict-table">
          <thead>
            <tr>
              <th scope="col">{t('offline.conflict.field')}</th>
              <th scope="col">{t('offline.conflict.mine')}</th>
              <th scope="col">{t('offline.conflict.theirs', { version: serverVersion })}</th>
              <th scope="col">{t('offline.conflict.merged')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((key) => {
              const differs = shown(mine[key]) !== shown(theirs[key]);
              return (
                <tr key={key} className={differs ? 'conflict-differs' : undefined}>
                  <th scope="row">{fieldName(key)}</th>
                  <td data-label={t('offline.conflict.mine')}>
                    <bdi dir="auto">{valueText(key, mine[key])}</bdi>
                  </td>
                  <td data-label={t('offline.conflict.theirs', { version: serverVersion })}>
                    <bdi dir="auto">{valueText(key, theirs[key])}</bdi>
                  </td>
                  <td data-label={t('offline.conflict.merged')}>
                    {vocabularyOf[key] !== undefined ? (
                      // A controlled value: one of the two versions', by its label.
                      <select
                        aria-label={`${t('offline.conflict.merged')}: ${fieldName(key)}`}
                        value={merged[key]}
                        onChange={(event) => setMerged((previous) => ({ ...previous, [key]: event.target.value }))}
                      >
                        {[...new Set([shown(mine[key]), shown(theirs[key])])].map((value) => (
                          <option key={value} value={value}>
                            {label(vocabularyOf[key]!, value)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        aria-label={`${t('offline.conflict.merged')}: ${fieldName(key)}`}
                        dir="auto"
                        value={merged[key]}
                        onChange={(event) => setMerged((previous) => ({ ...previous, [key]: event.target.value }))}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="button" className="button-primary" onClick={() => void send(mine)}>
          {t('offline.conflict.keepMine')}
        </button>
        <button
          type="button"
          onClick={() =>
            void send(Object.fromEntries(fields.map((key) => [key, parsedLike(mine[key], merged[key] ?? '')])))
          }
        >
          {t('offline.conflict.sendMerged')}
        </button>
        <button type="button" onClick={() => setConfirmingServer(true)}>
          {t('offline.conflict.keepServer')}
        </button>
      </div>
      {confirmingServer && (
        <div className="notice notice-warning" role="alertdialog" aria-label={t('offline.conflict.keepServer')}>
          <p>{t('offline.conflict.keepServerConfirm')}</p>
          <div className="actions">
            <button type="button" className="button-primary" onClick={() => void keepServer()}>
              {t('offline.conflict.keepServer')}
            </button>
            <button type="button" onClick={() => setConfirmingServer(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function EntryRow({ entry, onChanged }: { entry: OutboxEntry; onChanged: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [confirming, setConfirming] = useState(false);
  // A conflict opens by itself (also when it arrives while the screen is shown); the user may close it.
  const [openChoice, setOpen] = useState<boolean | undefined>(undefined);
  const open = openChoice ?? entry.status === 'conflict';
  // A file refused for a hash mismatch was most likely damaged on the way: the device's copy is sent again.
  const retry = async () => {
    const next: OutboxEntry = { ...entry, status: 'pending' };
    delete next.problem;
    await updateOutboxEntry(vault, next);
    onChanged();
    void syncNow();
  };
  const discard = async () => {
    await removeOutboxEntry(vault, entry.id);
    onChanged();
  };
  return (
    <li className={`outbox-entry outbox-${entry.status}`} data-testid="outbox-entry" data-status={entry.status}>
      <div className="outbox-entry-head">
        <span className="outbox-kind">{t(`offline.kind.${entry.kind}` as MessageKey)}</span>
        <bdi dir="auto" className="outbox-label">
          {entry.label}
        </bdi>
        <span className="muted">{formatDateTime(entry.created_at)}</span>
        <span className="outbox-entry-status">{t(`offline.status.${entry.status}` as MessageKey)}</span>
        {entry.attempts > 0 && <span className="muted">{t('offline.outbox.attempts', { count: entry.attempts })}</span>}
      </div>
      {entry.problem !== undefined && entry.status !== 'conflict' && (
        <p className="field-error">
          <bdi dir="auto">{entry.problem.detail}</bdi>
        </p>
      )}
      <div className="actions">
        {entry.status === 'rejected' && entry.operation !== undefined && (
          <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
            {t('offline.outbox.correct')}
          </button>
        )}
        {entry.status === 'rejected' && (entry.photo !== undefined || entry.link !== undefined) && (
          <button type="button" onClick={() => void retry()}>
            {t('offline.outbox.retry')}
          </button>
        )}
        {entry.status === 'conflict' && (
          <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
            {t('offline.outbox.resolve')}
          </button>
        )}
        <button type="button" className="button-link" onClick={() => setConfirming(true)}>
          {t('offline.outbox.discard')}
        </button>
      </div>
      {confirming && (
        <div className="notice notice-warning" role="alertdialog" aria-label={t('offline.outbox.discard')}>
          <p>{t('offline.outbox.discardConfirm')}</p>
          <div className="actions">
            <button type="button" className="button-danger" onClick={() => void discard()}>
              {t('offline.outbox.discardYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {open && entry.status === 'rejected' && entry.operation !== undefined && (
        <CorrectionForm entry={entry} onDone={onChanged} />
      )}
      {open && entry.status === 'conflict' && <ConflictView entry={entry} onDone={onChanged} />}
    </li>
  );
}

/** The outbox screen: offline set-up, what waits with its status and errors, corrections and conflicts. */
export function OutboxPage() {
  const { t } = useI18n();
  useDocumentTitle(t('offline.outbox.title'));
  const state = useVaultState();
  const online = useOnline();
  const status = useSyncStatus();
  const [entries, setEntries] = useState<OutboxEntry[] | undefined>(undefined);
  const reload = useCallback(() => {
    void outboxEntries().then(setEntries);
  }, []);
  useEffect(() => {
    reload();
    const stop = onOutboxChange(reload);
    const stopVault = vault.subscribe(reload);
    return () => {
      stop();
      stopVault();
    };
  }, [reload]);
  return (
    <div className="page outbox-page">
      <header className="page-header">
        <h1>{t('offline.outbox.title')}</h1>
        <p className="muted">{t('offline.outbox.intro')}</p>
      </header>
      <OfflineSetup />
      {status.clockSkewFlagged && <p className="notice notice-warning">{t('offline.outbox.clockSkew')}</p>}
      {status.lastError !== undefined && !status.signedOut && (
        <p className="notice notice-error">
          <bdi dir="auto">
            {t('offline.lastError', {
              detail: status.lastErrorUnreachable ? t('error.network') : status.lastError,
            })}
          </bdi>
        </p>
      )}
      {status.signedOut && <p className="notice notice-error">{t('offline.signInToSend')}</p>}
      {state === 'unlocked' && (
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            disabled={!online || status.syncing || entries === undefined || entries.length === 0}
            onClick={() => void syncNow()}
          >
            {status.syncing ? t('offline.sending') : t('offline.sendNow')}
          </button>
        </div>
      )}
      {state === 'locked' ? (
        <UnlockForm />
      ) : entries === undefined ? (
        <Loading />
      ) : entries.length === 0 ? (
        <p className="empty">{t('offline.outbox.empty')}</p>
      ) : (
        <ul className="outbox-list" aria-label={t('offline.outbox.title')}>
          {entries.map((entry) => (
            <EntryRow key={entry.id} entry={entry} onChanged={reload} />
          ))}
        </ul>
      )}
      <FieldPack />
    </div>
  );
}
