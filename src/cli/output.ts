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
