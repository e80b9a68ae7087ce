// The report of the example investigation, committed under docs/examples/:
// HTML and PDF in English and in Arabic, HTML in French. Uses an in-memory database and
// Debian's Chromium (or CHROMIUM_PATH) for the PDFs.
// Run: npx tsx scripts/example-report.ts
import fs from 'node:fs';
import { loadExampleInvestigation } from '../src/features/demo/service.js';
import { buildReportHtml, buildReportPdf } from '../src/features/report/service.js';
import { createTestDatabase, createTestUser } from '../src/testing/test-database.js';

// The example's events happened in early 2017: ages are measured as of mid-2017.
const asOf = '2017-06-30';
const outputDir = new URL('../docs/examples/', import.meta.url);

const test = await createTestDatabase();
try {
  const user = await createTestUser(test.db, 'analyst');
  const { id } = await loadExampleInvestigation(test.db, user);
  fs.mkdirSync(outputDir, { recursive: true });
  const write = (name: string, content: string | Buffer) => {
    fs.writeFileSync(new URL(name, outputDir), content);
    process.stdout.write(`Wrote docs/examples/${name}\n`);
  };
  write('example-report.html', await buildReportHtml(test.db, user, id, { lang: 'en', asOf }));
  write('example-report.ar.html', await buildReportHtml(test.db, user, id, { lang: 'ar', asOf }));
  write('example-report.fr.html', await buildReportHtml(test.db, user, id, { lang: 'fr', asOf }));
  write('example-report.pdf', await buildReportPdf(test.db, user, id, { lang: 'en', asOf }));
  write('example-report.ar.pdf', await buildReportPdf(test.db, user, id, { lang: 'ar', asOf }));
} finally {
  await test.close();
}
