/**
 * Reading CSV files as a stream of records (RFC 4180: comma-separated, fields
 * quoted with `"` when they hold commas, quotes or line breaks, `""` for a
 * quote inside, CRLF or LF line ends), in UTF-8 or ISO-8859-1, one encoding per
 * file.
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
 * The records of a CSV file, read in chunks, in the one encoding decided for
 * the whole file ({@link decideCsvEncoding}). UTF-8 is decoded strictly.
 * ISO-8859-1 is read as its superset Windows-1252, as spreadsheet programs
 * write it. A byte order mark is skipped.
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

/** Where a byte is in a file: line (1-based, as the CSV parser counts them) and column (1-based, in characters). */
export interface BytePosition {
  line: number;
  column: number;
  /** The byte itself, e.g. `0xE9`. */
  byte: string;
}

/** What one pass over a file's bytes found about its encoding. */
export interface EncodingScan {
  /** The first byte that is not part of valid UTF-8, or null when the whole file is UTF-8. */
  firstNonUtf8: BytePosition | null;
  /** The first valid UTF-8 sequence of two to four bytes (a non-ASCII character in UTF-8), or null. */
  firstUtf8MultiByte: BytePosition | null;
  /** The first byte Windows-1252 does not define (0x81, 0x8D, 0x8F, 0x90, 0x9D), or null. */
  firstNotWindows1252: BytePosition | null;
}

const UNDEFINED_IN_WINDOWS_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
const hex = (byte: number) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Scans a file's bytes once (in chunks, so any size will do): strict UTF-8
 * validation (the WHATWG decoder's rules: no overlong forms, no surrogates,
 * nothing above U+10FFFF), whether any multi-byte UTF-8 sequence occurs, and
 * whether every byte is defined in Windows-1252, each with the line and
 * column of its first occurrence.
 *
 * @example
 * const scan = await scanEncoding('caches.csv');
 * if (scan.firstNonUtf8 !== null) console.log(`line ${scan.firstNonUtf8.line}: ${scan.firstNonUtf8.byte}`);
 */
export async function scanEncoding(path: string): Promise<EncodingScan> {
  const scan: EncodingScan = { firstNonUtf8: null, firstUtf8MultiByte: null, firstNotWindows1252: null };
  let line = 1;
  let utf8Column = 1;
  let byteColumn = 1;
  let pendingCr = false;
  // The UTF-8 sequence being read: bytes still needed, bounds of the next one, where it started.
  let needed = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let sequenceStart: BytePosition = { line: 1, column: 1, byte: '' };
  const invalid = (position: BytePosition) => {
    scan.firstNonUtf8 ??= position;
  };
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
    for (const byte of chunk as Buffer) {
      if (UNDEFINED_IN_WINDOWS_1252.has(byte)) {
        scan.firstNotWindows1252 ??= { line, column: byteColumn, byte: hex(byte) };
      }
      byteColumn += 1;
      if (needed > 0) {
        if (byte >= lower && byte <= upper) {
          lower = 0x80;
          upper = 0xbf;
          needed -= 1;
          if (needed === 0) {
            scan.firstUtf8MultiByte ??= sequenceStart;
            utf8Column += 1;
          }
          continue;
        }
        // The sequence broke off: its first byte is the bad one; this byte starts afresh.
        invalid(sequenceStart);
        needed = 0;
        lower = 0x80;
        upper = 0xbf;
        utf8Column += 1;
      }
      if (byte === LF || byte === CR) {
        if (!(byte === LF && pendingCr)) line += 1;
        pendingCr = byte === CR;
        utf8Column = 1;
        byteColumn = 1;
        continue;
      }
      pendingCr = false;
      if (byte < 0x80) {
        utf8Column += 1;
        continue;
      }
      sequenceStart = { line, column: utf8Column, byte: hex(byte) };
      if (byte >= 0xc2 && byte <= 0xdf) needed = 1;
      else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3;
      } else {
        invalid(sequenceStart);
        utf8Column += 1;
      }
    }
  }
  if (needed > 0) invalid(sequenceStart);
  return scan;
}

/** A file whose encoding cannot be decided without altering its text; `position` is the first bad byte (the message does not repeat it). */
export class CsvEncodingError extends Error {
  constructor(
    message: string,
    readonly position: BytePosition,
  ) {
    super(message);
    this.name = 'CsvEncodingError';
  }
}

/**
 * The one encoding a whole file is read in. A file that is valid UTF-8 is
 * UTF-8 (unless `requested` says otherwise). A file that is not is read as
 * ISO-8859-1 (Windows-1252) only when asked to (`requested`), or when every
 * byte is defined there and the file holds no valid multi-byte UTF-8
 * sequence: a file with both is a mix of encodings, and guessing either way
 * would alter some of its text, so it is refused with the line and column of
 * the first byte that is not UTF-8.
 *
 * @example
 * const encoding = decideCsvEncoding(await scanEncoding('caches.csv'), undefined); // 'utf-8' or 'iso-8859-1'
 */
export function decideCsvEncoding(scan: EncodingScan, requested: CsvEncoding | undefined): CsvEncoding {
  const bad = scan.firstNonUtf8;
  if (requested === 'utf-8' || (requested === undefined && bad === null)) {
    if (bad !== null) {
      throw new CsvEncodingError(`byte ${bad.byte} is not UTF-8, although the file was said to be UTF-8`, bad);
    }
    return 'utf-8';
  }
  const undefinedByte = scan.firstNotWindows1252;
  if (undefinedByte !== null) {
    throw new CsvEncodingError(
      requested === undefined
        ? `byte ${bad!.byte} is not UTF-8, and byte ` +
            `${undefinedByte.byte} at line ${undefinedByte.line} is not ISO-8859-1 (Windows-1252) either; ` +
            'save the file as UTF-8'
        : `byte ${undefinedByte.byte} is not defined in ISO-8859-1 (Windows-1252)`,
      requested === undefined ? bad! : undefinedByte,
    );
  }
  if (requested === undefined && scan.firstUtf8MultiByte !== null) {
    const utf8 = scan.firstUtf8MultiByte;
    throw new CsvEncodingError(
      `byte ${bad!.byte} is not UTF-8, but line ${utf8.line} ` +
        'holds UTF-8 text: the file mixes encodings, and reading it in either would alter some of its text. ' +
        'Save the file as UTF-8, or name its encoding (--encoding) if it really is ISO-8859-1',
      bad!,
    );
  }
  return 'iso-8859-1';
}
