import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const configSchema = z.object({
  ARMTRACE_DATA: z.string().min(1).default('./armtrace-data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  ARMTRACE_HOST: z.string().min(1).default('127.0.0.1'),
  ARMTRACE_PORT: z.coerce.number().int().min(0).max(65535).default(8470),
  ARMTRACE_SECURE_COOKIES: z.enum(['auto', 'always', 'never']).default('auto'),
  ARMTRACE_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  ARMTRACE_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  ARMTRACE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ARMTRACE_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(200 * 1024 * 1024),
  ARMTRACE_MAX_IMAGE_PIXELS: z.coerce.number().int().min(1).default(250_000_000),
  ARMTRACE_REVIEW_DISTANCE_M: z.coerce.number().min(0).default(1000),
  ARMTRACE_REVIEW_TIME_HOURS: z.coerce.number().min(0).default(72),
  ARMTRACE_REQUIRE_2FA_ADMINS: z.enum(['true', 'false', '1', '0']).default('false'),
  ARMTRACE_MAX_BAG_IMPORT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 ** 3),
  ARMTRACE_INSTANCE_NAME: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\r\n]+$/, 'must be one line')
    .optional(),
  ARMTRACE_TSA_URL: z
    .url({ protocol: /^https?$/, error: 'must be the http:// or https:// URL of an RFC 3161 time-stamping authority' })
    .optional(),
  ARMTRACE_TSA_CA_FILE: z.string().min(1).optional(),
  ARMTRACE_TSA_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  ARMTRACE_JOB_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(4),
  ARMTRACE_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  ARMTRACE_JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  ARMTRACE_JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  ARMTRACE_JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
  ARMTRACE_JOB_RESULTS_DAYS: z.coerce
    .number({ error: 'ARMTRACE_JOB_RESULTS_DAYS must be a whole number of days (1-3650)' })
    .int('ARMTRACE_JOB_RESULTS_DAYS must be a whole number of days (1-3650)')
    .min(1, 'ARMTRACE_JOB_RESULTS_DAYS must be at least 1 (day)')
    .max(3650, 'ARMTRACE_JOB_RESULTS_DAYS must be at most 3650 (days)')
    .default(7),
  ARMTRACE_STORE: z.enum(['folder', 's3'], { error: 'must be folder or s3' }).default('folder'),
  ARMTRACE_S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
    )
    .optional(),
  ARMTRACE_S3_PREFIX: z
    .string()
    .regex(/^[^/]/, 'must not start with "/"')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  ARMTRACE_S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be the http:// or https:// URL of the S3 endpoint' })
    .optional(),
  ARMTRACE_S3_REGION: z.string().min(1).default('us-east-1'),
  ARMTRACE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  ARMTRACE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  ARMTRACE_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).optional(),
  ARMTRACE_TRUST_PROXY: z
    .string()
    .trim()
    .refine((value) => parseTrustProxy(value) !== undefined, {
      error:
        "must be off, the number of proxies in front of armtrace (1 to 10), or a comma-separated list of the proxies' addresses or CIDR ranges (e.g. 10.0.0.30,10.0.1.0/24)",
    })
    .default('off'),
});

/**
 * ARMTRACE_TRUST_PROXY as Fastify's `trustProxy`: false (off: the client is the TCP peer), a hop count, or the
 * proxies' addresses / CIDR ranges; undefined when malformed.
 */
function parseTrustProxy(value: string): TrustProxy | undefined {
  if (value === 'off' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops >= 1 && hops <= 10 ? hops : undefined;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  });
  return valid && entries.length > 0 ? entries : undefined;
}

/** Which peers' X-Forwarded-For armtrace believes (ARMTRACE_TRUST_PROXY); docs/deploy.md "Several servers". */
export type TrustProxy = false | number | string[];

const s3Variables = [
  'ARMTRACE_S3_BUCKET',
  'ARMTRACE_S3_PREFIX',
  'ARMTRACE_S3_ENDPOINT',
  'ARMTRACE_S3_ACCESS_KEY_ID',
  'ARMTRACE_S3_SECRET_ACCESS_KEY',
  'ARMTRACE_S3_FORCE_PATH_STYLE',
] as const;

