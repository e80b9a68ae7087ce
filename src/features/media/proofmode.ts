// Reads a ProofMode bundle (Guardian Project): a zip holding the media file(s) and, per media file, its proof
// (`<name or sha256>.proof.json` / `.proof.csv`), a detached OpenPGP signature of the media (`<…>.asc`) and of each
// proof file (`<…>.proof.json.asc`, `<…>.proof.csv.asc`), with the signer's public key (`pubkey.asc`). The zip is
// read with bounds (every member's name stays inside it, at most MAX_MEMBERS members, proof files at most
// MAX_PROOF_FILE_BYTES, media at the upload limit); media members are typed by their content when staged.
// Signatures are checked with openpgp.js against the key in the bundle: like a C2PA certificate, that key proves
// the files are unchanged since they were signed by it, not who holds it.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import type * as openpgp from 'openpgp';
import yauzl from 'yauzl';
import { DomainError } from '../../errors.js';
import type { ProofFile, ProofFileRole, ProofReading, SignatureState } from './proof-types.js';

export const MAX_MEMBERS = 1000;
export const MAX_PROOF_FILE_BYTES = 4 * 1024 * 1024;
/** How many fields of a proof are kept in the claims summary, and how long each value may be. */
const MAX_PROOF_FIELDS = 200;
const MAX_FIELD_LENGTH = 1000;

/** Members that are proof material, by name (never media, whatever their content). */
const proofNamePattern = /(\.proof\.json|\.proof\.csv|\.asc|\.ots|\.gst|\.txt|\.csv|\.json)$/i;
/** Members whose presence makes a zip a ProofMode bundle. */
const bundleMarkerPattern = /(\.proof\.json|\.proof\.csv|\.asc)$/i;

export interface BundleMember {
  /** The path inside the zip, `/`-separated. */
  path: string;
  sizeBytes: number;
  /** The bytes of a proof file (read when the zip is opened); undefined for a media member. */
  bytes: Buffer | undefined;
  open(): Promise<Readable>;
}

export interface OpenBundle {
  members: BundleMember[];
  close(): void;
}

function bundleProblem(message: string): DomainError {
  return new DomainError('validation_failed', `The zip cannot be read as a ProofMode bundle: ${message}.`, [
    { field: 'file', message, code: 'archive_entry_unsafe' },
  ]);
}

/** A member name is safe when it is relative and none of its segments climbs out. */
function isSafeName(name: string): boolean {
  if (name === '' || name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.includes('\0'))
    return false;
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

/** openpgp.js is loaded when a bundle is read, not by every command that loads this module. */
const loadOpenPgp = (): Promise<typeof openpgp> => import('openpgp');

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

/**
 * Opens a zip and lists its members, reading the proof files into memory. Refuses the zip (as a bundle) when a
 * member's name leads outside it, a member is encrypted or larger than its limit, or there are too many.
 *
 * @example
 * const bundle = await openBundle('/tmp/proofmode.zip', 200e6);
 * try { if (isProofModeBundle(bundle.members)) … } finally { bundle.close(); }
 */
export function openBundle(file: string, maxMediaBytes: number): Promise<OpenBundle> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (openError, zip) => {
      if (openError) return reject(bundleProblem(openError.message));
      const members: BundleMember[] = [];
      const fail = (error: Error): void => {
        zip.close();
        reject(error instanceof DomainError ? error : bundleProblem(error.message));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve({ members, close: () => zip.close() }));
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          if (members.length >= MAX_MEMBERS) throw new Error(`more than ${MAX_MEMBERS} files`);
          const name = entry.fileName;
          if (!isSafeName(name)) throw new Error(`${JSON.stringify(name)} leads outside the archive`);
          if (name.endsWith('/')) return;
          if (entry.isEncrypted()) throw new Error(`${name} is encrypted`);
          const isProofFile = proofNamePattern.test(name);
          const limit = isProofFile ? MAX_PROOF_FILE_BYTES : maxMediaBytes;
          if (entry.uncompressedSize > limit) throw new Error(`${name} is larger than ${limit} bytes`);
          members.push({
            path: name,
            sizeBytes: entry.uncompressedSize,
            bytes: isProofFile ? await readAll(await openEntry(zip, entry)) : undefined,
            open: () => openEntry(zip, entry),
          });
        })().then(
          () => zip.readEntry(),
          (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
        );
      });
      zip.readEntry();
    });
  });
}

/** A zip is taken as a ProofMode bundle when it holds a proof file or a signature. */
export function isProofModeBundle(members: readonly BundleMember[]): boolean {
  return members.some((member) => bundleMarkerPattern.test(member.path));
}

/** The members that may be media (typed by their content later); everything else is proof material. */
export function mediaMembers(members: readonly BundleMember[]): BundleMember[] {
  return members.filter((member) => member.bytes === undefined);
}

