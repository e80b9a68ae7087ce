import { useState } from 'react';
import { sameValue } from './record/recordDiff';
import { useVersionedEdit, type VersionedEdit } from './record/useVersionedEdit';

interface RegisterRecord {
  id: string;
  version: number;
}

export interface RegisterForm<Rec extends RegisterRecord, Body extends object> {
  /** Creates the record, or sends only the fields the user changed with the version the form was filled from. */
  submit: (body: Body) => Promise<void>;
  /** The last refusal (field problems included), for fieldErrors and ErrorNotice. */
  error: unknown;
  busy: boolean;
  /** A correction found nothing to change: nothing was sent. */
  nothingChanged: boolean;
  /** A refused stale save, for StaleEditNotice, and the two ways out of it. */
  conflict: VersionedEdit<Rec>['conflict'];
  useCurrent: () => void;
  applyMine: () => Promise<void>;
}

/**
 * The saving side of a register form (actor, source, incident) that both records new ones and corrects existing
 * ones: creation posts the whole body; a correction goes through {@link useVersionedEdit} with only the changed
 * fields, so a stale save overwrites nothing and applying one's changes onto the current version keeps the rest.
 *
 * @example
 * const form = useRegisterForm({ record: actor, bodyOfRecord: (a) => bodyOf(draftOf(a)), create, update, read,
 *   onCreated: (a) => navigate(paths.actor(investigationId, a.id)), onSaved, onUseCurrent: (a) => setDraft(draftOf(a)) });
 * await form.submit(bodyOf(draft));
 */
export function useRegisterForm<Rec extends RegisterRecord, Body extends object>({
  record,
  bodyOfRecord,
  create,
  update,
  read,
  onCreated,
  onSaved,
  onUseCurrent,
}: {
  record: Rec | undefined;
  bodyOfRecord: (record: Rec) => Body;
  create: (body: Body) => Promise<Rec>;
  update: (id: string, body: { version: number } & object) => Promise<unknown>;
  read: (id: string) => Promise<Rec>;
  onCreated?: (record: Rec) => void;
  onSaved?: () => void;
  onUseCurrent: (current: Rec) => void;
}): RegisterForm<Rec, Body> {
  const [base, setBase] = useState(record);
  const [createError, setCreateError] = useState<unknown>(undefined);
  const [creating, setCreating] = useState(false);
  const [nothingChanged, setNothingChanged] = useState(false);
  const id = record?.id ?? '';
  const edit = useVersionedEdit<Rec>({
    version: record?.version ?? 0,
    send: (body) => update(id, body),
    readCurrent: () => read(id),
    onSaved: () => onSaved?.(),
    onUseCurrent: (current) => {
      setBase(current);
      onUseCurrent(current);
    },
  });

  const submit = async (body: Body) => {
    setNothingChanged(false);
    if (base === undefined) {
      if (creating) return;
      setCreating(true);
      setCreateError(undefined);
      try {
        onCreated?.(await create(body));
      } catch (caught) {
        setCreateError(caught);
      } finally {
        setCreating(false);
      }
      return;
    }
    const before = bodyOfRecord(base) as Record<string, unknown>;
    const changes = Object.fromEntries(Object.entries(body).filter(([key, value]) => !sameValue(value, before[key])));
    if (Object.keys(changes).length === 0) {
      setNothingChanged(true);
      return;
    }
    await edit.save(changes);
  };

  return {
    submit,
    error: base === undefined ? createError : edit.error,
    busy: creating || edit.busy,
    nothingChanged,
    conflict: edit.conflict,
    useCurrent: edit.useCurrent,
    applyMine: edit.applyMine,
  };
}
