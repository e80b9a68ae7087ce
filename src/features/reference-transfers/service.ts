import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { findById } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin } from '../access/service.js';
import { requireReader, requireVisible } from '../sensitivity/service.js';
import { recordChange } from '../audit/service.js';
import { candidateKeys } from './designation.js';
import * as repository from './repository.js';
import type {
  ImportSummary,
  ReferenceImport,
  ReferenceTransfer,
  TransferLead,
  TransferLeads,
  TransferSearch,
  TransferSearchQuery,
} from './schema.js';
import { parseSipriTradeRegister, type PartyKind } from './sipri.js';

const SIPRI_DATASET = 'sipri_trade_register';
const INSERT_BATCH = 500;
const MAX_LEADS = 500;

function toImport(row: Row<'reference_imports'>): ReferenceImport {
  return { ...toJsonRecord(row), dataset: 'sipri_trade_register' };
}

function toTransfer(row: Row<'reference_transfers'>): ReferenceTransfer {
  return {
    id: row.id,
    line_number: row.line_number,
    supplier: row.supplier,
    supplier_kind: row.supplier_kind as PartyKind,
    recipient: row.recipient,
    recipient_kind: row.recipient_kind as PartyKind,
    state_to_state: row.supplier_kind === 'state' && row.recipient_kind === 'state',
    order_year: row.order_year,
    order_year_uncertain: row.order_year_uncertain,
    number_ordered: row.number_ordered,
    number_ordered_uncertain: row.number_ordered_uncertain,
    designation: row.designation,
    description: row.description,
    number_delivered: row.number_delivered,
    number_delivered_uncertain: row.number_delivered_uncertain,
    delivery_years: row.delivery_years,
    status: row.status,
    comments: row.comments,
    tiv_per_unit: row.tiv_per_unit,
    tiv_total_order: row.tiv_total_order,
    tiv_delivered: row.tiv_delivered,
  };
}

/**
 * Imports a SIPRI trade-register CSV as instance-wide reference data
 * (administrators only). The whole file is checked first and nothing is
 * written if any line is wrong; then every deal is loaded in one
 * transaction. Earlier imports are kept; lookups use the latest.
 *
 * @example
 * const summary = await importSipriTradeRegister(db, admin, {
 *   fileName: 'trade-register.csv', bytes: fs.readFileSync('trade-register.csv'),
 * }, (done, total) => bar.update(done));
 */
export async function importSipriTradeRegister(
  db: Kysely<DB>,
  user: Actor,
  file: { fileName: string; bytes: Uint8Array },
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  requireAdmin(user);
  const started = Date.now();
  const parsed = parseSipriTradeRegister(file.bytes);
  if (parsed.problems.length > 0) {
    const first = parsed.problems[0]!;
    throw new DomainError(
      'validation_failed',
      `${file.fileName} has ${parsed.problems.length}${parsed.problems.length >= 100 ? ' or more' : ''} problem(s); nothing was imported. First, line ${first.line}: ${first.message}.`,
      parsed.problems.map((problem) => ({ field: `line ${problem.line}`, message: problem.message })),
    );
  }
  if (parsed.transfers.length === 0) {
    throw new DomainError(
      'validation_failed',
      `${file.fileName} holds no deals after its header; nothing was imported.`,
    );
  }
  const total = parsed.transfers.length;
  const row = await db.transaction().execute(async (trx) => {
    const imported = await repository.insertImport(trx, {
      id: uuidv7(),
      dataset: SIPRI_DATASET,
      file_name: file.fileName,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      encoding: parsed.encoding,
      preamble: parsed.preamble,
      row_count: total,
      created_by: user.userId,
      created_at: new Date(),
    });
    for (let start = 0; start < total; start += INSERT_BATCH) {
      const batch = parsed.transfers.slice(start, start + INSERT_BATCH);
      await repository.insertTransfers(
        trx,
        batch.map((transfer) => ({ ...transfer, id: uuidv7(), import_id: imported.id })),
      );
      onProgress?.(start + batch.length, total);
    }
    // The deals themselves are public data reproducible from the file, whose hash is audited.
    await recordChange(trx, user, {
      action: 'reference.import_sipri',
      entityType: 'reference_imports',
      entityId: imported.id,
      investigationId: null,
      after: imported,
    });
    return imported;
  });
  const count = (flag: 'order_year_uncertain' | 'number_ordered_uncertain' | 'number_delivered_uncertain') =>
    parsed.transfers.filter((transfer) => transfer[flag]).length;
  return {
    import: toImport(row),
    uncertain: {
      order_year: count('order_year_uncertain'),
      number_ordered: count('number_ordered_uncertain'),
      number_delivered: count('number_delivered_uncertain'),
    },
    joined_lines: parsed.joinedLines,
    seconds: (Date.now() - started) / 1000,
  };
}

