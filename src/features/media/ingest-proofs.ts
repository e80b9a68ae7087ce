// On ingest, the proofs a file brings: a C2PA manifest embedded in it, or the ProofMode bundle (zip) it came in.
// Reading a proof never refuses the file: a proof that does not verify is recorded as invalid or unverifiable with
// the reason, and the file is kept as evidence all the same.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { MediaConfig } from '../../config/config.js';
import { MAX_C2PA_READ_BYTES, readC2pa } from './c2pa.js';
import { inspectFile, type FileFacts } from './inspect.js';
import { isProofModeBundle, mediaMembers, openBundle, readProofModeProof } from './proofmode.js';
import { storeProof, type StoredProof, type StoredProofFile } from './proofs.js';
import { sniffType } from '../../storage/sniff.js';
import type { EvidenceStore, StagedOriginal } from '../../storage/evidence-store.js';

/** Types that can carry an embedded C2PA manifest here. */
const c2paTypes = new Set(['image/jpeg', 'image/png', 'image/heic', 'image/avif', 'video/mp4', 'video/quicktime']);

/** A zip's local file header. */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
}

async function readC2paOf(bytes: Uint8Array, mediaType: string, store: EvidenceStore): Promise<StoredProof[]> {
  const reading = await readC2pa(bytes, mediaType);
  return reading === undefined ? [] : [await storeProof(store, reading)];
}

/**
 * The C2PA manifest embedded in a staged file, if any, with its files put in the store.
 *
 * @example
 * const proofs = await readEmbeddedProofs(store, staged.localPath, 'image/jpeg', staged.sizeBytes);
 */
export async function readEmbeddedProofs(
  store: EvidenceStore,
  localPath: string,
  mediaType: string,
  sizeBytes: number,
): Promise<StoredProof[]> {
  if (!c2paTypes.has(mediaType) || sizeBytes > MAX_C2PA_READ_BYTES) return [];
  return readC2paOf(new Uint8Array(await fsp.readFile(localPath)), mediaType, store);
}

/** One media file of a bundle, staged, with what it says about itself and its proofs. */
export interface BundleMediaFile {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  filename: string;
  facts: FileFacts;
  proofs: StoredProof[];
}

/** The media of a ProofMode bundle, staged: commit them (and the bundle) or discard them. */
export interface ReadBundle {
  media: BundleMediaFile[];
  commit(): Promise<void>;
  discard(): Promise<void>;
}

const mediaPrefixes = ['image/', 'video/'];

/**
 * Reads a staged zip as a ProofMode bundle: stages each media file in it (typed by its content), reads its proof
 * and checks its signatures, and puts the proof files and the bundle itself in the store. Undefined when the zip
 * is no ProofMode bundle (or holds no photo or video), so that it is kept as any other file is.
 *
 * @example
 * const bundle = await readProofModeBundle(store, config.media, staged, 'proofmode.zip');
 */
export async function readProofModeBundle(
  store: EvidenceStore,
  config: Pick<MediaConfig, 'maxUploadBytes' | 'maxImagePixels'>,
  staged: StagedOriginal,
  bundleName: string | undefined,
): Promise<ReadBundle | undefined> {
  let bundle;
  try {
    bundle = await openBundle(staged.localPath, config.maxUploadBytes);
  } catch {
    // A zip that cannot be read safely as a bundle is still evidence: it is kept as a file like any other.
    return undefined;
  }
  const stagedMembers: { staged: StagedOriginal; path: string; mediaType: string }[] = [];
  const discard = async () => {
    for (const member of stagedMembers) await member.staged.discard();
  };
  try {
    if (!isProofModeBundle(bundle.members)) return undefined;
    for (const member of mediaMembers(bundle.members)) {
      const memberStaged = await store.stage(await member.open(), { maxBytes: config.maxUploadBytes });
      const mediaType = sniffType(memberStaged.head);
      if (memberStaged.sizeBytes === 0 || !mediaPrefixes.some((prefix) => mediaType.startsWith(prefix))) {
        // Not a photo or video: it stays in the bundle, which is kept whole.
        await memberStaged.discard();
        continue;
      }
      stagedMembers.push({ staged: memberStaged, path: member.path, mediaType });
    }
    if (stagedMembers.length === 0) return undefined;
    const bundleFile: StoredProofFile = {
      name: (bundleName ?? 'proofmode-bundle.zip').slice(0, 500),
      role: 'bundle',
      sha256: staged.sha256,
      size_bytes: staged.sizeBytes,
    };
    const media: BundleMediaFile[] = [];
    for (const member of stagedMembers) {
      const facts = await inspectFile(member.staged.localPath, member.mediaType, config.maxImagePixels);
      const bytes = new Uint8Array(await fsp.readFile(member.staged.localPath));
      const proofs: StoredProof[] = [];
      const reading = await readProofModeProof(bundle.members, {
        path: member.path,
        sha256: member.staged.sha256,
        bytes,
      });
      proofs.push(
        reading === undefined
          ? {
              kind: 'proofmode',
              claims: { media_file: member.path, media_sha256: member.staged.sha256, signatures: [], proof: {} },
              signatureState: 'unverifiable',
              signatureReason: `The bundle holds no proof or signature for ${member.path}.`,
              files: [bundleFile],
            }
          : await storeProof(store, reading, [bundleFile]),
      );
      if (c2paTypes.has(member.mediaType) && bytes.length <= MAX_C2PA_READ_BYTES)
        proofs.push(...(await readC2paOf(bytes, member.mediaType, store)));
      media.push({
        sha256: member.staged.sha256,
        sizeBytes: member.staged.sizeBytes,
        mediaType: member.mediaType,
        filename: path.posix.basename(member.path).slice(0, 500),
        facts,
        proofs,
      });
    }
    return {
      media,
      // The bundle as received is kept too: it holds everything, in the order and form it came.
      commit: async () => {
        await staged.commit();
        for (const member of stagedMembers) await member.staged.commit();
      },
      discard,
    };
  } catch (error) {
    await discard();
    throw error;
  } finally {
    bundle.close();
  }
}
