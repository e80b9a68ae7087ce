import { createHash, randomUUID, type Hash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError } from '../../errors.js';

/**
 * BagIt (RFC 8493): a folder with the payload under `data/`, checksum
 * manifests for the payload and for the tag files, and `bag-info.txt`.
 * Writing and validating need nothing but the file system.
 */

/** Digest algorithms a manifest may use, by their BagIt names. */
const supportedAlgorithms: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};

/** One payload file: its path under data/ and where its bytes come from. */
export interface PayloadFile {
  /** Relative to data/, with forward slashes, e.g. `originals/ab12….jpg`. */
  path: string;
  bytes: Buffer | (() => Promise<Readable>);
  /** When known, the copy is refused unless its SHA-256 equals this. */
  expectedSha256?: string;
}

/** RFC 8493 §2.1.3: CR, LF and % are percent-encoded in manifest paths. */
function encodeManifestPath(filePath: string): string {
  return filePath.replace(/%/g, '%25').replace(/\n/g, '%0A').replace(/\r/g, '%0D');
}

function decodeManifestPath(filePath: string): string {
  return filePath.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');
}

/** bag-info.txt values are one line each; continuation lines would need indenting. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

/**
 * A path from a manifest that stays inside the bag: relative, forward
 * slashes, no `.`/`..` segment, no empty segment. Anything else could read
 * or vouch for files outside the bag folder, so it is refused.
 */
