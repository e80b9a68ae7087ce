/** Whether a proof's signature was checked and held: see docs/data-model.md (media_proofs). */
export type SignatureState = 'verified' | 'invalid' | 'unverifiable';

/** What a proof file is to the proof. */
export type ProofFileRole =
  | 'c2pa_manifest'
  | 'proof_json'
  | 'proof_csv'
  | 'media_signature'
  | 'proof_signature'
  | 'public_key'
  | 'other'
  | 'bundle';

/** One file of a proof, before it is stored. */
export interface ProofFile {
  /** Its name in the bundle, or a name describing it (the manifest store embedded in the photo). */
  name: string;
  role: ProofFileRole;
  bytes: Buffer;
}

/** A proof read from a file or a bundle, before it is stored and recorded. */
export interface ProofReading {
  kind: 'c2pa' | 'proofmode';
  claims: Record<string, unknown>;
  signatureState: SignatureState;
  signatureReason: string;
  files: ProofFile[];
}
