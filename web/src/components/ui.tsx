import { useId, type ReactNode, type Ref } from 'react';
import { ApiError } from '../api/client';
import type { Loaded } from '../hooks';
import { useI18n, type MessageKey } from '../i18n/i18n';

/** Text someone typed, shown exactly as entered in whatever direction its own script runs. */
export function UserText({ text, className }: { text: string | null | undefined; className?: string }) {
  const { t } = useI18n();
  if (text === null || text === undefined || text === '') {
    return <span className="muted">{t('common.notRecorded')}</span>;
  }
  return (
    <bdi dir="auto" className={className}>
      {text}
    </bdi>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

const messageByCode: Record<string, MessageKey> = {
  not_found: 'error.notFound',
  forbidden: 'error.forbidden',
  unauthenticated: 'error.unauthenticated',
  validation_failed: 'error.validation',
  version_conflict: 'error.versionConflict',
  duplicate: 'error.duplicate',
  reference_invalid: 'error.referenceInvalid',
  network: 'error.network',
  too_many_attempts: 'error.tooManyAttempts',
  archived: 'error.archived',
  last_owner: 'error.lastOwner',
  second_factor_required: 'error.secondFactorRequired',
  second_factor_invalid: 'error.secondFactorInvalid',
  review_own_record: 'error.reviewOwnRecord',
  review_state_invalid: 'error.reviewStateInvalid',
  publication_not_allowed: 'error.publicationNotAllowed',
  not_published: 'error.notPublished',
  unpublish_not_allowed: 'error.unpublishNotAllowed',
  timestamp_failed: 'error.timestampFailed',
  timestamp_not_configured: 'error.timestampNotConfigured',
  database_unavailable: 'error.databaseUnavailable',
  commit_outcome_unknown: 'error.commitOutcomeUnknown',
  search_too_broad: 'error.searchTooBroad',
  job_pruned: 'error.jobPruned',
};

/** The message, in the user's language, for a problem code of the server's catalogue (else a generic one). */
export function problemMessageKey(code: string): MessageKey {
  return messageByCode[code] ?? 'error.generic';
}

/** A failed request, explained in the user's language; the server's own words follow for detail. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error === undefined || error === null) return null;
  const key = error instanceof ApiError ? (messageByCode[error.problem.code] ?? 'error.generic') : 'error.generic';
  const detail = error instanceof ApiError ? error.problem.detail : error instanceof Error ? error.message : '';
  return (
    <div className="notice notice-error" role="alert">
      <p>{t(key)}</p>
      {detail !== '' && (
        <p className="notice-detail" dir="auto">
          {detail}
        </p>
      )}
    </div>
  );
}

export interface ControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled form control with its hint and its error (from the server's `fields`) beside it. */
export function Field({
  label,
  error,
  hint,
  className,
  carried,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  className?: string;
  /** Set while the value was carried over from the previous record and not touched: the badge's text. */
  carried?: string | undefined;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = error === undefined ? undefined : `${id}-error`;
  const describedBy = [hintId, errorId].filter((part) => part !== undefined).join(' ') || undefined;
  return (
    <div
      className={`field${error === undefined ? '' : ' field-invalid'}${carried === undefined ? '' : ' field-carried'}${className === undefined ? '' : ` ${className}`}`}
    >
      <label htmlFor={id}>
        {label}
        {/* Part of the label, so a screen reader says it with the field's name. */}
        {carried !== undefined && (
          <>
            {' '}
            <span className="carried-badge">{carried}</span>
          </>
        )}
      </label>
      {children({ id, 'aria-invalid': error === undefined ? undefined : true, 'aria-describedby': describedBy })}
      {hint !== undefined && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" id={errorId}>
          <bdi dir="auto">{error}</bdi>
        </p>
      )}
    </div>
  );
}

/** A select over a controlled vocabulary, labelled through the message catalogue. */
export function VocabularySelect({
  group,
  values,
  value,
  onChange,
  allowEmpty,
  emptyLabel,
  control,
  required,
  selectRef,
  autoFocus,
}: {
  group: string;
  values: readonly string[];
  value: string;
  onChange: (value: string) => void;
  allowEmpty?: boolean;
  emptyLabel?: string;
  control: ControlProps;
  required?: boolean;
  selectRef?: Ref<HTMLSelectElement>;
  autoFocus?: boolean;
}) {
  const { label, t } = useI18n();
  return (
    <select
      {...control}
      ref={selectRef}
      autoFocus={autoFocus}
      value={value}
      required={required}
      onChange={(event) => onChange(event.target.value)}
    >
      {allowEmpty === true && <option value="">{emptyLabel ?? t('common.notRecorded')}</option>}
      {values.map((option) => (
        <option key={option} value={option}>
          {label(group, option)}
        </option>
      ))}
    </select>
  );
}

/** A definition list row that says "not recorded" for empty values. */
export function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/**
 * A page section showing data loaded from the API: its heading, what went
 * wrong if loading failed, "loading" meanwhile, a note when there is nothing
 * to show, else the data; `footer` (a form to add more) comes last in every case.
 *
 * @example
 * <LoadedSection id="custody" title={t('custody.title')} loaded={custody}
 *   isEmpty={(data) => data.items.length === 0} empty={t('custody.empty')}
 *   footer={<CustodyForm itemId={itemId} onAdded={custody.reload} />}>
 *   {(data) => <ol>…</ol>}
 * </LoadedSection>
 */
export function LoadedSection<T>({
  id,
  title,
  intro,
  className = 'section',
  loaded,
  isEmpty,
  empty,
  footer,
  children,
}: {
  id: string;
  title: string;
  intro?: string;
  className?: string;
  loaded: Loaded<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  footer?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { data, error } = loaded;
  return (
    <section className={className} aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro !== undefined && <p className="muted">{intro}</p>}
      {error !== undefined && <ErrorNotice error={error} />}
      {data === undefined ? (
        error === undefined && <Loading />
      ) : isEmpty?.(data) === true ? (
        <EmptyState>{empty}</EmptyState>
      ) : (
        children(data)
      )}
      {footer}
    </section>
  );
}

/**
 * User-written text after a separator ("Crate 4 · north wall"), isolated so
 * that a right-to-left value does not reorder what surrounds it; nothing
 * when there is no text.
 */
export function Appended({ separator, text }: { separator: string; text: string | null | undefined }) {
  if (text === null || text === undefined || text === '') return null;
  return (
    <>
      {separator}
      <bdi dir="auto">{text}</bdi>
    </>
  );
}
