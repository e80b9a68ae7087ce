import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TimestampingConfig } from '../config/config.js';
import { DomainError } from '../errors.js';

/**
 * RFC 3161 trusted timestamps: asks a time-stamping authority (TSA) to sign
 * "this SHA-256 existed at this time", and checks such tokens later. The
 * token (a CMS SignedData over a TSTInfo) is kept as the TSA sent it, in DER.
 */

const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const TIME_STAMPING_OID = '1.3.6.1.5.5.7.3.8';
const EXTENDED_KEY_USAGE_OID = '2.5.29.37';
const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';

const attributeNames: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

const statusNames = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
}

/** An INTEGER's value as a hex string without leading zeros (so 00ab and ab compare equal). */
function integerHex(value: asn1js.Integer): string {
  return hex(value.valueBlock.valueHexView).replace(/^(00)+/, '') || '0';
}

/** A certificate's subject as one line, e.g. `CN=FreeTSA.org TSA, O=Free TSA`. */
function subjectName(certificate: pkijs.Certificate): string {
  return certificate.subject.typesAndValues
    .map((entry) => `${attributeNames[entry.type] ?? entry.type}=${entry.value.valueBlock.value}`)
    .reverse()
    .join(', ');
}

/** A timestamp request, with what its answer must echo. */
export interface TimestampRequest {
  der: Buffer;
  nonceHex: string;
  imprintHex: string;
}

/**
 * Builds a TimeStampReq for `data`: SHA-256 message imprint, a random
 * 64-bit nonce, certReq true (the TSA puts its certificate in the token).
 *
 * @example
 * const request = buildTimestampRequest(Buffer.from('1042:9f86…'));
 */
export function buildTimestampRequest(data: Uint8Array | string): TimestampRequest {
  const imprint = sha256(data);
  const nonce = randomBytes(8);
  // A positive INTEGER with no leading zero byte, so every encoder writes it the same way.
  nonce[0] = (nonce[0]! & 0x7f) | 0x01;
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  return {
    der: Buffer.from(request.toSchema().toBER()),
    nonceHex: nonce.toString('hex').replace(/^(00)+/, ''),
    imprintHex: imprint.toString('hex'),
  };
}

/** What a token says, read without checking anything. */
export interface TokenContents {
  genTime: Date;
  /** The signing certificate's subject, or the TSTInfo's tsa name, or "unknown TSA". */
  tsaName: string;
  /** The SHA-256 the token covers (hex), or null when the TSA used another algorithm. */
  imprintSha256: string | null;
  nonceHex: string | null;
  serialHex: string;
  signedData: pkijs.SignedData;
  signerCertificate: pkijs.Certificate | undefined;
}

function timestampFailed(detail: string): DomainError {
  return new DomainError('timestamp_failed', detail);
}

/**
 * Reads a token (DER ContentInfo of SignedData over TSTInfo); throws a plain
 * Error naming what is wrong when it is not one.
 *
 * @example
 * const { genTime, tsaName } = readToken(tokenBytes);
 */
export function readToken(token: Uint8Array): TokenContents {
  const parsed = asn1js.fromBER(toArrayBuffer(token));
  if (parsed.offset === -1) throw new Error('the token is not DER/BER data');
  const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
  if (contentInfo.contentType !== SIGNED_DATA_OID) throw new Error('the token is not a CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  if (signedData.encapContentInfo.eContentType !== TST_INFO_OID || signedData.encapContentInfo.eContent === undefined) {
    throw new Error('the token does not hold a TSTInfo');
  }
  const tstInfo = pkijs.TSTInfo.fromBER(signedData.encapContentInfo.eContent.getValue());
  const signerInfo = signedData.signerInfos[0];
  let signerCertificate: pkijs.Certificate | undefined;
  if (signerInfo !== undefined && signerInfo.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = signerInfo.sid;
    signerCertificate = (signedData.certificates ?? []).find(
      (certificate): certificate is pkijs.Certificate =>
        certificate instanceof pkijs.Certificate &&
        certificate.issuer.isEqual(sid.issuer) &&
        certificate.serialNumber.isEqual(sid.serialNumber),
    );
  }
  signerCertificate ??= (signedData.certificates ?? []).find(
    (certificate): certificate is pkijs.Certificate => certificate instanceof pkijs.Certificate,
  );
  const imprint = tstInfo.messageImprint;
  return {
    genTime: tstInfo.genTime,
    tsaName: signerCertificate === undefined ? 'unknown TSA' : subjectName(signerCertificate),
    imprintSha256:
      imprint.hashAlgorithm.algorithmId === SHA256_OID ? hex(imprint.hashedMessage.valueBlock.valueHexView) : null,
    nonceHex: tstInfo.nonce === undefined ? null : integerHex(tstInfo.nonce),
    serialHex: integerHex(tstInfo.serialNumber),
    signedData,
    signerCertificate,
  };
}

