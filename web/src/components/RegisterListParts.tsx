import { useState, type ReactElement, type ReactNode } from 'react';
import type { ServerList } from './serverList';
import { EmptyState, ErrorNotice, Field, Loading } from './ui';

/**
 * A register list's "New …" button, replaced by the creation form while it is open. Shown only when `allowed`.
 *
 * @example
 * <CreateToggle allowed={access.atLeast('investigator')} label={t('sources.new')}
 *   form={(close) => <SourceForm investigationId={id} onCreated={open} onCancel={close} />} />
 */
export function CreateToggle({
  allowed,
  label,
  form,
}: {
  allowed: boolean;
  label: string;
  form: (close: () => void) => ReactElement;
}) {
  const [creating, setCreating] = useState(false);
  if (!allowed) return null;
  if (creating) return form(() => setCreating(false));
  return (
    <p className="actions">
      <button type="button" className="button-primary" onClick={() => setCreating(true)}>
        {label}
      </button>
    </p>
  );
}

/** The free-text search of a register list (names in any script, so the direction follows the text). */
export function SearchTextField({
  label,
  hint,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} {...(hint === undefined ? {} : { hint })}>
      {(control) => (
        <input {...control} type="search" dir="auto" value={value} onChange={(event) => onChange(event.target.value)} />
      )}
    </Field>
  );
}

/**
 * The "include archived" check box of a register's filters (archived records are left out unless asked for).
 *
 * @example
 * <IncludeArchivedField checked={includeArchived} onChange={setIncludeArchived} label={t('register.includeArchived')} />
 */
export function IncludeArchivedField({
  checked,
  onChange,
  label,
  className = 'checkbox-field',
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  className?: string;
}) {
  return (
    <label className={className}>
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} /> {label}
    </label>
  );
}

/**
 * What a server-paged list shows under its filters: the error, "Loading" before the first page, the empty state
 * when the first page is empty (a later empty page still shows the table, to go back), else `children`.
 *
 * @example
 * <ServerListBody list={sources} rows={rows} empty={t('sources.empty')}>
 *   <RegisterTable caption={t('sources.title')} list={sources} rows={rows} … />
 * </ServerListBody>
 */
export function ServerListBody<Row, Key extends string>({
  list,
  rows,
  empty,
  children,
}: {
  list: ServerList<Row, Key>;
  /** The rows shown (the list's rows, or those a screen keeps of them). */
  rows: readonly Row[];
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      {list.error !== undefined && <ErrorNotice error={list.error} />}
      {list.rows === undefined && list.error === undefined && <Loading />}
      {list.rows !== undefined &&
        (rows.length === 0 && !list.hasPrevious ? <EmptyState>{empty}</EmptyState> : children)}
    </>
  );
}
