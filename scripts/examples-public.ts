// The example investigation's public site (public profile), committed under docs/examples/public/ in English
// (en/) and Arabic (ar/): what `armtrace export site` writes for the example loaded by `armtrace demo`.
// Deterministic: the clock is stopped at a fixed time and record ids come from a seeded generator, on an
// in-memory embedded database (never DATABASE_URL), so two runs write the same bytes. The drift test
// (src/features/export/examples-public.test.ts) runs this into a temporary folder and compares.
// Run: npm run examples:public            (rewrites docs/examples/public/en and ar)
//      npx tsx scripts/examples-public.ts --out DIR
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The moment the example is loaded and exported (its events are of early 2017; the report measures ages then). */
const fixedTime = Date.parse('2017-06-30T12:00:00.000Z');
const asOf = '2017-06-30';
export const exampleLocales = ['en', 'ar'] as const;

function stopTheClock(): void {
  const RealDate = Date;
  class FixedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(fixedTime);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return fixedTime;
    }
  }
  globalThis.Date = FixedDate as DateConstructor;
}

/** Random bytes from a counter hashed with SHA-256: the same sequence on every run (ids only, never secrets kept). */
function seedRandomness(): void {
  let counter = 0;
  const seeded = <T extends ArrayBufferView | null>(array: T): T => {
    if (array === null) return array;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let offset = 0; offset < bytes.length; offset += 32) {
      const block = createHash('sha256').update(`armtrace example ${counter++}`).digest();
      bytes.set(block.subarray(0, Math.min(32, bytes.length - offset)), offset);
    }
    return array;
  };
  Object.defineProperty(globalThis.crypto, 'getRandomValues', { value: seeded, configurable: true, writable: true });
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const defaultOut = fileURLToPath(new URL('../docs/examples/public/', import.meta.url));
const out = path.resolve(argument('--out') ?? defaultOut);

stopTheClock();
seedRandomness();
delete process.env.DATABASE_URL;
const { loadExampleInvestigation } = await import('../src/features/demo/service.js');
const { writePublicSite } = await import('../src/features/export/site.js');
const { createTestDatabase, createTestUser } = await import('../src/testing/test-database.js');
const { FolderEvidenceStore } = await import('../src/storage/folder-store.js');

const test = await createTestDatabase();
const storeDir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'armtrace-examples-'));
try {
  const analyst = await createTestUser(test.db, 'analyst', true);
  const { id } = await loadExampleInvestigation(test.db, analyst);
  const store = new FolderEvidenceStore(storeDir);
  fs.mkdirSync(out, { recursive: true });
  for (const lang of exampleLocales) {
    const target = path.join(out, lang);
    fs.rmSync(target, { recursive: true, force: true });
    const result = await writePublicSite(
      test.db,
      store,
      analyst,
      id,
      { lang, gridKm: 10, now: new Date(fixedTime), asOf },
      target,
    );
    process.stdout.write(`Wrote ${target}: ${result.files.join(', ')}\n`);
  }
} finally {
  await test.close();
  fs.rmSync(storeDir, { recursive: true, force: true });
}