export function isSafeBagPath(filePath: string): boolean {
  if (filePath === '' || filePath.includes('\0') || filePath.includes('\\')) return false;
  if (filePath.startsWith('/') || /^[A-Za-z]:/.test(filePath) || filePath.startsWith('~')) return false;
  return filePath.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

async function writeFileDurably(file: string, bytes: Buffer | string): Promise<void> {
  const handle = await fsp.open(file, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Copies a stream to a new file, hashing on the way; returns the SHA-256 and size. */
async function copyHashed(source: Readable, file: string): Promise<{ sha256: string; size: number }> {
  const handle = await fsp.open(file, 'wx', 0o644);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const data of source) {
      const chunk = data as Buffer;
      hash.update(chunk);
      size += chunk.length;
      let offset = 0;
      while (offset < chunk.length) offset += (await handle.write(chunk, offset)).bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}

function manifestText(entries: { path: string; sha256: string }[]): string {
  return entries
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((entry) => `${entry.sha256}  ${encodeManifestPath(entry.path)}\n`)
    .join('');
}

function sha256Of(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes a complete bag at `out` (which must not exist): payload files under
 * data/, `manifest-sha256.txt`, `bag-info.txt` with the given fields plus
 * Bagging-Date and Payload-Oxum, and `tagmanifest-sha256.txt`. The bag is
 * built beside `out` and renamed into place, so `out` is never half a bag.
 * `options.overTagManifest` gets the tag manifest's exact bytes and returns further
 * `tagmanifest-sha256.txt.<kind>` files to put beside it, listed in no manifest: the
 * detached signature (src/features/signing/bag-signature.ts) and the RFC 3161 token
 * (./timestamp.ts).
 *
 * @example
 * await writeBag('/tmp/case-12.bag', [{ path: 'records.json', bytes: Buffer.from('{}') }],
 *   { 'External-Identifier': investigationId });
 */
export async function writeBag(
  out: string,
  payload: AsyncIterable<PayloadFile> | Iterable<PayloadFile>,
  info: Record<string, string>,
  options: {
    /**
     * Tag files made from the finished tag manifest's bytes (the detached signature and its signer, a timestamp token over it), written beside it
     * before the bag is moved into place. They cannot be listed in the tag manifest they are made from.
     */
    overTagManifest?: (tagManifest: Buffer) => Promise<{ name: string; bytes: Buffer }[]>;
  } = {},
): Promise<{ files: number; bytes: number }> {
  const target = path.resolve(out);
  if (fs.existsSync(target)) {
    throw new DomainError('already_exists', `${out} already exists; give a new folder for the bag.`, [
      { field: 'out', message: 'already exists' },
    ]);
  }
  const building = `${target}.partial-${randomUUID().slice(0, 8)}`;
  await fsp.mkdir(path.join(building, 'data'), { recursive: true });
  try {
    const entries: { path: string; sha256: string }[] = [];
    let bytes = 0;
    for await (const file of payload) {
      if (!isSafeBagPath(file.path)) throw new Error(`unsafe payload path ${file.path}`);
      const destination = path.join(building, 'data', ...file.path.split('/'));
      await fsp.mkdir(path.dirname(destination), { recursive: true });
      let written: { sha256: string; size: number };
      if (Buffer.isBuffer(file.bytes)) {
        await writeFileDurably(destination, file.bytes);
        written = { sha256: sha256Of(file.bytes), size: file.bytes.length };
      } else {
        written = await copyHashed(await file.bytes(), destination);
      }
      if (file.expectedSha256 !== undefined && written.sha256 !== file.expectedSha256) {
        throw new DomainError(
          'constraint_violated',
          `data/${file.path} should have SHA-256 ${file.expectedSha256} but its source hashes to ${written.sha256}: the stored original was changed; run \`armtrace verify\`.`,
        );
      }
      entries.push({ path: `data/${file.path}`, sha256: written.sha256 });
      bytes += written.size;
    }
    const tagFiles: Record<string, string> = {
      'bagit.txt': 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
      'manifest-sha256.txt': manifestText(entries),
      'bag-info.txt': Object.entries({
        ...info,
        'Bagging-Date': new Date().toISOString().slice(0, 10),
        'Payload-Oxum': `${bytes}.${entries.length}`,
      })
        .map(([label, value]) => `${label}: ${oneLine(value)}\n`)
        .join(''),
    };
    for (const [name, text] of Object.entries(tagFiles)) await writeFileDurably(path.join(building, name), text);
    const tagManifest = Buffer.from(
      manifestText(Object.entries(tagFiles).map(([name, text]) => ({ path: name, sha256: sha256Of(text) }))),
    );
    await writeFileDurably(path.join(building, 'tagmanifest-sha256.txt'), tagManifest);
    for (const extra of (await options.overTagManifest?.(tagManifest)) ?? []) {
      if (!/^tagmanifest-sha256\.txt(\.[a-z0-9]+){1,2}$/.test(extra.name))
        throw new Error(`unexpected tag file ${extra.name}`);
      await writeFileDurably(path.join(building, extra.name), extra.bytes);
    }
    await fsp.rename(building, target);
    return { files: entries.length, bytes };
  } catch (error) {
    await fsp.rm(building, { recursive: true, force: true });
    throw error;
  }
}

export interface BagProblem {
  kind: 'missing' | 'extra' | 'altered' | 'unsafe_path' | 'invalid' | 'signature' | 'timestamp';
  path?: string;
  message: string;
}

export interface BagVerification {
  ok: boolean;
  algorithms: string[];
  payload_files: number;
  problems: BagProblem[];
}

/** Every file and symbolic link under `root`, as bag-relative paths with forward slashes. */
async function listFiles(root: string, relative = ''): Promise<{ files: string[]; links: string[] }> {
  const files: string[] = [];
  const links: string[] = [];
  const entries = await fsp.readdir(path.join(root, relative), { withFileTypes: true });
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isSymbolicLink()) links.push(child);
    else if (entry.isDirectory()) {
      const nested = await listFiles(root, child);
      files.push(...nested.files);
      links.push(...nested.links);
    } else if (entry.isFile()) files.push(child);
  }
  return { files, links };
}

async function digestFile(file: string, algorithms: string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, Hash>(algorithms.map((name) => [name, createHash(supportedAlgorithms[name]!)]));
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    for (const hash of hashes.values()) hash.update(chunk as Buffer);
  }
  return new Map([...hashes].map(([name, hash]) => [name, hash.digest('hex')]));
}

interface ManifestEntry {
  checksum: string;
  path: string;
}

function parseManifest(text: string, manifest: string, problems: BagProblem[]): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  for (const [index, line] of text.split(/\r\n|\r|\n/).entries()) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-fA-F]+)[ \t]+(.+)$/.exec(line);
    if (match === null) {
      problems.push({
        kind: 'invalid',
        path: manifest,
        message: `${manifest} line ${index + 1} is not "CHECKSUM PATH".`,
      });
      continue;
    }
    const filePath = decodeManifestPath(match[2]!);
    if (!isSafeBagPath(filePath)) {
      problems.push({
        kind: 'unsafe_path',
        path: filePath,
        message: `${manifest} line ${index + 1} names ${JSON.stringify(filePath)}, which is not a path inside the bag; it was not read.`,
      });
      continue;
    }
    if (seen.has(filePath)) {
      problems.push({ kind: 'invalid', path: filePath, message: `${manifest} lists ${filePath} more than once.` });
      continue;
    }
    seen.add(filePath);
    entries.push({ checksum: match[1]!.toLowerCase(), path: filePath });
  }
  return entries;
}

function readTagFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Validates any BagIt bag: bagit.txt is well formed, every file listed in a
 * payload or tag manifest is there with the listed checksum, every payload
 * file is listed in every payload manifest, and Payload-Oxum (when given)
 * matches. Names each missing, extra and altered file. Paths that would
 * leave the bag folder (absolute, `..`) and symbolic links are refused
 * without being read.
 *
 * @example
 * const result = await verifyBag('/media/usb/case-12.bag');
 * for (const problem of result.problems) console.log(problem.kind, problem.path);
 */
