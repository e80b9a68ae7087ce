import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.js';
import type { DB } from '../../db/tables.js';
import { DomainError } from '../../errors.js';
import type { JobQueue } from '../../jobs/index.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { jobActor } from '../jobs/service.js';
import { instanceSigner } from '../signing/instance-key.js';
import { verifyAudit, type StoredFilesCheck } from './service.js';

export const AUDIT_VERIFY_JOB = 'audit.verify';

/** The check of the stored files, composed by the mount list (audit does not know media). */
export type StoredFilesCheckOf = (db: Kysely<DB>, store: EvidenceStore) => StoredFilesCheck;

/**
 * `armtrace verify` as a job (administrators): the audit chain, the checkpoints, every record against its audited
 * state and every stored original re-hashed, with progress; the result is the verify report as JSON. The job
 * succeeds when verify ran, whatever it found (`ok` in the report says whether everything held).
 *
 * @example
 * registerAuditJobs(queue, { config, checkStoredFilesOf: (db, store) => (onProgress) => verifyMediaFiles(db, store, onProgress) });
 */
export function registerAuditJobs(
  queue: JobQueue,
  deps: { config: Config; checkStoredFilesOf: StoredFilesCheckOf },
): void {
  queue.register(AUDIT_VERIFY_JOB, async (_payload, context) => {
    const actor = await jobActor(context.db, context.createdBy);
    if (!actor.isAdmin) throw new DomainError('forbidden', 'Only administrators can verify the whole audit chain.');
    let entries = 0;
    let files = 0;
    // Progress is written at most every 500 entries or files: a counter, not a query per row.
    const report = async (): Promise<void> =>
      context.progress(entries + files, null, `${entries} audit entries, ${files} files checked`);
    let pending: Promise<void> = Promise.resolve();
    const result = await verifyAudit(
      context.db,
      (checked) => {
        entries = checked;
        if (checked % 500 === 0) pending = pending.then(report);
      },
      {
        checkStoredFiles: deps.checkStoredFilesOf(context.db, context.store),
        onFileProgress: (checked) => {
          files = checked;
          if (checked % 500 === 0) pending = pending.then(report);
        },
        ownFingerprint: instanceSigner(deps.config).fingerprint,
        timestamping: deps.config.timestamping,
      },
    );
    await pending;
    await report();
    return context.keepResult(Buffer.from(`${JSON.stringify(result, null, 2)}\n`), 'verify.json', 'application/json');
  });
}
