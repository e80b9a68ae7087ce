// Reads a zip export (ODK Central's submissions zip, KoboToolbox's media zip) with bounds: every member's name must
// stay inside the archive (no `../`, no absolute path), a member larger than its limit is refused before a byte of
// it is read (yauzl also checks that the bytes match the size the directory declares), and there are at most
// `maxEntries` members. Text members (CSV, JSON) are read into memory; the others are opened when needed.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { DomainError } from '../../errors.js';

export interface ArchiveLimits {
  /** The largest CSV or JSON member, in bytes. */
  maxTextBytes: number;
  /** The largest attachment (photo), in bytes. */
  maxMediaBytes: number;
  maxEntries: number;
}

export interface ArchiveMember {
  /** The path inside the archive, with `/` separators. */
  path: string;
  sizeBytes: number;
  open(): Promise<Readable>;
}

export interface OpenArchive {
  /** CSV and JSON members, by path, decoded as UTF-8. */
  texts: Map<string, string>;
  /** Every other file member. */
  members: ArchiveMember[];
  close(): void;
}

const textExtensions = /\.(csv|json)$/i;

function unsafe(name: string): DomainError {
  return new DomainError(
    'validation_failed',
    `The archive holds a file named ${JSON.stringify(name)}, which leads outside the archive; it is refused as a whole.`,
    [{ field: name, message: 'leads outside the archive', code: 'archive_entry_unsafe' }],
  );
}

function tooLarge(name: string, maximum: number): DomainError {
  return new DomainError('validation_failed', `${name} in the archive is larger than ${maximum} bytes.`, [
    { field: name, message: `larger than ${maximum} bytes`, code: 'archive_entry_too_large', params: { maximum } },
  ]);
}

/** A member name is safe when it is relative and none of its segments climbs out (checked again beside yauzl's own check). */
export function isSafeMemberName(name: string): boolean {
  if (name === '' || name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.includes('\0')) {
    return false;
  }
  return !name.split('/').some((segment) => segment === '..');
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

/** yauzl refuses some unsafe names itself, before they reach us; its message names the file. */
function translateZipError(error: Error): Error {
  const match = /^(?:invalid relative path|absolute path|invalid characters in fileName): (.*)$/.exec(error.message);
  if (match !== null) return unsafe(match[1]!);
  if (error instanceof DomainError) return error;
  return new DomainError('validation_failed', `The archive cannot be read: ${error.message}.`, [
    { field: 'file', message: `not a readable zip archive (${error.message})`, code: 'export_format_unknown' },
  ]);
}

/**
 * Opens a zip archive and reads its directory, refusing it whole if any member is unsafe or too large.
 *
 * @example
 * const archive = await openArchive('/tmp/export.zip', { maxTextBytes: 64e6, maxMediaBytes: 200e6, maxEntries: 10000 });
 * try { console.log([...archive.texts.keys()]); } finally { archive.close(); }
 */
export function openArchive(file: string, limits: ArchiveLimits): Promise<OpenArchive> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (openError, zip) => {
      if (openError) return reject(translateZipError(openError));
      const texts = new Map<string, string>();
      const members: ArchiveMember[] = [];
      let entries = 0;
      const fail = (error: Error): void => {
        zip.close();
        reject(translateZipError(error));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve({ texts, members, close: () => zip.close() }));
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          entries += 1;
          if (entries > limits.maxEntries) throw new Error(`more than ${limits.maxEntries} files`);
          const name = entry.fileName;
          if (!isSafeMemberName(name)) throw unsafe(name);
          if (name.endsWith('/')) return;
          if (entry.isEncrypted()) throw new Error(`${name} is encrypted`);
          if (textExtensions.test(name)) {
            if (entry.uncompressedSize > limits.maxTextBytes) throw tooLarge(name, limits.maxTextBytes);
            texts.set(name, (await readAll(await openEntry(zip, entry))).toString('utf8'));
          } else {
            if (entry.uncompressedSize > limits.maxMediaBytes) throw tooLarge(name, limits.maxMediaBytes);
            members.push({ path: name, sizeBytes: entry.uncompressedSize, open: () => openEntry(zip, entry) });
          }
        })().then(
          () => zip.readEntry(),
          (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
        );
      });
      zip.readEntry();
    });
  });
}
