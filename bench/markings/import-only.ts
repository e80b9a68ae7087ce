/**
 * The import part of bench/markings alone, for profiling and for comparing two
 * versions on a loaded machine: the time of each phase, the CPU time of this
 * process and of the PostgreSQL server processes of the benchmark's database
 * (read from /proc, so on the same machine only; the machine's load inflates
 * wall-clock time far more than CPU time), the raw COPY of the same CSV and
 * the ratio. `--csv FILE` reuses (or keeps) the generated CSV between runs;
 * KEEP=1 leaves the database in place for experiments.
 *
 *   tsx bench/markings/import-only.ts --markings 100000 --db postgres --csv /tmp/m100k.csv
 *   tsx bench/markings/import-only.ts --markings 100000 --db postgres --csv /tmp/m100k.csv --no-set-aside
 *   node --cpu-prof --import tsx bench/markings/import-only.ts --markings 100000
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrate } from '../../src/db/migrate.js';
import type { Actor } from '../../src/features/access/schema.js';
import { importItemsCsv } from '../../src/features/imports/service.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { actorFor, createUser, findUserByUsername, systemActor } from '../../src/features/users/service.js';
import { openPGliteBench, openPostgresBench } from './databases.js';
import { CSV_COLUMNS, datasetCsvLines, generateDataset } from './generate.js';

const { values: options } = parseArgs({
  options: {
    markings: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'postgres' },
    csv: { type: 'string' },
    // Maintain every index and foreign key row by row, as before the import set them aside (for comparison).
    'no-set-aside': { type: 'boolean', default: false },
    // Rows per load batch (the import's default when not given).
    batch: { type: 'string' },
  },
});

const markingCount = Number(options.markings);
const directory = options.csv === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-import-')) : undefined;
const csvFile = options.csv ?? path.join(directory!, 'markings.csv');
if (!fs.existsSync(csvFile)) {
  const dataset = generateDataset(markingCount);
  fs.writeFileSync(csvFile, [...datasetCsvLines(dataset)].join(''));
}
const bench =
  options.db === 'pglite' ? await openPGliteBench() : await openPostgresBench(process.env.DATABASE_URL || undefined);
try {
  const db = bench.database.db;
  process.stderr.write(`${bench.label}, ${markingCount} markings\n`);
  await migrate(bench.database);
  await createUser(db, systemActor, {
    username: 'bench',
    display_name: 'B',
    password: 'benchmark password 1',
    is_admin: false,
  });
  const actor: Actor = actorFor(await findUserByUsername(db, 'bench'), 'cli');
  const investigation = await createInvestigation(db, actor, { title: 'Import benchmark' });
  // CPU time of this process and of the database's server processes (same machine), which the machine's load
  // does not inflate the way it inflates wall-clock time.
  const backendCpu = new Map<number, number>();
  const tick = 100; // clock ticks a second (getconf CLK_TCK)
  const sampleBackends = async () => {
    if (bench.label !== 'PostgreSQL') return;
    const pids = await sql<{
      pid: number;
    }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
    for (const { pid } of pids.rows) {
      try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        backendCpu.set(pid, (Number(fields[11]) + Number(fields[12])) / tick);
      } catch {
        // ended
      }
    }
  };
  await sampleBackends();
  const backendBefore = new Map(backendCpu);
  const sampler = setInterval(() => void sampleBackends(), 500);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let phase = '';
  // Per phase: wall time, this process's CPU and the database server processes' CPU (sampled at phase changes).
  let mark = { at: started, cpu: process.cpuUsage(), backend: 0 };
  const backendTotal = () => {
    let total = 0;
    for (const [pid, seconds] of backendCpu) total += seconds - (backendBefore.get(pid) ?? 0);
    return total;
  };
  const endPhase = async (ended: string) => {
    if (ended === '') return;
    await sampleBackends();
    const now = { at: performance.now(), cpu: process.cpuUsage(), backend: backendTotal() };
    const node = (now.cpu.user + now.cpu.system - mark.cpu.user - mark.cpu.system) / 1e6;
    process.stderr.write(
      `  ${ended}: ${((now.at - mark.at) / 1000).toFixed(2)} s wall, this process ${node.toFixed(2)} s CPU, ` +
        `database ${(now.backend - mark.backend).toFixed(2)} s CPU\n`,
    );
    mark = now;
  };
  let phaseEnded = Promise.resolve();
  const result = await importItemsCsv(db, actor, investigation.id, csvFile, {
    ...(options['no-set-aside'] ? { bulkMinimumRows: Number.POSITIVE_INFINITY } : {}),
    ...(options.batch === undefined ? {} : { batchSize: Number(options.batch) }),
    onProgress: (next) => {
      if (next !== phase) {
        process.stderr.write(`${((performance.now() - started) / 1000).toFixed(2)} s: ${next}\n`);
        const ended = phase;
        phaseEnded = phaseEnded.then(() => endPhase(ended));
        phase = next;
      }
    },
  });
  await phaseEnded;
  await endPhase(phase);
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  await sampleBackends();
  let backendSeconds = 0;
  for (const [pid, seconds] of backendCpu) backendSeconds += seconds - (backendBefore.get(pid) ?? 0);
  process.stderr.write(
    `CPU: this process ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, database server processes ${backendSeconds.toFixed(2)} s\n`,
  );
  process.stderr.write(
    `import ${result.seconds} s, ${Math.round(result.markings_created / result.seconds)} markings/s\n`,
  );
  await sql`CREATE TABLE bench_raw (${sql.raw(CSV_COLUMNS.map((column) => `${column} text`).join(', '))})`.execute(db);
  const copyStarted = performance.now();
  await bench.copyCsv('bench_raw', CSV_COLUMNS, csvFile);
  const copySeconds = (performance.now() - copyStarted) / 1000;
  process.stderr.write(
    `raw COPY ${copySeconds.toFixed(2)} s, ${Math.round(result.rows / copySeconds)} rows/s; ratio ${(result.markings_created / result.seconds / (result.rows / copySeconds)).toFixed(3)}; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
} finally {
  if (process.env.KEEP === '1') process.exit(0);
  await bench.close();
  if (directory !== undefined) fs.rmSync(directory, { recursive: true, force: true });
}
