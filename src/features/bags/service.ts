import type { Kysely } from 'kysely';
import type { TimestampingConfig } from '../../config/config.js';
import type { DB } from '../../db/tables.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { makeMediaCopies, type MediaCopy, type WithheldMedia } from '../export/media-copies.js';
import { profileDefinitions, type ProfileOptions } from '../export/profiles.js';
import { exportInvestigation, type InvestigationExport } from '../export/service.js';
import { extensionFor } from '../../storage/sniff.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { bagSignatureFiles, signerBagInfo } from '../signing/bag-signature.js';
import type { InstanceSigner } from '../signing/instance-key.js';
import { writeBag, type PayloadFile } from './bagit.js';
import { bagTimestamper, type BagTimestamp } from './timestamp.js';

type Records = InvestigationExport['records'];
type RecordRow = Record<string, unknown>;

const SOFTWARE = 'armtrace 0.1.0 (https://armtrace.org)';

function idsOf(rows: RecordRow[] | undefined, column: string): Set<string> {
  const ids = new Set<string>();
  for (const row of rows ?? []) {
    const value = row[column];
    if (typeof value === 'string') ids.add(value);
  }
  return ids;
}

function keep(rows: RecordRow[] | undefined, column: string, ids: Set<string>): RecordRow[] {
  return (rows ?? []).filter((row) => typeof row[column] === 'string' && ids.has(row[column]));
}

/**
 * The records that concern the chosen items: the items, their markings,
 * custody events, photos (of the item or its markings) and what those refer
 * to (sites, zones, sources, incidents, trace requests, actors, claims).
 */
function recordsForItems(records: Records, itemIds: string[]): Records {
  const all = records as Record<string, RecordRow[]>;
  const known = idsOf(all.items, 'id');
  const unknown = itemIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new DomainError('not_found', `Item ${unknown.join(', ')} is not in this investigation.`, [
      { field: 'items', message: `not in the investigation: ${unknown.join(', ')}` },
    ]);
  }
  const items = new Set(itemIds);
  const kept: Record<string, RecordRow[]> = Object.fromEntries(Object.keys(all).map((table) => [table, []]));
  kept.items = keep(all.items, 'id', items);
  kept.markings = keep(all.markings, 'item_id', items);
  const markings = idsOf(kept.markings, 'id');
  kept.custody_events = keep(all.custody_events, 'item_id', items);
  kept.media_links = [...keep(all.media_links, 'item_id', items), ...keep(all.media_links, 'marking_id', markings)];
  kept.media = keep(all.media, 'id', idsOf(kept.media_links, 'media_id'));
  kept.sites = keep(all.sites, 'id', idsOf(kept.items, 'site_id'));
  kept.zones = keep(all.zones, 'id', idsOf(kept.items, 'zone_id'));
  kept.incident_items = keep(all.incident_items, 'item_id', items);
  kept.incidents = keep(all.incidents, 'id', idsOf(kept.incident_items, 'incident_id'));
  // The sites of those incidents that the bag holds (an incident's other sites stay out with their items).
  kept.incident_sites = keep(
    keep(all.incident_sites, 'incident_id', idsOf(kept.incidents, 'id')),
    'site_id',
    idsOf(kept.sites, 'id'),
  );
  kept.trace_request_items = keep(all.trace_request_items, 'item_id', items);
  kept.trace_requests = keep(all.trace_requests, 'id', idsOf(kept.trace_request_items, 'trace_request_id'));
  kept.provenance_claims = keep(all.provenance_claims, 'item_id', items);
  const actors = new Set([
    ...idsOf(kept.trace_requests, 'addressee_id'),
    ...idsOf(kept.provenance_claims, 'actor_id'),
    ...idsOf(kept.provenance_claims, 'counterpart_id'),
  ]);
  kept.actors = keep(all.actors, 'id', actors);
  const sources = new Set([
    ...idsOf(kept.media, 'source_id'),
    ...idsOf(kept.incidents, 'source_id'),
    ...idsOf(kept.provenance_claims, 'source_id'),
  ]);
  kept.sources = keep(all.sources, 'id', sources);
  // Which device sent each of the records kept, when it was captured and when it arrived.
  const written = new Set([
    ...items,
    ...markings,
    ...idsOf(kept.custody_events, 'id'),
    ...idsOf(kept.sites, 'id'),
    ...idsOf(kept.zones, 'id'),
  ]);
  kept.sync_operations = keep(all.sync_operations, 'record_id', written);
  kept.form_submissions = keep(all.form_submissions, 'item_id', items);
  kept.media_proofs = keep(all.media_proofs, 'media_id', idsOf(kept.media, 'id'));
  return kept;
}

