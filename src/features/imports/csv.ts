/**
 * Reading CSV files as a stream of records (RFC 4180: comma-separated, fields
 * quoted with `"` when they hold commas, quotes or line breaks, `""` for a
 * quote inside, CRLF or LF line ends), in UTF-8 or ISO-8859-1.
 */
import fs from 'node:fs';

/** One record and the line of the file it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A file that is not valid CSV; `line` is where the problem is. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** An incremental CSV parser: feed it text in chunks of any size. */
export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  private inQuotes = false;
  private afterQuote = false;
  private line = 1;
  private recordLine = 1;
  private pendingCr = false;

  /** Parses a chunk and returns the records it completes. */
  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    let start = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      // Fast path: a whole line without quotes, at the start of a record, is split as it is.
      if (index === start && !this.pendingCr && !this.inQuotes && !this.afterQuote && this.fields.length === 0) {
        const end = chunk.indexOf('\n', index);
        if (end !== -1 && this.field === '' && !this.quoted) {
          let line = chunk.slice(index, end);
          const cr = line.indexOf('\r');
          if (cr === line.length - 1) line = line.slice(0, -1);
          if ((cr === -1 || cr === line.length) && !line.includes('"')) {
            records.push({ line: this.recordLine, fields: line.split(',') });
            this.line += 1;
            this.recordLine = this.line;
            index = end;
            start = end + 1;
            continue;
          }
        }
      }
      const code = chunk.charCodeAt(index);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (code === LF) {
          start = index + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (code === QUOTE) {
          this.field += chunk.slice(start, index);
          this.inQuotes = false;
          this.afterQuote = true;
          start = index + 1;
        } else if (code === LF) {
          this.line += 1;
        }
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (code === QUOTE) {
          // A doubled quote inside a quoted field stands for one quote.
          this.field += '"';
          this.inQuotes = true;
          start = index + 1;
          continue;
        }
        if (code !== COMMA && code !== LF && code !== CR) {
          throw new CsvSyntaxError('text after the closing quote of a field; quote the whole field', this.line);
        }
      }
      if (code === COMMA) {
        this.fields.push(this.field + chunk.slice(start, index));
        this.field = '';
        this.quoted = false;
        start = index + 1;
      } else if (code === LF || code === CR) {
        this.fields.push(this.field + chunk.slice(start, index));
        this.field = '';
        this.quoted = false;
        records.push({ line: this.recordLine, fields: this.fields });
        this.fields = [];
        this.line += 1;
        this.recordLine = this.line;
        this.pendingCr = code === CR;
        start = index + 1;
      } else if (code === QUOTE && !this.quoted && this.field === '' && index === start) {
        this.quoted = true;
        this.inQuotes = true;
        start = index + 1;
      }
    }
    this.field += chunk.slice(start);
    return records;
  }

  /** Finishes the input: the last record may lack a line end. */
  end(): CsvRecord[] {
    if (this.inQuotes) {
      throw new CsvSyntaxError('a quoted field is not closed before the end of the file', this.recordLine);
    }
    if (this.fields.length === 0 && this.field === '' && !this.quoted) return [];
    this.fields.push(this.field);
    this.field = '';
    return [{ line: this.recordLine, fields: this.fields }];
  }
}

export type CsvEncoding = 'utf-8' | 'iso-8859-1';

/**
 * The records of a CSV file, read in chunks. UTF-8 is decoded strictly, so
 * that a file in another encoding fails (with a TypeError) instead of turning
 * into replacement characters. ISO-8859-1 is read as its superset
 * Windows-1252, as spreadsheet programs write it. A byte order mark is skipped.
 */
export async function* readCsvRecords(path: string, encoding: CsvEncoding): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'windows-1252', {
    fatal: encoding === 'utf-8',
    ignoreBOM: false,
  });
  const parser = new CsvParser();
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
    const records = parser.push(decoder.decode(chunk as Buffer, { stream: true }));
    if (records.length > 0) yield records;
  }
  const last = [...parser.push(decoder.decode()), ...parser.end()];
  if (last.length > 0) yield last;
}

/** Whether a file is valid UTF-8 (read in chunks, so any size will do). */
export async function isUtf8File(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}