/** Every reference import, newest first; any signed-in user may read reference data. */
export async function listReferenceImports(db: Kysely<DB>): Promise<{ items: ReferenceImport[] }> {
  return { items: (await repository.listImports(db)).map(toImport) };
}

/** State-to-state first (the usual addressees of a trace request), then supplier, then year of order. */
function compareLeads(a: ReferenceTransfer, b: ReferenceTransfer): number {
  if (a.state_to_state !== b.state_to_state) return a.state_to_state ? -1 : 1;
  if (a.supplier !== b.supplier) return a.supplier < b.supplier ? -1 : 1;
  return (a.order_year ?? 0) - (b.order_year ?? 0) || a.line_number - b.line_number;
}

async function findLeads(
  db: Kysely<DB>,
  texts: string[],
  limit: number,
): Promise<{ importRow: Row<'reference_imports'> | undefined; leads: TransferLead[] }> {
  const importRow = await repository.findLatestImport(db, SIPRI_DATASET);
  if (importRow === undefined) return { importRow, leads: [] };
  const candidates = candidateKeys(texts);
  const rows = await repository.findTransfersByKeys(db, importRow.id, [...candidates.keys()], limit);
  const leads = rows.map((row) => {
    // The longest matching words say best why the deal was listed.
    const matched = row.designation_keys
      .map((key) => candidates.get(key))
      .filter((text): text is string => text !== undefined)
      .sort((a, b) => b.length - a.length);
    return { ...toTransfer(row), matched_on: matched[0] ?? '' };
  });
  leads.sort(compareLeads);
  return { importRow, leads };
}

function summariseBySupplier(leads: TransferLead[]): TransferLeads['suppliers'] {
  const bySupplier = new Map<string, TransferLead[]>();
  for (const lead of leads) bySupplier.set(lead.supplier, [...(bySupplier.get(lead.supplier) ?? []), lead]);
  return [...bySupplier.entries()].map(([supplier, deals]) => {
    const years = deals.flatMap((deal) => [
      ...(deal.order_year === null ? [] : [deal.order_year]),
      ...deal.delivery_years,
    ]);
    return {
      supplier,
      supplier_kind: deals[0]!.supplier_kind,
      deals: deals.length,
      recipients: [...new Set(deals.map((deal) => deal.recipient))].sort(),
      number_delivered: deals.reduce((sum, deal) => sum + (deal.number_delivered ?? 0), 0),
      first_year: years.length === 0 ? null : Math.min(...years),
      last_year: years.length === 0 ? null : Math.max(...years),
    };
  });
}

/**
 * Leads for a trace request: the recorded transfers (latest SIPRI import) of
 * the designation an item carries, found from its model and its model
 * markings with tolerant matching (case, spaces, dashes, accents).
 *
 * @example
 * const { leads, suppliers } = await getTransferLeads(db, user, itemId);
 * suppliers[0]; // { supplier: 'Soviet Union', deals: 3, recipients: ['Iraq', 'Syria'], ... }
 */
export async function getTransferLeads(db: Kysely<DB>, user: Actor, itemId: string): Promise<TransferLeads> {
  const item = await findById(db, 'items', itemId);
  requireVisible((await requireReader(db, user, item.investigation_id)).clearance, item, 'Item');
  const designations = await repository.findItemDesignations(db, itemId);
  const searched = [...(designations.model === null ? [] : [designations.model]), ...designations.markings];
  const { importRow, leads } = await findLeads(db, searched, MAX_LEADS);
  return {
    item_id: itemId,
    searched,
    import: importRow === undefined ? null : toImport(importRow),
    leads,
    suppliers: summariseBySupplier(leads),
  };
}

/** Recorded transfers of a designation typed by hand, matched as tolerantly as an item's. */
export async function searchReferenceTransfers(
  db: Kysely<DB>,
  _user: Actor,
  query: TransferSearchQuery,
): Promise<TransferSearch> {
  const { importRow, leads } = await findLeads(db, [query.designation], query.limit);
  return { import: importRow === undefined ? null : toImport(importRow), items: leads };
}