/** The checks that span several variables of the evidence store; each problem names its variable. */
function storeProblems(values: z.infer<typeof configSchema>): string[] {
  if (values.ARMTRACE_STORE === 'folder') {
    // S3 settings with the folder store would leave an operator believing evidence goes to the object store.
    return s3Variables
      .filter((name) => values[name] !== undefined)
      .map((name) => `  ${name}: is set, but ARMTRACE_STORE is folder; set ARMTRACE_STORE=s3 or remove it`);
  }
  const problems: string[] = [];
  if (values.ARMTRACE_S3_BUCKET === undefined)
    problems.push('  ARMTRACE_S3_BUCKET: required with ARMTRACE_STORE=s3 (the bucket that keeps the originals)');
  if ((values.ARMTRACE_S3_ACCESS_KEY_ID === undefined) !== (values.ARMTRACE_S3_SECRET_ACCESS_KEY === undefined))
    problems.push(
      '  ARMTRACE_S3_ACCESS_KEY_ID, ARMTRACE_S3_SECRET_ACCESS_KEY: set both, or neither to use the AWS SDK default credential chain',
    );
  return problems;
}

/** Everything armtrace reads from its environment, validated once at start-up. */
export interface Config {
  /** Folder of the embedded database and of the media store (also with DATABASE_URL). */
  dataDir: string;
  /** PostgreSQL server to use instead of the embedded database. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  secureCookies: 'auto' | 'always' | 'never';
  sessionHours: number;
  /** Longest lifetime an API token may be given, in days (a token's default is 90, or this when shorter). */
  tokenMaxDays: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Administrators must enrol a second factor (TOTP) before the API serves them anything else. */
  requireSecondFactorForAdmins: boolean;
  /** This instance's name as a signer of bags and checkpoints (ARMTRACE_INSTANCE_NAME, default the host name). */
  instanceName: string;
  /** Largest bag (as a tar archive) the API takes for import, in bytes (default 10 GiB). */
  maxBagImportBytes: number;
  media: MediaConfig;
  timestamping: TimestampingConfig;
  jobs: JobsConfig;
  /** Where originals, proofs and derivatives are kept (ARMTRACE_STORE). */
  store: StoreConfig;
  /**
   * Behind HAProxy or another proxy: which peers are believed when they name the client in X-Forwarded-For, so
   * that sign-in throttling per address sees the client, not the proxy (false: nobody, the default).
   */
  trustProxy: TrustProxy;
}

/** The job queue on PostgreSQL (pg-boss; docs/jobs.md). The embedded database runs jobs in-process. */
export interface JobsConfig {
  /** Connections pg-boss's own pool opens (ARMTRACE_JOB_POOL_SIZE, default 4), beside the 10 of the server's pool. */
  poolSize: number;
  /** A try running longer than this (its server died) is failed and tried again (ARMTRACE_JOB_EXPIRE_SECONDS, 3600). */
  expireInSeconds: number;
  /** How often expired tries are looked for (ARMTRACE_JOB_MAINTENANCE_SECONDS, default 60). */
  maintenanceIntervalSeconds: number;
  /** How often an idle server asks for work (ARMTRACE_JOB_POLL_SECONDS, default 2). */
  pollingIntervalSeconds: number;
  /** A fixed wait before the next try (ARMTRACE_JOB_RETRY_DELAY_SECONDS; tests: 0); undefined: 2, 4, 8 … 60 s. */
  retryDelaySeconds: number | undefined;
  /**
   * Finished jobs (their result files and rows) are removed this many days after they ended
   * (ARMTRACE_JOB_RESULTS_DAYS, default 7; docs/jobs.md "Pruning").
   */
  resultsDays: number;
}

/** The evidence store: a folder under {@link Config.dataDir} (default), or an S3-compatible bucket. */
export type StoreConfig = { kind: 'folder' } | S3StoreConfig;

/** An S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage); README and docs/deploy.md "Evidence store". */
export interface S3StoreConfig {
  kind: 's3';
  bucket: string;
  /** Prepended to every key; empty or ending in "/" (one is added when missing). */
  prefix: string;
  /** The S3 API URL of a store other than AWS (e.g. `https://minio.example.org:9000`); undefined: AWS S3. */
  endpoint: string | undefined;
  region: string;
  /** Undefined: the AWS SDK's default chain (environment, shared profile, instance or container role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO, Ceph RGW, Garage). */
  forcePathStyle: boolean;
}

/** RFC 3161 trusted timestamps on audit checkpoints and bags (README: "Trusted timestamps"). */
export interface TimestampingConfig {
  /** The time-stamping authority to ask; undefined: no token is requested (and outputs say so). */
  url: string | undefined;
  /**
   * PEM or DER files of the CA certificate(s) the TSA's certificate must chain to; tokens are only called
   * verified against these. May be set without a URL, to keep verifying the tokens of a former TSA.
   */
  caFiles: string[];
  /** How long to wait for the TSA's answer. */
  timeoutMs: number;
}