/**
 * Reads a TimeStampResp and returns the token it carries (its bytes exactly
 * as the TSA encoded them), after checking the status, that the nonce is the
 * request's and that it covers the request's SHA-256. Anything else is a
 * `timestamp_failed` {@link DomainError} saying what went wrong.
 *
 * @example
 * const token = parseTimestampResponse(replyBytes, request, 'https://freetsa.org/tsr');
 */
export function parseTimestampResponse(reply: Uint8Array, request: TimestampRequest, url: string): Buffer {
  const parsed = asn1js.fromBER(toArrayBuffer(reply));
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) {
    throw timestampFailed(`The time-stamping authority at ${url} sent something that is not a TimeStampResp.`);
  }
  let response: pkijs.TimeStampResp;
  try {
    response = new pkijs.TimeStampResp({ schema: parsed.result });
  } catch {
    throw timestampFailed(`The time-stamping authority at ${url} sent something that is not a TimeStampResp.`);
  }
  const status: number = response.status.status;
  if ((status !== 0 && status !== 1) || response.timeStampToken === undefined) {
    const text = response.status.statusStrings?.map((entry) => entry.valueBlock.value).join('; ');
    throw timestampFailed(
      `The time-stamping authority at ${url} refused the request: status ${status} (${statusNames[status] ?? 'unknown'})${text === undefined || text === '' ? '' : `: ${text}`}.`,
    );
  }
  // The token is the second element of the answer; kept byte for byte, never re-encoded.
  const tokenBlock = parsed.result.valueBlock.value[1]!;
  const token = Buffer.from(tokenBlock.valueBeforeDecodeView);
  let contents: TokenContents;
  try {
    contents = readToken(token);
  } catch (error) {
    throw timestampFailed(
      `The time-stamping authority at ${url} sent an unreadable token: ${(error as Error).message}.`,
    );
  }
  if (contents.nonceHex !== request.nonceHex) {
    throw timestampFailed(
      `The time-stamping authority at ${url} answered with nonce ${contents.nonceHex ?? '(none)'}, not the request's ${request.nonceHex}: the answer is not to this request.`,
    );
  }
  if (contents.imprintSha256 !== request.imprintHex) {
    throw timestampFailed(
      `The time-stamping authority at ${url} sent a token for SHA-256 ${contents.imprintSha256 ?? '(another algorithm)'}, not the requested ${request.imprintHex}.`,
    );
  }
  return token;
}

/** A token fetched from the TSA, with what it says. */
export interface FetchedToken {
  token: Buffer;
  genTime: Date;
  tsaName: string;
  imprintSha256: string;
}

/**
 * Asks the configured TSA for a token over `data` (POST application/timestamp-query).
 * Throws `timestamp_failed` when the TSA cannot be reached, answers with an
 * HTTP error, refuses, or sends a token for something else.
 *
 * @example
 * const { token, genTime } = await requestTimestamp(config.timestamping, '1042:9f86…');
 */
export async function requestTimestamp(config: TimestampingConfig, data: Uint8Array | string): Promise<FetchedToken> {
  const url = config.url;
  if (url === undefined) {
    throw new DomainError(
      'timestamp_not_configured',
      'No time-stamping authority is configured: set ARMTRACE_TSA_URL (README: "Trusted timestamps").',
    );
  }
  const request = buildTimestampRequest(data);
  let reply: Buffer;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: request.der,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    if (!response.ok) {
      throw timestampFailed(`The time-stamping authority at ${url} answered HTTP ${response.status}.`);
    }
    reply = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${config.timeoutMs / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw timestampFailed(`The time-stamping authority at ${url} could not be reached (${reason}).`);
  }
  const token = parseTimestampResponse(reply, request, url);
  const contents = readToken(token);
  return { token, genTime: contents.genTime, tsaName: contents.tsaName, imprintSha256: request.imprintHex };
}

/**
 * Reads the CA certificates a TSA must chain to (PEM files may hold several;
 * DER files one). Throws a plain Error naming an unreadable file.
 *
 * @example
 * const anchors = loadTrustAnchors(['/etc/armtrace/freetsa-cacert.pem']);
 */
