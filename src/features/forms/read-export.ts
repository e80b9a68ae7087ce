// Reading an ODK Central or KoboToolbox export for the import (service.ts): the file's hash, its tables (a zip, JSON
// or CSV, recognised by its content) and each submission's photos found in the zip and staged in the evidence
// store, checked as images, before anything is recorded.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { MediaConfig } from '../../config/config.js';
import { DomainError, type FieldProblem } from '../../errors.js';
import { inspectFile, type FileFacts } from '../media/inspect.js';
import { readEmbeddedProofs } from '../media/ingest-proofs.js';
import type { StoredProof } from '../media/proofs.js';
import { checkDeclaredType } from '../../storage/sniff.js';
import type { EvidenceStore, StagedOriginal } from '../../storage/evidence-store.js';
import { openArchive, type ArchiveMember, type OpenArchive } from './archive.js';
import { readKoboCsv, readOdkCentralCsv, readSubmissionsJson, unrecognised, type ReadExport } from './exports.js';
import type { SubmissionPlan } from './plan.js';

/** The largest CSV or JSON read (a whole file or one member of a zip). */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;
const MAX_ARCHIVE_ENTRIES = 20_000;

/** Where photos are staged and the limits they are checked against. */
export interface PhotoStaging {
  store: EvidenceStore;
  media: Pick<MediaConfig, 'maxUploadBytes' | 'maxImagePixels'>;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function readTables(texts: Map<string, string>, fileName: string): ReadExport {
  const jsons = [...texts.keys()].filter((name) => name.toLowerCase().endsWith('.json'));
  if (jsons.length > 1) throw unrecognised(`The zip holds ${jsons.length} JSON files; give one.`);
  if (jsons.length === 1) return readSubmissionsJson(texts.get(jsons[0]!)!);
  const csvs = new Map([...texts].filter(([name]) => name.toLowerCase().endsWith('.csv')));
  if (csvs.size === 0) throw unrecognised(`${fileName} holds no CSV or JSON of submissions.`);
  const headers = [...csvs.values()].map((content) => content.slice(0, content.indexOf('\n') + 1 || undefined));
  if (headers.some((header) => /(^|[,;])"?KEY"?([,;\r\n]|$)/.test(header))) return readOdkCentralCsv(csvs);
  if (csvs.size === 1 && headers.some((header) => /meta\/instanceID|(^|[,;])"?_uuid"?/.test(header))) {
    const [name, content] = [...csvs][0]!;
    return readKoboCsv(name, content);
  }
  throw unrecognised(
    `${fileName} is neither an ODK Central nor a KoboToolbox CSV export (no KEY, meta/instanceID or _uuid column).`,
  );
}

/** Reads the export (zip, JSON or CSV); the caller closes the archive. */
export async function readExport(
  file: string,
  displayName: string,
  maxMediaBytes: number,
): Promise<{ read: ReadExport; archive?: OpenArchive }> {
  const head = await readHead(file);
  if (head.equals(Buffer.from('PK\u0003\u0004', 'latin1'))) {
    const archive = await openArchive(file, {
      maxTextBytes: MAX_TEXT_BYTES,
      maxMediaBytes,
      maxEntries: MAX_ARCHIVE_ENTRIES,
    });
    try {
      return { read: readTables(archive.texts, displayName), archive };
    } catch (error) {
      archive.close();
      throw error;
    }
  }
  const { size } = await fsp.stat(file);
  if (size > MAX_TEXT_BYTES) {
    throw new DomainError('validation_failed', `The file is larger than ${MAX_TEXT_BYTES} bytes.`, [
      {
        field: 'file',
        message: `larger than ${MAX_TEXT_BYTES} bytes`,
        code: 'file_too_large',
        params: { maximum: MAX_TEXT_BYTES },
      },
    ]);
  }
  const content = await fsp.readFile(file, 'utf8');
  const name = path.basename(displayName);
  const extension = content.trimStart().startsWith('{') ? '.json' : '.csv';
  return { read: readTables(new Map([[name.endsWith(extension) ? name : `${name}${extension}`, content]]), name) };
}

/** Kobo keeps attachment names as Django's `get_valid_filename` made them: spaces to `_`, other symbols dropped. */
function koboFileName(name: string): string {
  return name
    .trim()
    .replaceAll(' ', '_')
    .replace(/[^-\w.]/gu, '');
}

export function findAttachment(
  members: readonly ArchiveMember[],
  plan: SubmissionPlan,
  filename: string,
): ArchiveMember | undefined {
  const uuid = plan.instanceId.replace(/^uuid:/, '');
  const byName = (wanted: string) => members.filter((member) => path.posix.basename(member.path) === wanted);
  for (const wanted of [filename, koboFileName(filename)]) {
    const candidates = byName(wanted);
    // Kobo's media zip keeps each submission's files in a folder named by its uuid.
    const inFolder = candidates.find((member) => member.path.split('/').includes(uuid));
    if (inFolder !== undefined) return inFolder;
    if (candidates.length === 1) return candidates[0];
  }
  return undefined;
}

export interface StagedPhoto {
  filename: string;
  staged: StagedOriginal;
  mediaType: string;
  facts: FileFacts;
  /** A C2PA manifest the photo carries (its files already in the store). */
  proofs: StoredProof[];
}

export async function stagePhoto(
  context: PhotoStaging,
  member: ArchiveMember,
  filename: string,
  problem: (message: string, code: string, params?: FieldProblem['params']) => void,
): Promise<StagedPhoto | undefined> {
  if (member.sizeBytes > context.media.maxUploadBytes) {
    problem(`larger than ${context.media.maxUploadBytes} bytes`, 'archive_entry_too_large', {
      maximum: context.media.maxUploadBytes,
    });
    return undefined;
  }
  let staged: StagedOriginal;
  try {
    staged = await context.store.stage(await member.open(), { maxBytes: context.media.maxUploadBytes });
  } catch (error) {
    // More bytes than the archive's directory declared (yauzl checks), or more than the limit.
    const detail =
      error instanceof DomainError ? (error.fields[0]?.message ?? error.message) : (error as Error).message;
    problem(`${filename} cannot be read from the archive within its size: ${detail}`, 'archive_entry_too_large', {
      maximum: context.media.maxUploadBytes,
    });
    return undefined;
  }
  try {
    const mediaType = checkDeclaredType(staged.head, { filename });
    if (!mediaType.startsWith('image/')) throw new Error(`content is ${mediaType}`);
    const facts = await inspectFile(staged.localPath, mediaType, context.media.maxImagePixels);
    const proofs = await readEmbeddedProofs(context.store, staged.localPath, mediaType, staged.sizeBytes);
    return { filename, staged, mediaType, facts, proofs };
  } catch (error) {
    await staged.discard();
    const detail =
      error instanceof DomainError ? (error.fields[0]?.message ?? error.message) : (error as Error).message;
    problem(`${filename} is not an image that can be kept: ${detail}`, 'attachment_not_image', { filename });
    return undefined;
  }
}
