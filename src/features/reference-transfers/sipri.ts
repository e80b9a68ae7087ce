/**
 * Reads the trade-register CSV exported by the SIPRI Arms Transfers Database
 * (https://armstrade.sipri.org). Its quirks, all handled here:
 * - ISO-8859-1 text (a file re-saved as UTF-8 is accepted too);
 * - lines of preamble (eleven in current exports) before the header;
 * - unnamed header columns right after "Year of order", "Number ordered" and
 *   "Number delivered" that hold '?' when the value is uncertain;
 * - delivery years in one field, separated by '; ';
 * - fields are not quoted, and a few comments contain a line break, so such a
 *   record continues on the next line.
 * The whole file is checked before anything is returned, with line numbers.
 */
import { designationKeys } from './designation.js';

export type PartyKind = 'state' | 'non_state' | 'organisation';

export interface SipriTransfer {
  line_number: number;
  supplier: string;
  supplier_kind: PartyKind;
  recipient: string;
  recipient_kind: PartyKind;
  order_year: number | null;
  order_year_uncertain: boolean;
  number_ordered: number | null;
  number_ordered_uncertain: boolean;
  designation: string;
  designation_keys: string[];
  description: string;
  number_delivered: number | null;
  number_delivered_uncertain: boolean;
  delivery_years: number[];
  status: string;
  comments: string;
  tiv_per_unit: number | null;
  tiv_total_order: number | null;
  tiv_delivered: number | null;
}

export interface SipriProblem {
  line: number;
  message: string;
}

export interface SipriParseResult {
  encoding: 'ISO-8859-1' | 'UTF-8';
  /** The lines before the header, as published (source, date generated, conventions). */
  preamble: string;
  headerLine: number;
  transfers: SipriTransfer[];
  /** Records that continued on the next line, kept as one record. */
  joinedLines: number[];
  problems: SipriProblem[];
}

const HEADER_SEARCH_LINES = 30;
const MAX_PROBLEMS = 100;

/** The named columns, by their header text in lower case; `flag` ones have a '?' column after them. */
const columns = {
  recipient: { header: 'recipient', required: true, flag: false },
  supplier: { header: 'supplier', required: true, flag: false },
  orderYear: { header: 'year of order', required: true, flag: true },
  numberOrdered: { header: 'number ordered', required: true, flag: true },
  designation: { header: 'weapon designation', required: true, flag: false },
  description: { header: 'weapon description', required: true, flag: false },
  numberDelivered: { header: 'number delivered', required: true, flag: true },
  deliveryYears: { header: 'year(s) of delivery', required: true, flag: false },
  status: { header: 'status', required: false, flag: false },
  comments: { header: 'comments', required: false, flag: false },
  tivPerUnit: { header: 'sipri tiv per unit', required: false, flag: false },
  tivTotalOrder: { header: 'sipri tiv for total order', required: false, flag: false },
  tivDelivered: { header: 'sipri tiv of delivered weapons', required: false, flag: false },
} as const;
type ColumnName = keyof typeof columns;

interface ColumnIndex {
  value: Partial<Record<ColumnName, number>>;
  flag: Partial<Record<ColumnName, number>>;
  count: number;
}

/** ISO-8859-1 unless the bytes are valid UTF-8 with some non-ASCII character (a re-saved file). */
function decode(bytes: Uint8Array): { text: string; encoding: SipriParseResult['encoding'] } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (hasBom || body.some((byte) => byte >= 0x80)) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'UTF-8' };
    } catch {
      // Not UTF-8: the published encoding.
    }
  }
  return { text: Buffer.from(body).toString('latin1'), encoding: 'ISO-8859-1' };
}

/** Splits one CSV line; double-quoted fields (which SIPRI does not use today) are honoured. */
function splitFields(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index]!;
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        current += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else current += character;
    } else if (character === '"' && current === '') quoted = true;
    else if (character === ',') {
      fields.push(current);
      current = '';
    } else current += character;
  }
  fields.push(current);
  return fields;
}

function indexColumns(header: string[]): { index: ColumnIndex; missing: string[] } {
  const index: ColumnIndex = { value: {}, flag: {}, count: header.length };
  const byHeader = new Map<string, ColumnName>(
    Object.entries(columns).map(([name, column]) => [column.header, name as ColumnName]),
  );
  let previous: ColumnName | undefined;
  header.forEach((cell, position) => {
    const text = cell.trim().toLowerCase();
    if (text === '') {
      // An unnamed column holds the '?' flags of the named column before it.
      if (previous !== undefined && columns[previous].flag && index.flag[previous] === undefined) {
        index.flag[previous] = position;
      }
      return;
    }
    const name = byHeader.get(text);
    if (name !== undefined && index.value[name] === undefined) index.value[name] = position;
    previous = name;
  });
  const missing = Object.entries(columns)
    .filter(([name, column]) => column.required && index.value[name as ColumnName] === undefined)
    .map(([, column]) => `"${column.header}"`);
  return { index, missing };
}

function partyKind(name: string): PartyKind {
  if (name.endsWith('**')) return 'organisation';
  if (name.endsWith('*')) return 'non_state';
  return 'state';
}

