/**
 * A folder as one POSIX (ustar) tar stream, with its exact length known before
 * the first byte is sent: a download of a bag can then show real progress.
 * Regular files and folders only; names longer than ustar allows are refused.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

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
