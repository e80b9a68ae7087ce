#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and web/src/ with Node's test runner through tsx.
// Node 20 does not expand globs for --test, so the file list is built here.
// Fails when no test file is found, so a broken layout can never pass silently.
// With --database-pass (test-all.sh's PostgreSQL pass) only the files that use a database run; --list only lists.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const paths = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const roots = paths.length > 0 ? paths : ['src', 'test', 'web/src'];

function collect(target) {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    return [];
  }
  if (stats.isFile()) return target.endsWith('.test.ts') ? [target] : [];
  return readdirSync(target)
    .filter((entry) => entry !== 'node_modules')
    .flatMap((entry) => collect(path.join(target, entry)));
}

/** The test helpers that open a database: a test file reaching one of them (through test helpers) uses one. */
const databaseHelpers = [path.resolve('src/testing/test-database.ts'), path.resolve('test/e2e/harness.ts')];
/** A file whose result cannot depend on the database says so, and why, in a line starting with this. */
const databaseIndependentMarker = /^\/\/ Database-independent: \S/m;

/**
 * Whether a test file opens a database: it imports (directly or through other test helpers, not through the code
 * under test) src/testing/test-database.ts or the browser harness, or reads DATABASE_URL itself.
 */
function usesDatabase(file, seen = new Set()) {
  const absolute = path.resolve(file);
  if (databaseHelpers.includes(absolute)) return true;
  if (seen.has(absolute)) return false;
  seen.add(absolute);
  const text = readFileSync(absolute, 'utf8');
  if (/process\.env\.DATABASE_URL/.test(text)) return true;
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = path.resolve(path.dirname(absolute), match[1]).replace(/\.js$/, '.ts');
    const isTestHelper = /(^|[/.-])test(s|ing|-helpers|-database)?([/.-]|$)|\/e2e\//.test(path.relative('.', target));
    if (isTestHelper && existsSync(target) && usesDatabase(target, seen)) return true;
  }
  return false;
}

const allFiles = roots.flatMap(collect).sort();
if (allFiles.length === 0) {
  console.error(`No test files found under ${roots.join(', ')}.`);
  process.exit(1);
}
// The PostgreSQL pass of test-all.sh (DATABASE_URL set, --database-pass) reruns only the files whose result can
// depend on the database: the others already ran, on the embedded database, in the first pass.
const databasePass = process.argv.includes('--database-pass');
const files = databasePass
  ? allFiles.filter((file) => usesDatabase(file) && !databaseIndependentMarker.test(readFileSync(file, 'utf8')))
  : allFiles;
if (databasePass) {
  const once = allFiles.filter((file) => !files.includes(file));
  console.log(`Runs ${files.length} of ${allFiles.length} test files again on this database; these ran once, on the`);
  console.log(`embedded database (no database, or marked "Database-independent"): ${once.join(', ')}`);
}
if (files.length === 0) {
  console.error('No test file uses a database: the database pass would test nothing.');
  process.exit(1);
}
// A hung test file fails after this long (and is reported as cancelled) instead of stalling CI forever. The limit is
// for the whole file, not each test: generous, because CI runs both database passes side by side on two cores.
const timeoutMs = process.env.ARMTRACE_TEST_TIMEOUT_MS ?? '1200000';
// --list prints the files this run would test, without running them.
if (process.argv.includes('--list')) {
  console.log(files.join('\n'));
  process.exit(0);
}
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    `--test-timeout=${timeoutMs}`,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, ARMTRACE_FROM_SOURCE: '1' } },
);
process.exit(result.status ?? 1);
