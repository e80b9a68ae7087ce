import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { TimestampingConfig } from '../../config/config.js';
import { DomainError } from '../../errors.js';
import { checkToken, loadTrustAnchors, requestTimestamp } from '../../timestamping/rfc3161.js';
import type { BagProblem } from './bagit.js';

/**
 * RFC 3161 timestamp of a bag: a token over the exact bytes of
 * `tagmanifest-sha256.txt`, stored beside it as `tagmanifest-sha256.txt.tsr`.
 * The tag manifest covers bagit.txt, bag-info.txt and manifest-sha256.txt,
 * which covers every payload file, so the token dates the whole bag. The
 * token file is not listed in the tag manifest (it is made from it).
 */
export const BAG_TIMESTAMP_FILE = 'tagmanifest-sha256.txt.tsr';
const TAG_MANIFEST = 'tagmanifest-sha256.txt';

export const bagTimestampSchema = z.object({
  file: z.string().nullable().describe(`${BAG_TIMESTAMP_FILE} when the bag holds a token`),
  timestamped_at: z.string().nullable().describe("The TSA's time in the token (genTime)"),
  tsa_name: z.string().nullable().describe("The time-stamping authority, from its certificate's subject"),
  verified: z.boolean().describe('The token covers the tag manifest and chains to a trusted TSA CA'),
  detail: z.string(),
  problem_code: z.enum(['timestamp_failed']).nullable().describe('Set when the TSA failed while the bag was written'),
});
export type BagTimestamp = z.infer<typeof bagTimestampSchema>;

/**
 * The `overTagManifest` step of writeBag that asks the configured TSA for a
 * token over the tag manifest. A TSA failure does not stop the bag: it is
 * written without a token and `outcome()` says why (problem_code
 * timestamp_failed); with no TSA configured it says so.
 *
 * @example
 * const stamp = bagTimestamper(config.timestamping);
 * await writeBag(out, payload, info, { overTagManifest: stamp.overTagManifest });
 * console.log(stamp.outcome().detail);
 */
export function bagTimestamper(config: TimestampingConfig): {
  overTagManifest: (tagManifest: Buffer) => Promise<{ name: string; bytes: Buffer }[]>;
  outcome: () => BagTimestamp;
} {
  let outcome: BagTimestamp = {
    file: null,
    timestamped_at: null,
    tsa_name: null,
    verified: false,
    detail:
      'No timestamp token: no time-stamping authority is configured (ARMTRACE_TSA_URL); the bag has no trusted timestamp.',
    problem_code: null,
  };
  return {
    async overTagManifest(tagManifest) {
      if (config.url === undefined) return [];
      try {
        const fetched = await requestTimestamp(config, tagManifest);
        outcome = {
          file: BAG_TIMESTAMP_FILE,
          timestamped_at: fetched.genTime.toISOString(),
          tsa_name: fetched.tsaName,
          verified: false,
          detail: `${BAG_TIMESTAMP_FILE}: a token over ${TAG_MANIFEST} from ${fetched.tsaName}.`,
          problem_code: null,
        };
        return [{ name: BAG_TIMESTAMP_FILE, bytes: fetched.token }];
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'timestamp_failed') throw error;
        outcome = {
          ...outcome,
          detail: `No timestamp token: ${error.message} The bag was written without one; export it again to get one.`,
          problem_code: 'timestamp_failed',
        };
        return [];
      }
    },
    outcome: () => outcome,
  };
}

/**
 * Checks a bag's timestamp token, if it has one: it must cover the exact
 * bytes of tagmanifest-sha256.txt and be signed by a TSA certificate (critical
 * extended key usage timeStamping) that chains to one of `caFiles`. Without
 * CA files the token is reported as not verified, without a problem (the
 * bag itself may still be fine); anything wrong with the token is a problem.
 *
 * @example
 * const { timestamp, problems } = await verifyBagTimestamp('/media/usb/case-12.bag', ['/etc/armtrace/tsa-ca.pem']);
 */
export async function verifyBagTimestamp(
  bagPath: string,
  caFiles: readonly string[],
): Promise<{ timestamp: BagTimestamp | null; problems: BagProblem[] }> {
  const root = path.resolve(bagPath);
  const token = await fsp.readFile(path.join(root, BAG_TIMESTAMP_FILE)).catch(() => undefined);
  if (token === undefined) return { timestamp: null, problems: [] };
  const tagManifest = await fsp.readFile(path.join(root, TAG_MANIFEST)).catch(() => undefined);
  if (tagManifest === undefined) {
    const message = `${BAG_TIMESTAMP_FILE} is there but ${TAG_MANIFEST}, which it covers, is missing.`;
    return {
      timestamp: {
        file: BAG_TIMESTAMP_FILE,
        timestamped_at: null,
        tsa_name: null,
        verified: false,
        detail: message,
        problem_code: null,
      },
      problems: [{ kind: 'timestamp', path: BAG_TIMESTAMP_FILE, message }],
    };
  }
  let anchors: ReturnType<typeof loadTrustAnchors> = [];
  let anchorProblem: string | undefined;
  try {
    anchors = loadTrustAnchors(caFiles);
  } catch (error) {
    anchorProblem = (error as Error).message;
  }
  const check = await checkToken(token, tagManifest, anchors);
  const base = {
    file: BAG_TIMESTAMP_FILE,
    timestamped_at: check.genTime?.toISOString() ?? null,
    tsa_name: check.tsaName,
    problem_code: null,
  };
  if (check.verified) {
    return {
      timestamp: {
        ...base,
        verified: true,
        detail: `${BAG_TIMESTAMP_FILE} covers ${TAG_MANIFEST}; signed by ${check.tsaName ?? '?'}, whose certificate chains to a trusted TSA CA.`,
      },
      problems: [],
    };
  }
  if (anchorProblem !== undefined) {
    const message = `${BAG_TIMESTAMP_FILE} cannot be checked: ${anchorProblem}.`;
    return {
      timestamp: { ...base, verified: false, detail: message },
      problems: [{ kind: 'timestamp', path: BAG_TIMESTAMP_FILE, message }],
    };
  }
  if (anchors.length === 0 && check.problem !== null && /no TSA CA certificate is configured/.test(check.problem)) {
    return {
      timestamp: {
        ...base,
        verified: false,
        detail: `${BAG_TIMESTAMP_FILE} covers ${TAG_MANIFEST} and is signed by ${check.tsaName ?? '?'}, but NOT verified: no TSA CA certificate to trust was given (--tsa-ca or ARMTRACE_TSA_CA_FILE).`,
      },
      problems: [],
    };
  }
  const message = check.imprintMismatch
    ? `${BAG_TIMESTAMP_FILE} does not cover this ${TAG_MANIFEST} (it covers SHA-256 ${check.imprintSha256}): the tag manifest was changed after it was timestamped, or the token is another bag's.`
    : `${BAG_TIMESTAMP_FILE} is not valid: ${check.problem ?? 'unknown reason'}.`;
  return {
    timestamp: { ...base, verified: false, detail: message },
    problems: [{ kind: 'timestamp', path: BAG_TIMESTAMP_FILE, message }],
  };
}
