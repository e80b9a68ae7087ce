import type { Command } from 'commander';

/** Prints a value as indented JSON, for `--json` on read commands. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

/** Prints rows as an aligned text table, or a helpful line when there are none. */
export function printTable<T>(rows: T[], columns: Column<T>[], emptyMessage: string): void {
  if (rows.length === 0) {
    process.stdout.write(`${emptyMessage}\n`);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? '')));
  const widths = columns.map((column, index) =>
    Math.min(60, Math.max(column.header.length, ...cells.map((line) => line[index]!.length))),
  );
  const format = (line: string[]) =>
    line
      .map((cell, index) =>
        cell.length > widths[index]! ? `${cell.slice(0, widths[index]! - 1)}…` : cell.padEnd(widths[index]!),
      )
      .join('  ')
      .trimEnd();
  process.stdout.write(`${format(columns.map((column) => column.header))}\n`);
  for (const line of cells) process.stdout.write(`${format(line)}\n`);
}

/** Prints `key: value` lines for one record. */
export function printRecord(record: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(record).map((key) => key.length));
  for (const [key, value] of Object.entries(record)) {
    const shown =
      value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    process.stdout.write(`${key.padEnd(width)}  ${shown}\n`);
  }
}

/**
 * A progress bar on stderr for long work; silent when stderr is not a
 * terminal so logs and pipes stay clean.
 */
export function createProgress(
  label: string,
  total: number | undefined,
): { update(done: number): void; finish(): void } {
  const enabled = process.stderr.isTTY;
  let last = 0;
  const render = (done: number) => {
    if (!enabled) return;
    const now = Date.now();
    if (now - last < 100 && done !== total) return;
    last = now;
    if (total === undefined || total === 0) {
      process.stderr.write(`\r${label}: ${done}`);
      return;
    }
    const ratio = Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(ratio * width);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${(ratio * 100).toFixed(0)}%`,
    );
  };
  return {
    update: render,
    finish() {
      if (enabled) process.stderr.write('\n');
    },
  };
}

/** One page of a keyset-paged list, as every list service returns it. */
export interface Page<T> {
  items: T[];
  next_after: string | null;
}

/**
 * Adds the paging options every list command has: `--limit` (rows per page,
 * default 50) and `--after` (the id printed as `More: --after …` by
 * {@link printPage}). Returns the command, so the chain goes on.
 *
 * @example
 * addPageOptions(program.command('list').requiredOption('--investigation <id>', 'investigation id'))
 *   .option('--json', 'print JSON')
 *   .action(async (options: { limit: string; after?: string; json?: boolean }) => { ... });
 */
export function addPageOptions(command: Command, help: { limit?: string; after?: string } = {}): Command {
  return command
    .option('--limit <n>', help.limit ?? 'rows per page', '50')
    .option('--after <id>', help.after ?? 'continue after this id (from the previous page)');
}

/**
 * Prints one page of a list command: the page as JSON with `--json`, else a
 * table (or `emptyMessage`) and, when there is more, the `--after` that
 * continues.
 *
 * @example
 * printPage(page, [{ header: 'ID', value: (row) => row.id }], 'No sites yet.', options);
 */
export function printPage<T>(
  page: Page<T>,
  columns: Column<T>[],
  emptyMessage: string,
  options: { json?: boolean },
): void {
  if (options.json === true) return printJson(page);
  printTable(page.items, columns, emptyMessage);
  if (page.next_after !== null) process.stdout.write(`More: --after ${page.next_after}\n`);
}