/** Reads one record; problems are pushed with the record's line number. */
function readRecord(
  fields: string[],
  index: ColumnIndex,
  lineNumber: number,
  problems: SipriProblem[],
): SipriTransfer | undefined {
  const before = problems.length;
  const complain = (message: string) => problems.push({ line: lineNumber, message });
  const cell = (name: ColumnName) => {
    const position = index.value[name];
    return position === undefined ? '' : (fields[position] ?? '').trim();
  };
  const flag = (name: ColumnName) => {
    const position = index.flag[name];
    const value = position === undefined ? '' : (fields[position] ?? '').trim();
    if (value !== '' && value !== '?')
      complain(`the uncertainty column after ${columns[name].header} holds "${value}", not "?" or nothing`);
    return value === '?';
  };
  const integer = (name: ColumnName, pattern: RegExp, what: string) => {
    const value = cell(name);
    if (value === '') return null;
    if (!pattern.test(value)) {
      complain(`${columns[name].header} is "${value}", not ${what}`);
      return null;
    }
    return Number(value);
  };
  const decimal = (name: ColumnName) => {
    const value = cell(name);
    if (value === '') return null;
    if (!/^\d+(?:\.\d+)?$/.test(value)) {
      complain(`${columns[name].header} is "${value}", not a number`);
      return null;
    }
    return Number(value);
  };

  const supplier = cell('supplier');
  const recipient = cell('recipient');
  const designation = cell('designation');
  if (supplier === '') complain('the supplier is empty');
  if (recipient === '') complain('the recipient is empty');
  if (designation === '') complain('the weapon designation is empty');
  const deliveryText = cell('deliveryYears');
  const deliveryYears: number[] = [];
  if (deliveryText !== '') {
    for (const year of deliveryText.split(';').map((part) => part.trim())) {
      if (/^\d{4}$/.test(year)) deliveryYears.push(Number(year));
      else complain(`year(s) of delivery "${deliveryText}" is not a list of years separated by "; "`);
    }
  }
  const transfer: SipriTransfer = {
    line_number: lineNumber,
    supplier,
    supplier_kind: partyKind(supplier),
    recipient,
    recipient_kind: partyKind(recipient),
    order_year: integer('orderYear', /^\d{4}$/, 'a year'),
    order_year_uncertain: flag('orderYear'),
    number_ordered: integer('numberOrdered', /^\d+$/, 'a whole number'),
    number_ordered_uncertain: flag('numberOrdered'),
    designation,
    designation_keys: designationKeys(designation),
    description: cell('description'),
    number_delivered: integer('numberDelivered', /^\d+$/, 'a whole number'),
    number_delivered_uncertain: flag('numberDelivered'),
    delivery_years: deliveryYears,
    status: cell('status'),
    comments: cell('comments'),
    tiv_per_unit: decimal('tivPerUnit'),
    tiv_total_order: decimal('tivTotalOrder'),
    tiv_delivered: decimal('tivDelivered'),
  };
  return problems.length === before ? transfer : undefined;
}

/**
 * Parses and checks a whole SIPRI trade-register export. Nothing is partial:
 * the caller imports `transfers` only when `problems` is empty.
 *
 * @example
 * const result = parseSipriTradeRegister(fs.readFileSync('trade-register.csv'));
 * if (result.problems.length === 0) console.log(result.transfers.length, result.encoding);
 */
export function parseSipriTradeRegister(bytes: Uint8Array): SipriParseResult {
  const { text, encoding } = decode(bytes);
  const lines = text.split(/\r?\n/);
  const problems: SipriProblem[] = [];
  const headerIndex = lines
    .slice(0, HEADER_SEARCH_LINES)
    .findIndex((line) => /^"?recipient"?,"?supplier"?,/i.test(line.trim()));
  const result: SipriParseResult = {
    encoding,
    preamble: '',
    headerLine: headerIndex + 1,
    transfers: [],
    joinedLines: [],
    problems,
  };
  if (headerIndex < 0) {
    problems.push({
      line: 1,
      message: `no header line starting "Recipient,Supplier," in the first ${HEADER_SEARCH_LINES} lines: is this a SIPRI trade-register CSV export?`,
    });
    return result;
  }
  result.preamble = lines.slice(0, headerIndex).join('\n').trim();
  const { index, missing } = indexColumns(splitFields(lines[headerIndex]!));
  if (missing.length > 0) {
    problems.push({ line: headerIndex + 1, message: `the header lacks the column(s) ${missing.join(', ')}` });
    return result;
  }

  for (let position = headerIndex + 1; position < lines.length && problems.length < MAX_PROBLEMS; position += 1) {
    const lineNumber = position + 1;
    const line = lines[position]!;
    if (line.trim() === '') continue;
    let fields = splitFields(line);
    if (fields.length < index.count && position + 1 < lines.length) {
      // A comment with a line break: the record goes on on the next line.
      const joined = splitFields(`${line}\n${lines[position + 1]!}`);
      if (joined.length === index.count) {
        fields = joined;
        result.joinedLines.push(lineNumber);
        position += 1;
      }
    }
    if (fields.length !== index.count) {
      problems.push({ line: lineNumber, message: `has ${fields.length} fields where the header has ${index.count}` });
      continue;
    }
    const transfer = readRecord(fields, index, lineNumber, problems);
    if (transfer !== undefined) result.transfers.push(transfer);
  }
  return result;
}