interface SignatureCheck {
  file: string;
  signs: string;
  state: SignatureState;
  reason: string;
  key_id?: string;
  signed_at?: string;
}

async function checkSignature(
  file: string,
  signs: string,
  armoredSignature: Buffer,
  data: Uint8Array,
  key: openpgp.PublicKey | undefined,
): Promise<SignatureCheck> {
  const pgp = await loadOpenPgp();
  let signature: openpgp.Signature;
  try {
    signature = await pgp.readSignature({ armoredSignature: armoredSignature.toString('utf8') });
  } catch (error) {
    try {
      signature = await pgp.readSignature({ binarySignature: new Uint8Array(armoredSignature) });
    } catch {
      return { file, signs, state: 'invalid', reason: `not an OpenPGP signature: ${(error as Error).message}` };
    }
  }
  const packet = signature.packets[0];
  const keyId = packet?.issuerKeyID.toHex();
  const signedAt = packet?.created?.toISOString();
  const facts = {
    ...(keyId === undefined ? {} : { key_id: keyId }),
    ...(signedAt === undefined ? {} : { signed_at: signedAt }),
  };
  if (key === undefined)
    return { file, signs, state: 'unverifiable', reason: 'the bundle holds no public key (pubkey.asc)', ...facts };
  const isText = packet?.signatureType === pgp.enums.signature.text;
  const message = isText
    ? await pgp.createMessage({ text: Buffer.from(data).toString('utf8') })
    : await pgp.createMessage({ binary: data });
  try {
    const result = await pgp.verify({ message, signature, verificationKeys: key, format: 'binary' });
    await result.signatures[0]!.verified;
    return { file, signs, state: 'verified', reason: `good signature by key ${keyId ?? '?'}`, ...facts };
  } catch (error) {
    const detail = (error as Error).message;
    if (/could not find signing key/i.test(detail)) {
      // The bundle says pubkey.asc signed its files; a signature by any other key does not hold for it.
      return {
        file,
        signs,
        state: 'invalid',
        reason: `signed by key ${keyId ?? '?'}, not by the bundle's public key ${key.getKeyID().toHex()}`,
        ...facts,
      };
    }
    return { file, signs, state: 'invalid', reason: `bad signature: ${detail}`, ...facts };
  }
}

function bounded(value: unknown): unknown {
  if (typeof value === 'string') return value.slice(0, MAX_FIELD_LENGTH);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return JSON.stringify(value).slice(0, MAX_FIELD_LENGTH);
}

/** The fields of a proof: the JSON object, or the first data row of the CSV by its header. */
function proofFields(json: Buffer | undefined, csv: Buffer | undefined): Record<string, unknown> {
  let fields: Record<string, unknown> = {};
  try {
    if (json !== undefined) {
      const parsed = JSON.parse(json.toString('utf8')) as unknown;
      const object = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
      if (object !== null && typeof object === 'object') fields = object as Record<string, unknown>;
    } else if (csv !== undefined) {
      const rows = parseCsv<Record<string, string>>(csv.toString('utf8'), {
        columns: true,
        relax_column_count: true,
        skip_empty_lines: true,
        bom: true,
      });
      fields = rows[0] ?? {};
    }
  } catch {
    return {};
  }
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([key]) => key.trim() !== '')
      .slice(0, MAX_PROOF_FIELDS)
      .map(([key, value]) => [key.slice(0, 200), bounded(value)]),
  );
}

/** The SHA-256 a proof gives for its media file (ProofMode's JSON and CSV name the field differently over time). */
function proofHash(fields: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(fields)) {
    if (/^(file hash sha256|sha256|filehash)$/i.test(key.trim()) && typeof value === 'string') {
      return value.trim().toLowerCase();
    }
  }
  return null;
}

/** One media file of a bundle: its name in the zip, its hash and its bytes. */
export interface BundleMedia {
  path: string;
  sha256: string;
  bytes: Uint8Array;
}

/**
 * The proof of one media file of a ProofMode bundle: its proof files (found by the media's name or SHA-256), the
 * signatures checked against the bundle's public key, and the proof's hash compared with the media's. Undefined
 * when the bundle holds no proof file for it.
 *
 * @example
 * const reading = await readProofModeProof(bundle.members, { path: 'IMG_1.jpg', sha256, bytes });
 */
