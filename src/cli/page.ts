import type { Command } from 'commander';
import { printJson, printTable, type Column } from './output.js';

/** The options every paged list command takes (see {@link addPageOptions}). */
export interface PageOptions {
  limit: string;
  after?: string;
  json?: boolean;
}

/**
 * Adds the paging options of a list command: `--limit` (rows per page, 1-500), `--after` (the `next_after` of the
 * previous page) and `--json`. The values stay strings: the service's zod schema parses them like the API's.
 *
 * @example
 * addPageOptions(review.command('queue <investigationId>').option('--kind <kind>', 'only one kind'))
 *   .action(async (investigationId: string, options: PageOptions & { kind?: string }) => { ... });
 */
export function addPageOptions(command: Command, defaultLimit = '50'): Command {
  return command
    .option('--limit <n>', 'rows per page (1-500)', defaultLimit)
    .option('--after <id>', 'the next_after of the previous page')
    .option('--json', 'print JSON');
}

/**
 * Prints one page of a list: the whole page as JSON with `--json`, else its items as a table (or `emptyMessage`)
 * followed by the option that shows the next page, when there is one.
 *
 * @example
 * printPage(queue, options, [{ header: 'ID', value: (row) => row.id }], 'Nothing awaits your review.');
 */
export function printPage<T>(
  page: { items: T[]; next_after: string | null },
  options: { json?: boolean | undefined },
  columns: Column<T>[],
  emptyMessage: string,
): void {
  if (options.json === true) return printJson(page);
  printTable(page.items, columns, emptyMessage);
  if (page.next_after !== null) process.stdout.write(`More: --after ${page.next_after}\n`);
}