export function loadTrustAnchors(files: readonly string[]): pkijs.Certificate[] {
  const anchors: pkijs.Certificate[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      throw new Error(`cannot read the TSA CA certificate file ${file}: ${(error as Error).message}`);
    }
    const text = bytes.toString('latin1');
    const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) =>
      Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'),
    );
    for (const der of blocks.length > 0 ? blocks : [bytes]) {
      try {
        anchors.push(pkijs.Certificate.fromBER(toArrayBuffer(der)));
      } catch {
        throw new Error(`${file} holds no readable X.509 certificate (PEM or DER)`);
      }
    }
  }
  return anchors;
}

/** The outcome of checking one token. */
export interface TokenCheck {
  /** True only when everything below held, against a configured trust anchor. */
  verified: boolean;
  genTime: Date | null;
  tsaName: string | null;
  imprintSha256: string | null;
  /** Why it is not verified (or null when it is). */
  problem: string | null;
  /** The token is well formed and signed, but the imprint is not the data's. */
  imprintMismatch: boolean;
}

function hasTimeStampingUsage(certificate: pkijs.Certificate): 'ok' | 'missing' | 'not_critical' {
  const extension = certificate.extensions?.find((entry) => entry.extnID === EXTENDED_KEY_USAGE_OID);
  if (extension === undefined) return 'missing';
  const usage = extension.parsedValue as pkijs.ExtKeyUsage | undefined;
  if (usage === undefined || !usage.keyPurposes.includes(TIME_STAMPING_OID)) return 'missing';
  return extension.critical ? 'ok' : 'not_critical';
}

/**
 * Checks a token against the data it should cover and the trusted CA
 * certificates: the message imprint is the SHA-256 of `data`; the signature
 * over the signed attributes is the TSA certificate's; that certificate has
 * the critical extended key usage timeStamping and chains to a trust anchor
 * at the token's time. Without trust anchors nothing can be `verified`.
 *
 * @example
 * const check = await checkToken(token, Buffer.from('1042:9f86…'), loadTrustAnchors(config.timestamping.caFiles));
 * if (!check.verified) console.log(check.problem);
 */
export async function checkToken(
  token: Uint8Array,
  data: Uint8Array | string,
  trustAnchors: readonly pkijs.Certificate[],
): Promise<TokenCheck> {
  let contents: TokenContents;
  try {
    contents = readToken(token);
  } catch (error) {
    return {
      verified: false,
      genTime: null,
      tsaName: null,
      imprintSha256: null,
      problem: `the token cannot be read: ${(error as Error).message}`,
      imprintMismatch: false,
    };
  }
  const base = { genTime: contents.genTime, tsaName: contents.tsaName, imprintSha256: contents.imprintSha256 };
  const fail = (problem: string, imprintMismatch = false): TokenCheck => ({
    ...base,
    verified: false,
    problem,
    imprintMismatch,
  });
  const expected = sha256(data).toString('hex');
  if (contents.imprintSha256 !== expected) {
    return fail(
      `the token covers SHA-256 ${contents.imprintSha256 ?? '(another algorithm)'}, not ${expected}`,
      contents.imprintSha256 !== null,
    );
  }
  if (contents.signerCertificate === undefined) return fail('the token carries no TSA certificate');
  const usage = hasTimeStampingUsage(contents.signerCertificate);
  if (usage === 'missing') {
    return fail(`the certificate of ${contents.tsaName} is not for time-stamping (no extended key usage timeStamping)`);
  }
  if (usage === 'not_critical') {
    return fail(`the certificate of ${contents.tsaName} has extended key usage timeStamping, but not marked critical`);
  }
  const dataBuffer = toArrayBuffer(typeof data === 'string' ? Buffer.from(data) : data);
  try {
    const result = await contents.signedData.verify({
      signer: 0,
      data: dataBuffer,
      trustedCerts: [...trustAnchors],
      checkChain: trustAnchors.length > 0,
      extendedMode: true,
    });
    if (!result.signatureVerified) return fail(`the signature of ${contents.tsaName} over the token does not verify`);
  } catch (error) {
    const message = (error as { message?: string }).message ?? String(error);
    if (/certificate/i.test(message)) {
      return fail(`the certificate of ${contents.tsaName} does not chain to a trusted TSA CA (${message})`);
    }
    return fail(`the token does not verify: ${message}`);
  }
  if (trustAnchors.length === 0) {
    return fail(
      `signed by ${contents.tsaName}, but no TSA CA certificate is configured to trust (ARMTRACE_TSA_CA_FILE)`,
    );
  }
  return { ...base, verified: true, problem: null, imprintMismatch: false };
}