/** Limits and review thresholds of media (the evidence store is {@link Config.store}). */
export interface MediaConfig {
  /** Largest file accepted, in bytes (default 200 MiB). */
  maxUploadBytes: number;
  /** Images with more pixels than this are refused before they are decoded (decompression bombs). */
  maxImagePixels: number;
  /** A photo taken farther than this from its site (plus the site's precision) is flagged for review. */
  reviewDistanceM: number;
  /** A photo taken more than this many hours from the site's recovery day is flagged for review. */
  reviewTimeHours: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the configuration; throws a {@link ConfigError} naming
 * each bad variable, so the process stops before touching any data.
 *
 * @example
 * const config = loadConfig({ ARMTRACE_DATA: '/srv/armtrace', ARMTRACE_PORT: '8080' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const emptyAsUnset = Object.fromEntries(
    Object.entries(env).filter(([key, value]) =>
      key.startsWith('ARMTRACE_') || key === 'DATABASE_URL' ? value !== '' : false,
    ),
  );
  const parsed = configSchema.safeParse(emptyAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const problems = storeProblems(values);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return {
    dataDir: path.resolve(values.ARMTRACE_DATA),
    databaseUrl: values.DATABASE_URL,
    host: values.ARMTRACE_HOST,
    port: values.ARMTRACE_PORT,
    secureCookies: values.ARMTRACE_SECURE_COOKIES,
    sessionHours: values.ARMTRACE_SESSION_HOURS,
    tokenMaxDays: values.ARMTRACE_TOKEN_MAX_DAYS,
    logLevel: values.ARMTRACE_LOG_LEVEL,
    requireSecondFactorForAdmins: ['true', '1'].includes(values.ARMTRACE_REQUIRE_2FA_ADMINS),
    maxBagImportBytes: values.ARMTRACE_MAX_BAG_IMPORT_BYTES,
    instanceName: values.ARMTRACE_INSTANCE_NAME ?? (os.hostname().trim().slice(0, 200) || 'armtrace'),
    media: {
      maxUploadBytes: values.ARMTRACE_MAX_UPLOAD_BYTES,
      maxImagePixels: values.ARMTRACE_MAX_IMAGE_PIXELS,
      reviewDistanceM: values.ARMTRACE_REVIEW_DISTANCE_M,
      reviewTimeHours: values.ARMTRACE_REVIEW_TIME_HOURS,
    },
    timestamping: {
      url: values.ARMTRACE_TSA_URL,
      caFiles: (values.ARMTRACE_TSA_CA_FILE ?? '')
        .split(',')
        .map((file) => file.trim())
        .filter((file) => file !== '')
        .map((file) => path.resolve(file)),
      timeoutMs: values.ARMTRACE_TSA_TIMEOUT_SECONDS * 1000,
    },
    jobs: {
      poolSize: values.ARMTRACE_JOB_POOL_SIZE,
      expireInSeconds: values.ARMTRACE_JOB_EXPIRE_SECONDS,
      maintenanceIntervalSeconds: values.ARMTRACE_JOB_MAINTENANCE_SECONDS,
      pollingIntervalSeconds: values.ARMTRACE_JOB_POLL_SECONDS,
      retryDelaySeconds: values.ARMTRACE_JOB_RETRY_DELAY_SECONDS,
      resultsDays: values.ARMTRACE_JOB_RESULTS_DAYS,
    },
    store: storeConfig(values),
    trustProxy: parseTrustProxy(values.ARMTRACE_TRUST_PROXY)!,
  };
}

function storeConfig(values: z.infer<typeof configSchema>): StoreConfig {
  if (values.ARMTRACE_STORE === 'folder') return { kind: 'folder' };
  const prefix = values.ARMTRACE_S3_PREFIX ?? '';
  const accessKeyId = values.ARMTRACE_S3_ACCESS_KEY_ID;
  const secretAccessKey = values.ARMTRACE_S3_SECRET_ACCESS_KEY;
  return {
    kind: 's3',
    bucket: values.ARMTRACE_S3_BUCKET!,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    endpoint: values.ARMTRACE_S3_ENDPOINT,
    region: values.ARMTRACE_S3_REGION,
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined ? undefined : { accessKeyId, secretAccessKey },
    // Self-hosted stores are addressed by path (their DNS rarely has a name per bucket); AWS by host name.
    forcePathStyle:
      values.ARMTRACE_S3_FORCE_PATH_STYLE === undefined
        ? values.ARMTRACE_S3_ENDPOINT !== undefined
        : ['true', '1'].includes(values.ARMTRACE_S3_FORCE_PATH_STYLE),
  };
}