export async function readProofModeProof(
  members: readonly BundleMember[],
  media: BundleMedia,
): Promise<ProofReading | undefined> {
  const byName = new Map<string, BundleMember>();
  for (const member of members) {
    if (member.bytes === undefined) continue;
    const name = path.posix.basename(member.path);
    if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), member);
  }
  const mediaName = path.posix.basename(media.path);
  let base = [mediaName, media.sha256].find((candidate) =>
    ['.proof.json', '.proof.csv', '.asc'].some((suffix) => byName.has(`${candidate}${suffix}`.toLowerCase())),
  );
  if (base === undefined) {
    // A bundle of one photo and one proof pairs them even when the names disagree: ProofMode names the proof by
    // the photo's hash when it was signed, so a photo changed since then is found here (and its hash compared).
    const proofBases = [
      ...new Set(
        [...byName.values()].flatMap((member) => {
          const match = /^(.+)\.proof\.(json|csv)$/i.exec(path.posix.basename(member.path));
          return match === null ? [] : [match[1]!];
        }),
      ),
    ];
    if (proofBases.length === 1 && mediaMembers(members).length === 1) base = proofBases[0];
  }
  if (base === undefined) return undefined;
  const find = (suffix: string) => byName.get(`${base}${suffix}`.toLowerCase());
  const files: ProofFile[] = [];
  const take = (member: BundleMember | undefined, role: ProofFileRole): Buffer | undefined => {
    if (member === undefined) return undefined;
    files.push({ name: member.path, role, bytes: member.bytes! });
    return member.bytes;
  };
  const json = take(find('.proof.json'), 'proof_json');
  const csv = take(find('.proof.csv'), 'proof_csv');
  const mediaSignature = take(find('.asc'), 'media_signature');
  const jsonSignature = take(find('.proof.json.asc'), 'proof_signature');
  const csvSignature = take(find('.proof.csv.asc'), 'proof_signature');
  for (const suffix of ['.ots', '.gst']) take(find(suffix), 'other');
  const keyMember = byName.get('pubkey.asc');
  const armoredKey = take(keyMember, 'public_key');

  let key: openpgp.PublicKey | undefined;
  let keyProblem: string | undefined;
  if (armoredKey !== undefined) {
    const pgp = await loadOpenPgp();
    try {
      key = (await pgp.readKey({ armoredKey: armoredKey.toString('utf8') })).toPublic();
    } catch (error) {
      keyProblem = `pubkey.asc is not a readable OpenPGP public key (${(error as Error).message})`;
    }
  }
  const signatures: SignatureCheck[] = [];
  if (mediaSignature !== undefined)
    signatures.push(await checkSignature(find('.asc')!.path, mediaName, mediaSignature, media.bytes, key));
  if (jsonSignature !== undefined && json !== undefined)
    signatures.push(
      await checkSignature(find('.proof.json.asc')!.path, find('.proof.json')!.path, jsonSignature, json, key),
    );
  if (csvSignature !== undefined && csv !== undefined)
    signatures.push(
      await checkSignature(find('.proof.csv.asc')!.path, find('.proof.csv')!.path, csvSignature, csv, key),
    );

  const fields = proofFields(json, csv);
  const hashInProof = proofHash(fields);
  const hashMatches = hashInProof === null ? null : hashInProof === media.sha256;

  const problems: string[] = [];
  if (hashMatches === false) problems.push(`the proof gives SHA-256 ${hashInProof}, the file is ${media.sha256}`);
  for (const check of signatures.filter((entry) => entry.state === 'invalid'))
    problems.push(`${check.file}: ${check.reason}`);
  let state: SignatureState;
  let reason: string;
  if (problems.length > 0) {
    state = 'invalid';
    reason = problems.join('; ');
  } else if (keyProblem !== undefined || key === undefined) {
    state = 'unverifiable';
    reason = keyProblem ?? 'the bundle holds no public key (pubkey.asc), so no signature can be checked';
  } else if (mediaSignature === undefined) {
    state = 'unverifiable';
    reason = `the bundle holds no signature of ${mediaName}`;
  } else if (signatures.some((entry) => entry.state !== 'verified')) {
    state = 'unverifiable';
    reason = signatures
      .filter((entry) => entry.state !== 'verified')
      .map((entry) => `${entry.file}: ${entry.reason}`)
      .join('; ');
  } else {
    state = 'verified';
    reason =
      `The signatures of ${mediaName} and of its proof match the public key in the bundle` +
      `${hashMatches === true ? ' and the proof gives the file’s SHA-256' : ''}. ` +
      'The key was not checked against any list: who holds it is not established.';
  }
  return {
    kind: 'proofmode',
    claims: {
      media_file: media.path,
      media_sha256: media.sha256,
      proof_sha256: hashInProof,
      proof_sha256_matches: hashMatches,
      signer:
        key === undefined
          ? null
          : { fingerprint: key.getFingerprint(), user_ids: key.getUserIDs().map((id) => id.slice(0, 300)) },
      signatures,
      proof: fields,
    },
    signatureState: state,
    signatureReason: reason.slice(0, 2000),
    files,
  };
}
