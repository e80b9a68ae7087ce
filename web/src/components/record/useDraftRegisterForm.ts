import { useState, type SubmitEvent } from 'react';
import { fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { useI18n } from '../../i18n/i18n';
import { useRegisterForm, type RegisterForm } from '../useRegisterForm';

interface DraftRegisterFormOptions<Draft, Rec extends { id: string; version: number }, Body extends object> {
  /** The record corrected; none for a new one. */
  record: Rec | undefined;
  emptyDraft: Draft;
  draftOf: (record: Rec) => Draft;
  bodyOf: (draft: Draft) => Body;
  /** Whether the form shows this field error beside a field (else the whole problem is shown below the form). */
  isPlaced: (field: string) => boolean;
  create: (body: Body) => Promise<Rec>;
  update: (id: string, body: { version: number } & object) => Promise<unknown>;
  read: (id: string) => Promise<Rec>;
  onCreated?: ((record: Rec) => void) | undefined;
  onSaved?: (() => void) | undefined;
}

/**
 * A register form whose fields are all text (actor, source): the draft as typed, {@link useRegisterForm} to save
 * it, and the server's errors by field. Taking the server's current version after a stale save resets the draft.
 *
 * @example
 * const { draft, set, submit, errors, unplaced, form } = useDraftRegisterForm({ record: actor, emptyDraft,
 *   draftOf, bodyOf, isPlaced: (field) => field in emptyDraft, create, update, read, onCreated, onSaved });
 * <form onSubmit={(event) => void submit(event)}><input value={draft.name} onChange={(e) => set('name')(e.target.value)} />
 */
export function useDraftRegisterForm<
  Draft extends Record<string, string>,
  Rec extends { id: string; version: number },
  Body extends object,
>({ record, emptyDraft, draftOf, bodyOf, isPlaced, ...saving }: DraftRegisterFormOptions<Draft, Rec, Body>) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => (record === undefined ? emptyDraft : draftOf(record)));
  const form: RegisterForm<Rec, Body> = useRegisterForm({
    record,
    bodyOfRecord: (current: Rec) => bodyOf(draftOf(current)),
    ...saving,
    onUseCurrent: (current) => setDraft(draftOf(current)),
  });
  const set = (key: keyof Draft) => (value: string) => setDraft((previous) => ({ ...previous, [key]: value }));
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    await form.submit(bodyOf(draft));
  };
  const errors = fieldErrors(form.error, (problem) => fieldErrorMessage(t, problem));
  /** A refusal none of whose field errors is shown beside a field: the problem itself is shown. */
  const unplaced = form.error !== undefined && !Object.keys(errors).some(isPlaced);
  return { draft, set, submit, errors, unplaced, form };
}
