/**
 * The writing side of scripts/failover-test.sh.
 *
 * `writes.ts run <results.json>`: creates sites through the HTTP API (several writers at once, each site with an
 * id chosen here) until the stop file appears, and records every answer.
 * `writes.ts check <results.json>`: compares the answers with the database: every write answered 2xx is there,
 * none refused with database_unavailable is, no answer was a 500 or another unexpected one; prints a summary and
 * exits 1 when a check fails. Writes answered commit_outcome_unknown may be either way: they are counted.
 *
 * Environment: FAILOVER_URL (HAProxy in front of the servers), FAILOVER_PASSWORD (of the user `admin`, who
 * creates the investigation written to), FAILOVER_STOP_FILE, DATABASE_URL (for the check), FAILOVER_WRITERS
 * (default 4).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';

interface WriteResult {
  id: string;
  status: number;
  code: string | undefined;
  startedAt: number;
  endedAt: number;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ResultsFile {
  investigationId: string;
  results: WriteResult[];
}

/** Signs in as `admin` and creates the investigation the writes go to; the session cookie and its id. */
async function setUp(baseUrl: string, password: string): Promise<{ cookie: string; investigationId: string }> {
  const signIn = await fetch(`${baseUrl}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
  const created = await fetch(`${baseUrl}/api/v1/investigations`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Failover test' }),
  });
  if (created.status !== 201)
    throw new Error(`creating the investigation failed: ${created.status} ${await created.text()}`);
  return { cookie, investigationId: ((await created.json()) as { id: string }).id };
}

async function writeOne(baseUrl: string, cookie: string, investigationId: string, n: number): Promise<WriteResult> {
  const id = randomUUID();
  const startedAt = Date.now();
  try {
    const response = await fetch(`${baseUrl}/api/v1/investigations/${investigationId}/sites`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ id, site_type: 'cache', name: `Failover write ${n}` }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let code: string | undefined;
    if (response.status >= 300) {
      try {
        code = (JSON.parse(text) as { code?: string }).code;
      } catch {
        code = `non-json: ${text.slice(0, 80)}`;
      }
    }
    return { id, status: response.status, code, startedAt, endedAt: Date.now() };
  } catch (error) {
    return { id, status: 0, code: `network: ${String(error)}`, startedAt, endedAt: Date.now() };
  }
}

async function run(resultsFile: string): Promise<void> {
  const baseUrl = required('FAILOVER_URL');
  const { cookie, investigationId } = await setUp(baseUrl, required('FAILOVER_PASSWORD'));
  const stopFile = required('FAILOVER_STOP_FILE');
  const writers = Number(process.env.FAILOVER_WRITERS ?? '4');
  const results: WriteResult[] = [];
  let counter = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (!fs.existsSync(stopFile)) {
        counter += 1;
        const result = await writeOne(baseUrl, cookie, investigationId, counter);
        results.push(result);
        // Tells the script the writes are flowing, so it can take the primary away.
        if (result.status === 201 && !fs.existsSync(`${stopFile}.started`)) fs.writeFileSync(`${stopFile}.started`, '');
        // A short pause, longer after a refusal: the machine is shared, and a refused write is retried later.
        await sleep(result.status >= 200 && result.status < 300 ? 20 : 250);
      }
    }),
  );
  fs.writeFileSync(resultsFile, JSON.stringify({ investigationId, results } satisfies ResultsFile));
}

async function check(resultsFile: string): Promise<void> {
  const { investigationId, results } = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as ResultsFile;
  const client = new pg.Client({ connectionString: required('DATABASE_URL') });
  await client.connect();
  let stored: Set<string>;
  try {
    const rows = await client.query<{ id: string }>('SELECT id::text AS id FROM sites WHERE investigation_id = $1', [
      investigationId,
    ]);
    stored = new Set(rows.rows.map((row) => row.id));
  } finally {
    await client.end();
  }
  const acknowledged = results.filter((result) => result.status >= 200 && result.status < 300);
  const refused = results.filter((result) => result.code === 'database_unavailable');
  const unknown = results.filter((result) => result.code === 'commit_outcome_unknown');
  const unexpected = results.filter(
    (result) =>
      !(result.status >= 200 && result.status < 300) &&
      !(result.status === 503 && (result.code === 'database_unavailable' || result.code === 'commit_outcome_unknown')),
  );
  const missing = acknowledged.filter((result) => !stored.has(result.id));
  const refusedButStored = refused.filter((result) => stored.has(result.id));
  const unknownStored = unknown.filter((result) => stored.has(result.id)).length;
  const known = new Set(results.map((result) => result.id));
  const strangers = [...stored].filter((id) => !known.has(id));
  // The outage as the clients saw it: from the first refused write to the first write acknowledged after it.
  const firstFailure = results
    .filter((result) => !(result.status >= 200 && result.status < 300))
    .reduce((min, result) => Math.min(min, result.startedAt), Number.POSITIVE_INFINITY);
  const firstSuccessAfter = acknowledged
    .filter((result) => result.startedAt > firstFailure)
    .reduce((min, result) => Math.min(min, result.endedAt), Number.POSITIVE_INFINITY);
  const outageSeconds = Number.isFinite(firstSuccessAfter) ? (firstSuccessAfter - firstFailure) / 1000 : undefined;
  const acknowledgedAfter = acknowledged.filter((result) => result.startedAt > firstFailure).length;
  const summary = {
    writes: results.length,
    acknowledged: acknowledged.length,
    acknowledged_after_failover: acknowledgedAfter,
    refused_database_unavailable: refused.length,
    commit_outcome_unknown: unknown.length,
    commit_outcome_unknown_found_saved: unknownStored,
    unexpected_answers: unexpected.length,
    missing: missing.length,
    refused_but_stored: refusedButStored.length,
    stored_but_never_sent: strangers.length,
    client_outage_seconds: outageSeconds,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const failures: string[] = [];
  if (acknowledged.length === 0) failures.push('no write was acknowledged');
  if (acknowledgedAfter === 0)
    failures.push('no write was acknowledged after the failover (armtrace did not reconnect)');
  if (firstFailure === Number.POSITIVE_INFINITY)
    failures.push('no write was refused: the failover did not happen during the writes');
  if (missing.length > 0)
    failures.push(
      `${missing.length} acknowledged write(s) missing: ${missing
        .slice(0, 5)
        .map((r) => r.id)
        .join(', ')}`,
    );
  if (refusedButStored.length > 0)
    failures.push(`${refusedButStored.length} write(s) refused with database_unavailable were saved`);
  if (strangers.length > 0) failures.push(`${strangers.length} stored site(s) that no writer sent`);
  for (const result of unexpected.slice(0, 5)) failures.push(`unexpected answer ${result.status} ${result.code ?? ''}`);
  if (unexpected.length > 5) failures.push(`… ${unexpected.length - 5} more unexpected answers`);
  for (const failure of failures) process.stdout.write(`FAIL: ${failure}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

const [mode, resultsFile] = process.argv.slice(2);
if (resultsFile === undefined || (mode !== 'run' && mode !== 'check')) {
  process.stderr.write('usage: writes.ts run|check <results.json>\n');
  process.exit(2);
}
await (mode === 'run' ? run(resultsFile) : check(resultsFile));
