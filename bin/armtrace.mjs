#!/usr/bin/env node
// Runs the compiled CLI (npm run build); in a checkout without dist/, or with
// ARMTRACE_FROM_SOURCE=1 (set by the test runner, so a stale build is never tested),
// runs the sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
let main;
if (existsSync(compiled) && process.env.ARMTRACE_FROM_SOURCE !== '1') {
  main = await import(compiled);
} else {
  const { tsImport } = await import('tsx/esm/api');
  main = await tsImport('../src/cli/main.ts', import.meta.url);
}
const code = await main.runCli(process.argv.slice(2));
if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
