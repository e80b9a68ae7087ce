/**
 * Reading CSV files as a stream of records through csv-parse (comma- or
 * semicolon-separated, RFC 4180 quoting), in UTF-8 or ISO-8859-1, one encoding
 * per file.
 */
import fs from 'node:fs';
import { isAscii, isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse';

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

export type CsvDelimiter = ',' | ';';

/**
 * The delimiter of a file, from its header line: `;` when the line holds more semicolons than commas outside
 * quotes (as spreadsheets write CSV where the comma is the decimal separator), else `,`.
 *
 * @example
 * detectDelimiter('site_ref;nom;lat'); // ';'
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const character of headerLine) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === ',') commas += 1;
    else if (!quoted && character === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

/** Line breaks inside a record's fields (CRLF counts once), so that the next record's line is known. */
function lineBreaks(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let index = 0; index < field.length; index += 1) {
      const code = field.charCodeAt(index);
      if (code === 10) count += 1;
      else if (code === 13) {
        count += 1;
        if (field.charCodeAt(index + 1) === 10) index += 1;
      }
    }
  }
  return count;
}

/** English text of a csv-parse error, for the problem that names its line. */
function describeCsvError(code: string | undefined, message: string): string {
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is not closed before the end of the file';
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'text after the closing quote of a field; quote the whole field';
  if (code === 'INVALID_OPENING_QUOTE' || code === 'CSV_INVALID_OPENING_QUOTE') {
    return 'a quote inside a field that does not start with one; quote the whole field and double the quotes in it';
  }
  return message;
}

/**
 * Parses CSV text given in chunks of any size with csv-parse (RFC 4180: fields quoted with `"` when they hold
 * the delimiter, quotes or line breaks, `""` for a quote inside, CRLF, LF or CR line ends; a quote inside an
 * unquoted field is refused, as it is in RFC 4180). The delimiter, comma or semicolon, is decided from the header line. Each
 * record comes with the physical line of the file it starts on; a blank line is a record of one empty field.
 *
 * @example
 * for await (const records of parseCsvChunks(['a;b\n1;"x', '\ny"\n'])) console.log(records);
 * // [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', 'x\ny'] }]
 */
export async function* parseCsvChunks(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<CsvRecord[]> {
  let parser: ReturnType<typeof parse> | undefined;
  let pending = '';
  let nextLine = 1;
  let records: CsvRecord[] = [];
  let failure: CsvSyntaxError | undefined;
  const start = (delimiter: CsvDelimiter) => {
    const created = parse({
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
      bom: true,
      // Records are taken here, as they are parsed, so that the line of a syntax error is known exactly.
      on_record: (record: string[]) => {
        records.push({ line: nextLine, fields: record });
        nextLine += 1 + lineBreaks(record);
        return null;
      },
    });
    created.resume();
    created.on('error', (error: Error & { code?: string }) => {
      failure = new CsvSyntaxError(describeCsvError(error.code, error.message), nextLine);
    });
    return created;
  };
  const take = () => {
    if (failure !== undefined) throw failure;
    const taken = records;
    records = [];
    return taken;
  };
  for await (const chunk of chunks) {
    if (parser === undefined) {
      pending += chunk;
      const end = pending.search(/[\r\n]/);
      if (end === -1) continue;
      parser = start(detectDelimiter(pending.slice(0, end)));
      parser.write(pending);
      pending = '';
    } else {
      // Let csv-parse take the chunk before reading what it made of it.
      if (!parser.write(chunk)) await new Promise((resolve) => parser!.once('drain', resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    const taken = take();
    if (taken.length > 0) yield taken;
  }
  parser ??= start(detectDelimiter(pending));
  if (pending !== '') parser.write(pending);
  await new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('error', () => resolve());
    parser.end();
  });
  const taken = take();
  // A last line without a line end that is empty is no record.
  if (taken.length > 0) yield taken;
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
  async function* text(): AsyncGenerator<string> {
    for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
      yield decoder.decode(chunk as Buffer, { stream: true });
    }
    yield decoder.decode();
  }
  yield* parseCsvChunks(text());
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

const LF = 10;
const CR = 13;
const UNDEFINED_IN_WINDOWS_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
const hex = (byte: number) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** Whether Windows-1252 defines every byte of `bytes`. */
function definesAll(bytes: Buffer): boolean {
  for (const byte of UNDEFINED_IN_WINDOWS_1252) if (bytes.includes(byte)) return false;
  return true;
}

/** Line breaks in `bytes` as the scan counts them (CR, LF, CR LF); `afterCr`: the byte before them was a CR. */
function countLineBreaks(bytes: Buffer, afterCr: boolean): number {
  let count = 0;
  for (let at = bytes.indexOf(CR); at !== -1; at = bytes.indexOf(CR, at + 1)) count += 1;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) {
    const previous = at === 0 ? (afterCr ? CR : -1) : bytes[at - 1];
    if (previous !== CR) count += 1;
  }
  return count;
}

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
  for await (const read of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
    let chunk = read as Buffer;
    // Fast path, natively, for whole lines of valid UTF-8 once the first multi-byte sequence and the first byte
    // undefined in Windows-1252 are known (or cannot be in them): only the line count moves on.
    const wholeLines = chunk.lastIndexOf(LF) + 1;
    if (needed === 0 && wholeLines > 0) {
      const lines = chunk.subarray(0, wholeLines);
      const ascii = isAscii(lines);
      if (
        (ascii || (scan.firstUtf8MultiByte !== null && isUtf8(lines))) &&
        (scan.firstNotWindows1252 !== null || ascii || definesAll(lines))
      ) {
        line += countLineBreaks(lines, pendingCr);
        utf8Column = 1;
        byteColumn = 1;
        pendingCr = false;
        chunk = chunk.subarray(wholeLines);
      }
    }
    for (const byte of chunk) {
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
