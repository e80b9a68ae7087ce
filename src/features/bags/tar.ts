/**
 * A folder as one POSIX (ustar) tar stream, with its exact length known before
 * the first byte is sent: a download of a bag can then show real progress.
 * Regular files and folders only; names longer than ustar allows are refused.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DomainError } from '../../errors.js';
import { isSafeBagPath } from './bagit.js';

const BLOCK = 512;

export interface TarEntry {
  /** The path inside the archive, with `/` separators. */
  name: string;
  /** The file on disk. */
  file: string;
  size: number;
  mtime: Date;
}

/** Every regular file under `root`, sorted, named `prefix/relative/path`. */
export async function listTarEntries(root: string, prefix: string): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const walk = async (folder: string, relative: string): Promise<void> => {
    const children = (await fsp.readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      const file = path.join(folder, child.name);
      const name = `${relative}/${child.name}`;
      if (child.isDirectory()) await walk(file, name);
      else if (child.isFile()) {
        const stat = await fsp.stat(file);
        entries.push({ name, file, size: stat.size, mtime: stat.mtime });
      }
    }
  };
  await walk(root, prefix);
  return entries;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** The archive's length in bytes: a header and the padded content per file, then two zero blocks. */
export function tarLength(entries: readonly TarEntry[]): number {
  return entries.reduce((total, entry) => total + BLOCK + entry.size + padding(entry.size), 2 * BLOCK);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** Splits a path into ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes) at a `/`. */
function splitName(name: string): { name: string; prefix: string } {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: '' };
  for (let index = name.indexOf('/'); index !== -1; index = name.indexOf('/', index + 1)) {
    const prefix = name.slice(0, index);
    const rest = name.slice(index + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { name: rest, prefix };
  }
  throw new Error(`${name} is too long for a tar header`);
}

function header(entry: TarEntry): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(entry.name);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(entry.size, 12), 124, 'ascii');
  block.write(octal(Math.floor(entry.mtime.getTime() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7), 148, 'ascii');
  block.write(' ', 155, 'ascii');
  return block;
}

/**
 * The entries as a tar stream; `onEnd` runs once it is read to its end or abandoned (to remove the folder).
 *
 * @example
 * const entries = await listTarEntries('/tmp/bag', 'bag');
 * reply.header('content-length', tarLength(entries)).send(tarStream(entries, () => cleanUp()));
 */
export function tarStream(entries: readonly TarEntry[], onEnd: () => void): Readable {
  async function* generate() {
    for (const entry of entries) {
      yield header(entry);
      let written = 0;
      for await (const chunk of fs.createReadStream(entry.file)) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (written !== entry.size) throw new Error(`${entry.file} changed while it was archived`);
      const pad = padding(entry.size);
      if (pad > 0) yield Buffer.alloc(pad);
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  const stream = Readable.from(generate(), { objectMode: false });
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  stream.on('close', end);
  stream.on('end', end);
  stream.on('error', end);
  return stream;
}

function readText(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return (end === -1 ? field : field.subarray(0, end)).toString('utf8');
}

function readOctal(block: Buffer, start: number, length: number): number {
  const text = readText(block, start, length).trim();
  if (!/^[0-7]*$/.test(text)) return Number.NaN;
  return text === '' ? 0 : parseInt(text, 8);
}

/**
 * Unpacks a tar stream of one folder (a bag as `GET …/bag.tar` sends it) into
 * `folder`, dropping the archive's top folder name. Regular files and folders
 * only (a link or device is refused, PAX headers are skipped); a path that
 * would leave `folder`, a bad header checksum, a truncated archive or more
 * than `maxBytes` is refused with `validation_failed` naming `field`.
 *
 * @example
 * await extractTar(request.body as Readable, '/tmp/incoming-bag', 10 * 1024 ** 3);
 */
export async function extractTar(
  source: AsyncIterable<Buffer | string>,
  folder: string,
  maxBytes: number,
  field = 'file',
): Promise<{ files: number; bytes: number }> {
  const refuse = (why: string) =>
    new DomainError('validation_failed', `The archive cannot be read as a bag: ${why}.`, [{ field, message: why }]);
  let pending: Buffer = Buffer.alloc(0);
  let received = 0;
  let files = 0;
  let skip = 0;
  let top: string | undefined;
  let ended = false;
  let current: { handle: fsp.FileHandle; remaining: number; pad: number } | undefined;
  try {
    for await (const data of source) {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      received += chunk.length;
      if (received > maxBytes) throw refuse(`it is larger than ${maxBytes} bytes`);
      if (ended) continue;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (current !== undefined) {
          const take = Math.min(current.remaining, pending.length);
          if (take === 0 && current.remaining > 0) break;
          let offset = 0;
          while (offset < take) offset += (await current.handle.write(pending, offset, take - offset)).bytesWritten;
          pending = pending.subarray(take);
          current.remaining -= take;
          if (current.remaining > 0) break;
          await current.handle.close();
          skip = current.pad;
          current = undefined;
          continue;
        }
        if (skip > 0) {
          const take = Math.min(skip, pending.length);
          if (take === 0) break;
          pending = pending.subarray(take);
          skip -= take;
          continue;
        }
        if (pending.length < BLOCK) break;
        const block = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (block.every((byte) => byte === 0)) {
          ended = true;
          break;
        }
        let sum = 0;
        for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 32 : block[index]!;
        if (readOctal(block, 148, 8) !== sum) throw refuse('a header’s checksum is wrong');
        const size = readOctal(block, 124, 12);
        if (!Number.isSafeInteger(size)) throw refuse('a header’s size is not a number');
        const type = String.fromCharCode(block[156]!);
        if (type === 'x' || type === 'g') {
          skip = size + padding(size);
          continue;
        }
        const prefix = readText(block, 257, 6).startsWith('ustar') ? readText(block, 345, 155) : '';
        const name = prefix === '' ? readText(block, 0, 100) : `${prefix}/${readText(block, 0, 100)}`;
        const segments = name.replace(/\/+$/, '').split('/');
        const first = segments[0]!;
        if (top === undefined) top = first;
        if (first !== top || (segments.length < 2 && type !== '5')) {
          throw refuse(`${name} is not inside the archive's one top folder ${top}`);
        }
        const relative = segments.slice(1).join('/');
        if (type === '5') {
          if (relative !== '' && !isSafeBagPath(relative)) throw refuse(`${name} is not a safe path`);
          continue;
        }
        if (type !== '0' && type !== '\0') throw refuse(`${name} is not a regular file (type ${type})`);
        if (!isSafeBagPath(relative)) throw refuse(`${name} is not a safe path`);
        const target = path.join(folder, ...relative.split('/'));
        await fsp.mkdir(path.dirname(target), { recursive: true });
        const handle = await fsp.open(target, 'wx', 0o644).catch((error: unknown) => {
          throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? refuse(`${name} is in the archive twice`) : error;
        });
        files += 1;
        current = { handle, remaining: size, pad: padding(size) };
      }
    }
    if (!ended) throw refuse('it ends before its end-of-archive blocks (truncated)');
  } finally {
    await current?.handle.close().catch(() => undefined);
  }
  return { files, bytes: received };
}