interface OriginalEntry {
  path: string;
  sha256: string;
  media_ids: string[];
  credits: {
    media_id: string;
    original_filename: unknown;
    credit: unknown;
    licence: unknown;
    source_id: unknown;
    original_url: unknown;
  }[];
}

function creditsText(originals: OriginalEntry[], title: string): string {
  const lines = [`Credits for the media in this bag (${title})`, ''];
  for (const original of originals) {
    for (const credit of original.credits) {
      lines.push(original.path);
      lines.push(
        `  media ${credit.media_id}${typeof credit.original_filename === 'string' ? `, ${credit.original_filename}` : ''}`,
      );
      lines.push(`  Credit: ${typeof credit.credit === 'string' ? credit.credit : '(none recorded)'}`);
      if (typeof credit.licence === 'string') lines.push(`  Licence: ${credit.licence}`);
      if (typeof credit.original_url === 'string') lines.push(`  Original: ${credit.original_url}`);
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}

interface ProofFileEntry {
  path: string;
  sha256: string;
  /** The proofs (media_proofs ids) that list it, with the name and role it has in each. */
  proofs: { proof_id: string; media_id: string; name: string; role: string }[];
}

/**
 * The files of the proofs kept (C2PA manifest stores, ProofMode proofs, signatures, keys, bundles), each once by its
 * hash under `data/proofs/`, unless it is one of the originals already in the bag.
 */
function proofFilesOf(proofs: RecordRow[], originals: Map<string, OriginalEntry>): Map<string, ProofFileEntry> {
  const files = new Map<string, ProofFileEntry>();
  for (const proof of proofs) {
    for (const file of (proof.files ?? []) as { name?: unknown; role?: unknown; sha256?: unknown }[]) {
      if (typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256) || originals.has(file.sha256))
        continue;
      const name = typeof file.name === 'string' ? file.name : '';
      const extension = /(\.[A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? '';
      const entry = files.get(file.sha256) ?? {
        path: `data/proofs/${file.sha256}${extension}`,
        sha256: file.sha256,
        proofs: [],
      };
      entry.proofs.push({
        proof_id: String(proof.id),
        media_id: String(proof.media_id),
        name,
        role: typeof file.role === 'string' ? file.role : 'other',
      });
      files.set(file.sha256, entry);
    }
  }
  return files;
}

/** The credits of the photo copies, in the shape of the originals' (the copy's path, the original's media rows). */
function creditsOfCopies(media: RecordRow[], copies: MediaCopy[]): OriginalEntry[] {
  const byId = new Map(media.map((row) => [String(row.id), row]));
  return copies.map((copy) => ({
    path: copy.path,
    sha256: copy.sha256,
    media_ids: copy.media_ids,
    credits: copy.media_ids.map((id) => {
      const row = byId.get(id) ?? {};
      return {
        media_id: id,
        original_filename: row.original_filename,
        credit: row.credit,
        licence: row.licence,
        source_id: row.source_id,
        original_url: row.original_url,
      };
    }),
  }));
}

export interface BagExportResult {
  out: string;
  files: number;
  bytes: number;
  originals: number;
  audit_head: { position: number; hash: string } | null;
  /** Who signed the bag's tag manifest; null for an unsigned bag. */
  signer: { fingerprint: string; name: string } | null;
  /** The RFC 3161 token over tagmanifest-sha256.txt (tagmanifest-sha256.txt.tsr), or why there is none. */
  timestamp: BagTimestamp;
}

/**
 * Writes an investigation (or only the records about some items) as a BagIt
 * bag: `data/records.json` (every record, archived ones too, as in `export
 * json`, with the device and capture/receipt times of each write that came
 * through offline sync), `data/originals/<sha256>.<ext>` (each original once, re-hashed
 * while copied), `data/proofs/<sha256>.<ext>` (the files of the proofs the media came with: C2PA manifest stores,
 * ProofMode proofs, signatures, keys and bundles, each once), `data/CREDITS.txt`, and bag-info.txt naming the
 * investigation, the exporter, the time and the audit-chain head. With a `signer`, bag-info.txt names it and the
 * tag manifest gets a detached Ed25519 signature (`tagmanifest-sha256.txt.sig`, `….signer.json`). With a TSA
 * configured, `tagmanifest-sha256.txt.tsr` holds an RFC 3161 token over the tag manifest (a TSA failure leaves the
 * bag without one; `timestamp` says why). These files are over the tag manifest's exact bytes and listed in no
 * manifest.
 *
 * @example
 * await exportBag(db, store, actor, investigationId, { items: [itemId] }, '/media/usb/case-12');
 */
export async function exportBag(
  db: Kysely<DB>,
  store: EvidenceStore,
  actor: Actor,
  investigationId: string,
  options: {
    items?: string[] | undefined;
    timestamping?: TimestampingConfig | undefined;
    profile?: ProfileOptions | undefined;
  },
  out: string,
  signer?: InstanceSigner,
): Promise<BagExportResult> {
  const profile = options.profile ?? { profile: 'internal' };
  const document = await exportInvestigation(db, actor, investigationId, profile);
  const records =
    options.items === undefined || options.items.length === 0
      ? document.records
      : recordsForItems(document.records, options.items);
  // Partner and public bags carry re-encoded photo copies without metadata instead of the originals.
  const cleanCopies = profileDefinitions[profile.profile].mediaFiles === 'clean_copies';
  const mediaRows = (records as Record<string, RecordRow[]>).media ?? [];
  const copies = cleanCopies
    ? await makeMediaCopies(store, mediaRows, 'data/copies/')
    : { copies: [] as MediaCopy[], withheld: [] as WithheldMedia[], bytes: new Map<string, Buffer>() };
  const originals = new Map<string, OriginalEntry>();
  for (const media of cleanCopies ? [] : mediaRows) {
    const sha256 = String(media.sha256);
    const entry = originals.get(sha256) ?? {
      path: `data/originals/${sha256}${extensionFor(String(media.media_type))}`,
      sha256,
      media_ids: [],
      credits: [],
    };
    entry.media_ids.push(String(media.id));
    entry.credits.push({
      media_id: String(media.id),
      original_filename: media.original_filename,
      credit: media.credit,
      licence: media.licence,
      source_id: media.source_id,
      original_url: media.original_url,
    });
    originals.set(sha256, entry);
  }
  const credited = cleanCopies ? creditsOfCopies(mediaRows, copies.copies) : [...originals.values()];
  const proofFiles = proofFilesOf((records as Record<string, RecordRow[]>).media_proofs ?? [], originals);
  const bagDocument = {
    ...document,
    records,
    ...(options.items === undefined || options.items.length === 0 ? {} : { selected_items: options.items }),
    originals: [...originals.values()].map(({ credits, ...entry }) => ({ ...entry, credits })),
    ...(cleanCopies ? { media_copies: copies.copies, media_withheld: copies.withheld } : {}),
    proof_files: [...proofFiles.values()],
  };
  const title = document.investigation.title;
  const payload: PayloadFile[] = [
    { path: 'records.json', bytes: Buffer.from(`${JSON.stringify(bagDocument, null, 2)}\n`) },
    { path: 'CREDITS.txt', bytes: Buffer.from(creditsText(credited, title)) },
    ...[...originals.values()].map((original) => ({
      path: original.path.slice('data/'.length),
      expectedSha256: original.sha256,
      bytes: () => store.get(original.sha256),
    })),
    ...copies.copies.map((copy) => ({
      path: copy.path.slice('data/'.length),
      expectedSha256: copy.sha256,
      bytes: copies.bytes.get(copy.sha256)!,
    })),
    ...[...proofFiles.values()].map((proofFile) => ({
      path: proofFile.path.slice('data/'.length),
      expectedSha256: proofFile.sha256,
      bytes: () => store.get(proofFile.sha256),
    })),
  ];
  const head = document.audit_head;
  const timestamper = bagTimestamper(options.timestamping ?? { url: undefined, caFiles: [], timeoutMs: 30_000 });
  const written = await writeBag(
    out,
    payload,
    {
      'Source-Organization': 'armtrace',
      'External-Identifier': investigationId,
      'External-Description': title,
      'Bag-Software-Agent': SOFTWARE,
      'Armtrace-Investigation': `${investigationId} ${title}`,
      'Armtrace-Profile':
        document.profile.coordinates.kind === 'grid'
          ? `${document.profile.name} (coordinates: ${document.profile.coordinates.method})`
          : document.profile.name,
      ...(document.exported_by === null ? {} : { 'Armtrace-Exported-By': document.exported_by }),
      'Armtrace-Exported-At': document.exported_at,
      'Armtrace-Audit-Head': head === null ? 'empty chain' : `${head.position}:${head.hash}`,
      ...(options.items === undefined || options.items.length === 0
        ? {}
        : { 'Armtrace-Items': options.items.join(' ') }),
      ...(signer === undefined ? {} : signerBagInfo(signer)),
    },
    {
      overTagManifest: async (tagManifest) => [
        ...Object.entries(signer === undefined ? {} : bagSignatureFiles(signer, tagManifest)).map(([name, text]) => ({
          name,
          bytes: Buffer.from(text, 'utf8'),
        })),
        ...(await timestamper.overTagManifest(tagManifest)),
      ],
    },
  );
  return {
    out,
    files: written.files,
    bytes: written.bytes,
    originals: originals.size,
    audit_head: head,
    signer: signer === undefined ? null : { fingerprint: signer.fingerprint, name: signer.name },
    timestamp: timestamper.outcome(),
  };
}
