#!/usr/bin/env node
// Runs the compiled CLI (npm run build); in a checkout without dist/, runs the sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
let main;
if (existsSync(compiled)) {
  main = await import(compiled);
} else {
  const { tsImport } = await import('tsx/esm/api');
  main = await tsImport('../src/cli/main.ts', import.meta.url);
}
const code = await main.runCli(process.argv.slice(2));
if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