export async function verifyBag(bagPath: string): Promise<BagVerification> {
  const root = path.resolve(bagPath);
  const problems: BagProblem[] = [];
  const stats = await fsp.stat(root).catch(() => undefined);
  if (stats === undefined || !stats.isDirectory()) {
    return {
      ok: false,
      algorithms: [],
      payload_files: 0,
      problems: [{ kind: 'invalid', message: `${bagPath} is not a folder.` }],
    };
  }
  const declaration = readTagFile(path.join(root, 'bagit.txt'));
  if (declaration === undefined) {
    problems.push({ kind: 'missing', path: 'bagit.txt', message: 'bagit.txt is missing: this is not a bag.' });
  } else if (
    !/^BagIt-Version: \d+\.\d+\r?\n/.test(declaration) ||
    !/Tag-File-Character-Encoding: \S+/.test(declaration)
  ) {
    problems.push({
      kind: 'invalid',
      path: 'bagit.txt',
      message: 'bagit.txt must declare BagIt-Version and Tag-File-Character-Encoding.',
    });
  }

  const { files, links } = await listFiles(root);
  for (const link of links) {
    problems.push({ kind: 'unsafe_path', path: link, message: `${link} is a symbolic link; it was not followed.` });
  }
  const present = new Set(files);
  const payloadFiles = files.filter((file) => file.startsWith('data/'));
  const manifestNames = files.filter((file) => /^manifest-[a-z0-9]+\.txt$/.test(file));
  const tagManifestNames = files.filter((file) => /^tagmanifest-[a-z0-9]+\.txt$/.test(file));
  if (manifestNames.length === 0) {
    problems.push({ kind: 'missing', message: 'No payload manifest (manifest-<algorithm>.txt) in the bag.' });
  }

  // Read each listed file once, computing every algorithm it is listed under.
  const expected = new Map<string, { algorithm: string; checksum: string; manifest: string }[]>();
  const listedPayload = new Map<string, Set<string>>();
  for (const manifest of [...manifestNames, ...tagManifestNames]) {
    const algorithm = /-([a-z0-9]+)\.txt$/.exec(manifest)![1]!;
    if (supportedAlgorithms[algorithm] === undefined) {
      problems.push({
        kind: 'invalid',
        path: manifest,
        message: `${manifest} uses ${algorithm}, which cannot be checked here.`,
      });
      continue;
    }
    const isTagManifest = manifest.startsWith('tag');
    const entries = parseManifest(readTagFile(path.join(root, manifest)) ?? '', manifest, problems);
    if (!isTagManifest) listedPayload.set(manifest, new Set(entries.map((entry) => entry.path)));
    for (const entry of entries) {
      if (!isTagManifest && !entry.path.startsWith('data/')) {
        problems.push({
          kind: 'invalid',
          path: entry.path,
          message: `${manifest} lists ${entry.path}, which is not in data/: payload manifests list payload files only.`,
        });
        continue;
      }
      if (isTagManifest && (entry.path.startsWith('data/') || /^tagmanifest-/.test(entry.path))) {
        problems.push({
          kind: 'invalid',
          path: entry.path,
          message: `${manifest} lists ${entry.path}; tag manifests list tag files only.`,
        });
        continue;
      }
      const list = expected.get(entry.path) ?? [];
      list.push({ algorithm, checksum: entry.checksum, manifest });
      expected.set(entry.path, list);
    }
  }

  for (const [filePath, checks] of [...expected].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!present.has(filePath)) {
      if (!links.includes(filePath)) {
        problems.push({
          kind: 'missing',
          path: filePath,
          message: `${filePath} is listed in ${checks[0]!.manifest} but missing.`,
        });
      }
      continue;
    }
    const digests = await digestFile(path.join(root, ...filePath.split('/')), [
      ...new Set(checks.map((check) => check.algorithm)),
    ]);
    const wrong = checks.filter((check) => digests.get(check.algorithm) !== check.checksum);
    if (wrong.length > 0) {
      problems.push({
        kind: 'altered',
        path: filePath,
        message: `${filePath} was altered: its ${wrong[0]!.algorithm} is ${digests.get(wrong[0]!.algorithm)}, ${wrong[0]!.manifest} says ${wrong[0]!.checksum}.`,
      });
    }
  }

  for (const file of payloadFiles) {
    const missingFrom = [...listedPayload].filter(([, listed]) => !listed.has(file)).map(([manifest]) => manifest);
    if (missingFrom.length > 0) {
      problems.push({
        kind: 'extra',
        path: file,
        message: `${file} is in the bag but not listed in ${missingFrom.join(', ')}.`,
      });
    }
  }

  const info = readTagFile(path.join(root, 'bag-info.txt'));
  const oxum = info === undefined ? null : /^Payload-Oxum:\s*(\d+)\.(\d+)\s*$/m.exec(info);
  if (oxum !== null) {
    let octets = 0;
    for (const file of payloadFiles) octets += (await fsp.stat(path.join(root, ...file.split('/')))).size;
    if (Number(oxum[1]) !== octets || Number(oxum[2]) !== payloadFiles.length) {
      problems.push({
        kind: 'invalid',
        path: 'bag-info.txt',
        message: `Payload-Oxum says ${oxum[1]} bytes in ${oxum[2]} files; the payload has ${octets} bytes in ${payloadFiles.length} files.`,
      });
    }
  }

  return {
    ok: problems.length === 0,
    algorithms: [...new Set(manifestNames.map((name) => /-([a-z0-9]+)\.txt$/.exec(name)![1]!))],
    payload_files: payloadFiles.length,
    problems,
  };
}
