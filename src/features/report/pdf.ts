import fs from 'node:fs';
import { DomainError } from '../../errors.js';
import type { ReportLanguage } from './i18n.js';

/** Debian's Chromium by default; CHROMIUM_PATH names another build (as for the screenshots script). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

// A headless print with nothing reaching out to the network or updating itself.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Tells how to get Chromium when it is missing, instead of failing deep inside playwright. */
export function requireChromium(): string {
  const executable = chromiumPath();
  if (!fs.existsSync(executable)) {
    throw new DomainError(
      'program_missing',
      `PDF output prints the HTML report with Chromium, which is not at ${executable}. Install it (apt-get install -y chromium fonts-noto-core) or set CHROMIUM_PATH; --format html needs nothing.`,
    );
  }
  return executable;
}

/**
 * Prints a self-contained HTML report to an A4 PDF with page numbers.
 *
 * @example
 * fs.writeFileSync('report.pdf', await printReportPdf(html, 'en'));
 */
export async function printReportPdf(html: string, lang: ReportLanguage): Promise<Buffer> {
  // Loaded here, not with the module: playwright-core costs every CLI command and server start about 0.4 s of CPU.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: requireChromium(), args: chromiumArgs });
  try {
    const page = await browser.newPage();
    // Everything is inline: nothing is fetched, so 'load' means laid out with its fonts.
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready.then(() => true)');
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div dir="ltr" lang="${lang}" style="width:100%;font-size:8px;color:#6b7280;padding:0 15mm;text-align:center;font-family:'Noto Sans','DejaVu Sans',sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
    });
  } finally {
    await browser.close();
  }
}
