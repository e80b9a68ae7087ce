import { useState } from 'react';
import { ApiError } from '../../api/client';

/** A record the server versions: every change carries the version it was made on. */
export interface Versioned {
  version: number;
}

/** Where a versioned edit stands, and what the form can do next. */
export interface VersionedEdit<Current extends Versioned> {
  /** Sends the user's changes (only the fields they changed) on the version the form was loaded from. */
  save: (changes: object) => Promise<void>;
  /** Set after a refused stale save: the user's changes and the server's current record, for StaleEditNotice. */
  conflict: { mine: object; current: Current } | undefined;
  /** The last failure other than a stale version (field problems included), for ErrorNotice and fieldErrors. */
  error: unknown;
  busy: boolean;
  /** Drops the user's changes: the form is reset to the current record, and later saves are made on it. */
  useCurrent: () => void;
  /** Re-sends the user's changes on the current version; fields the user did not change keep their current values. */
  applyMine: () => Promise<void>;
}

/**
 * The version check of an edit form: `save(changes)` sends `{ version, ...changes }`; when the server refuses a
 * stale version (409 `version_conflict`) nothing is overwritten, the current record is read and offered beside the
 * user's changes (`conflict`), and the user either takes it (`useCurrent`) or applies their changes onto it
 * (`applyMine`).
 *
 * @example
 * const edit = useVersionedEdit({
 *   version: site.version,
 *   send: (body) => call(api.PATCH('/api/v1/sites/{id}', { params: { path: { id } }, body })),
 *   readCurrent: () => call(api.GET('/api/v1/sites/{id}', { params: { path: { id } } })),
 *   onSaved: (saved) => { close(); reload(); },
 *   onUseCurrent: (current) => setDraft(draftOf(current)),
 * });
 */
export function useVersionedEdit<Current extends Versioned>({
  version,
  send,
  readCurrent,
  onSaved,
  onUseCurrent,
}: {
  /** The version of the record the form was filled from. */
  version: number;
  send: (body: { version: number } & object) => Promise<unknown>;
  readCurrent: () => Promise<Current>;
  onSaved: () => void;
  onUseCurrent: (current: Current) => void;
}): VersionedEdit<Current> {
  const [baseVersion, setBaseVersion] = useState(version);
  const [conflict, setConflict] = useState<{ mine: object; current: Current } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const sendOn = async (changes: object, onVersion: number) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await send({ ...changes, version: onVersion });
      setConflict(undefined);
      onSaved();
    } catch (caught) {
      if (caught instanceof ApiError && caught.problem.code === 'version_conflict') {
        try {
          setConflict({ mine: changes, current: await readCurrent() });
        } catch (readError) {
          setError(readError);
        }
      } else {
        setError(caught);
      }
    } finally {
      setBusy(false);
    }
  };

  return {
    save: (changes) => sendOn(changes, baseVersion),
    conflict,
    error,
    busy,
    useCurrent: () => {
      if (conflict === undefined) return;
      setBaseVersion(conflict.current.version);
      setConflict(undefined);
      setError(undefined);
      onUseCurrent(conflict.current);
    },
    applyMine: async () => {
      if (conflict === undefined) return;
      setBaseVersion(conflict.current.version);
      await sendOn(conflict.mine, conflict.current.version);
    },
  };
}
