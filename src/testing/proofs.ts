// Test fixtures made at test time: a C2PA-signed JPEG (signed with @trustnxt/c2pa-ts by a throwaway ES256
// certificate chain made with @peculiar/x509, the library c2pa-ts itself uses) and ProofMode-shaped zips (yazl)
// signed with a throwaway OpenPGP key (openpgp.js). Nothing here is read from outside the test.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { JPEG } from '@trustnxt/c2pa-ts/asset';
import { CoseAlgorithmIdentifier, LocalSigner } from '@trustnxt/c2pa-ts/cose';
import { ActionAssertion, ActionType, DataHashAssertion, ManifestStore } from '@trustnxt/c2pa-ts/manifest';
import * as openpgp from 'openpgp';
import yazl from 'yazl';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A throwaway CA and a C2PA signing certificate issued by it (ES256), with the private key in PKCS#8. */
export async function makeC2paSigner(commonName = 'armtrace test signer'): Promise<LocalSigner> {
  const caKeys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const signerKeys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=armtrace test root, O=armtrace tests',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${commonName}, O=armtrace tests`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: signerKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection], false),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
      await x509.SubjectKeyIdentifierExtension.create(signerKeys.publicKey),
    ],
  });
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', signerKeys.privateKey));
  return new LocalSigner(pkcs8, CoseAlgorithmIdentifier.ES256, leaf, [ca]);
}

/**
 * The JPEG with a C2PA manifest store embedded and signed: a `c2pa.created` action and the data hash binding the
 * rest of the file.
 */
export async function signJpegWithC2pa(jpeg: Buffer, signer: LocalSigner): Promise<Buffer> {
  const asset = new JPEG(new Uint8Array(jpeg));
  const store = new ManifestStore();
  const manifest = store.createManifest({
    assetFormat: 'image/jpeg',
    instanceID: `xmp:iid:${webcrypto.randomUUID()}`,
    defaultHashAlgorithm: 'SHA-256',
    signer,
  });
  if (manifest.claim !== undefined) manifest.claim.claimGeneratorName = 'armtrace-test-camera/1.0';
  const actions = new ActionAssertion();
  actions.actions.push({ action: ActionType.C2paCreated, softwareAgent: { name: 'armtrace-test-camera' } });
  manifest.addAssertion(actions);
  const dataHash = DataHashAssertion.create('SHA-256');
  manifest.addAssertion(dataHash);
  await asset.ensureManifestSpace(store.measureSize());
  await dataHash.updateWithAsset(asset);
  await manifest.sign(signer);
  await asset.writeManifestJUMBF(store.getBytes());
  return Buffer.from(await asset.getDataRange());
}

/**
 * The signed JPEG with one byte of its signature (the last bytes of the manifest store, inside the COSE signature)
 * changed: the manifest still reads, its signature no longer matches.
 */
export function tamperC2paSignature(signedJpeg: Buffer): Buffer {
  const asset = new JPEG(new Uint8Array(signedJpeg));
  const jumbf = asset.getManifestJUMBF()!;
  const at = signedJpeg.indexOf(Buffer.from(jumbf.subarray(jumbf.length - 64, jumbf.length - 32)));
  if (at < 0) throw new Error('signature bytes not found in the file');
  const tampered = Buffer.from(signedJpeg);
  tampered[at + 8] = tampered[at + 8]! ^ 0xff;
  return tampered;
}

export interface PgpKey {
  privateKey: openpgp.PrivateKey;
  publicArmored: string;
  fingerprint: string;
}

/** A throwaway OpenPGP key pair, as ProofMode makes on the phone. */
export async function makePgpKey(name = 'ProofMode test'): Promise<PgpKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email: 'noone@proofmode.example' }],
    format: 'object',
  });
  return { privateKey, publicArmored: publicKey.armor(), fingerprint: publicKey.getFingerprint() };
}

/** A detached, armoured signature of some bytes. */
export async function detachedSignature(key: PgpKey, bytes: Uint8Array): Promise<string> {
  // openpgp's type for the result names web streams, which this project's lib does not declare.
  const armored: unknown = await openpgp.sign({
    message: await openpgp.createMessage({ binary: bytes }),
    signingKeys: key.privateKey,
    detached: true,
    format: 'armored',
  });
  if (typeof armored !== 'string') throw new Error('openpgp.sign did not return armoured text');
  return armored;
}

/** The files of a zip, as name → bytes. */
export function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * A ProofMode export as the current app writes it: the photo, `<sha256>.proof.json` and `.proof.csv`, detached
 * signatures of the photo and of both proof files, and `pubkey.asc`. `signatureKey` signs the photo instead of
 * `key` (to make a wrong signature).
 */
export async function makeProofModeBundle(
  photo: Buffer,
  photoName: string,
  sha256: string,
  key: PgpKey,
  options: { signatureKey?: PgpKey; alterPhotoAfterSigning?: boolean } = {},
): Promise<Buffer> {
  const proofJson = JSON.stringify({
    'File Hash SHA256': sha256,
    'File Path': `/storage/emulated/0/DCIM/Camera/${photoName}`,
    'Proof Generated': '2026-11-20T09:14:03Z',
    'Location.Latitude': '36.3412',
    'Location.Longitude': '43.1789',
    Notes: 'armtrace test',
  });
  const proofCsv = `File Hash SHA256,Proof Generated,Location.Latitude,Location.Longitude\n${sha256},2026-11-20T09:14:03Z,36.3412,43.1789\n`;
  const signedPhoto = new Uint8Array(photo);
  const mediaSignature = await detachedSignature(options.signatureKey ?? key, signedPhoto);
  const shipped = options.alterPhotoAfterSigning === true ? Buffer.concat([photo, Buffer.from([0])]) : photo;
  return zipOf({
    [photoName]: shipped,
    [`${sha256}.asc`]: mediaSignature,
    [`${sha256}.proof.json`]: proofJson,
    [`${sha256}.proof.json.asc`]: await detachedSignature(key, Buffer.from(proofJson)),
    [`${sha256}.proof.csv`]: proofCsv,
    [`${sha256}.proof.csv.asc`]: await detachedSignature(key, Buffer.from(proofCsv)),
    'pubkey.asc': key.publicArmored,
    'HowToVerifyProofData.txt': 'Import pubkey.asc and verify each .asc signature with gpg.\n',
  });
}
