#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and web/src/ with Node's test runner through tsx.
// Node 20 does not expand globs for --test, so the file list is built here.
// Fails when no test file is found, so a broken layout can never pass silently.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test', 'web/src'];

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

const files = roots.flatMap(collect).sort();
if (files.length === 0) {
  console.error(`No test files found under ${roots.join(', ')}.`);
  process.exit(1);
}
// A hung test file fails after this long (and is reported as cancelled) instead of stalling CI forever.
const timeoutMs = process.env.ARMTRACE_TEST_TIMEOUT_MS ?? '600000';
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
