/**
 * Column mapping: which armtrace field each column of a file fills. Proposed from the headers (the field's code,
 * its names in English, French and Arabic and common synonyms, whatever the case, accents or separators), then
 * confirmed or changed by the user: a mapping given for a header wins, `null` leaves the column out on purpose.
 */
import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DomainError } from '../../errors.js';
import { createValueMatcher, normalizeForMatching } from '../../parsing/controlled-values.js';
import { importColumns, type ImportColumn, type ImportMapping } from './schema.js';

const fieldNames: Record<ImportColumn, string[]> = {
  site_ref: [
    'site ref',
    'site reference',
    'site id',
    'site code',
    'réf site',
    'référence du site',
    'id du site',
    'code site',
    'code du site',
    'مرجع الموقع',
    'رمز الموقع',
    'معرف الموقع',
  ],
  site_name: ['site name', 'site', 'name of site', 'nom du site', 'nom site', 'lieu', 'اسم الموقع', 'الموقع'],
  site_type: ['site type', 'type of site', 'type de site', 'type du site', 'nature du site', 'نوع الموقع'],
  lat: ['latitude', 'lat', 'y', 'خط العرض', 'العرض'],
  lon: ['longitude', 'lon', 'lng', 'long', 'x', 'خط الطول', 'الطول'],
  recovered_on: [
    'recovered on',
    'recovery date',
    'date recovered',
    'date of recovery',
    'date',
    'date de récupération',
    'récupéré le',
    'date de découverte',
    'تاريخ الاسترداد',
    'تاريخ الاستعادة',
    'التاريخ',
  ],
  item_ref: [
    'item ref',
    'item reference',
    'item id',
    'item code',
    'item',
    'réf objet',
    'référence de l’objet',
    'référence objet',
    'id objet',
    'objet',
    'مرجع القطعة',
    'رمز القطعة',
    'معرف القطعة',
  ],
  category: ['category', 'item category', 'catégorie', 'type d’objet', 'الفئة', 'فئة القطعة'],
  model: ['model', 'modèle', 'designation', 'désignation', 'الطراز', 'النموذج'],
  quantity: ['quantity', 'qty', 'count', 'number of items', 'quantité', 'qté', 'nombre', 'الكمية', 'العدد'],
  marking_kind: [
    'marking kind',
    'marking type',
    'kind of marking',
    'type de marquage',
    'nature du marquage',
    'نوع العلامة',
    'نوع الوسم',
  ],
  marking_text: [
    'marking text',
    'marking',
    'markings',
    'inscription',
    'marquage',
    'texte du marquage',
    'texte',
    'العلامة',
    'نص العلامة',
    'الوسم',
  ],
  marking_position: [
    'marking position',
    'position',
    'location of marking',
    'position du marquage',
    'emplacement du marquage',
    'emplacement',
    'موضع العلامة',
    'مكان العلامة',
  ],
};

const fieldMatcher = createValueMatcher(importColumns.map((code) => ({ code, names: fieldNames[code] })));

/** One column of the file and the field it fills (null: left out). */
export interface ColumnAssignment {
  header: string;
  field: ImportColumn | null;
  /** How the field was chosen: from the given mapping, recognised from the header, or not at all. */
  source: 'mapping' | 'recognised' | 'none';
}

/**
 * The field each header fills: the given mapping's choice for that header (normalised the same way, so
 * `Catégorie` in the mapping names the column `categorie`), else the field the header names.
 *
 * @example
 * assignColumns(['Catégorie', 'Nom du site', 'Notes'], { Notes: null });
 * // [{ header: 'Catégorie', field: 'category', source: 'recognised' },
 * //  { header: 'Nom du site', field: 'site_name', source: 'recognised' },
 * //  { header: 'Notes', field: null, source: 'mapping' }]
 */
export function assignColumns(headers: readonly string[], mapping: ImportMapping | undefined): ColumnAssignment[] {
  const given = new Map<string, ImportColumn | null>();
  for (const [header, field] of Object.entries(mapping ?? {})) given.set(normalizeForMatching(header), field);
  return headers.map((header) => {
    const chosen = given.get(normalizeForMatching(header));
    if (chosen !== undefined) return { header, field: chosen, source: 'mapping' };
    const field = fieldMatcher.match(header.trim()) as ImportColumn | null;
    return { header, field, source: field === null ? 'none' : 'recognised' };
  });
}

/** The fields closest to a header no field was recognised in, for the problem that lists it. */
export function suggestFields(header: string): string[] {
  return fieldMatcher.suggest(header, 3);
}

function badMapping(file: string, message: string): DomainError {
  return new DomainError('validation_failed', `The mapping file ${file} cannot be used: ${message}.`, [
    { field: 'map', message, code: 'mapping_invalid', params: { reason: message } },
  ]);
}

/**
 * Checks a mapping read from anywhere: header → field name or null.
 *
 * @example
 * parseMapping({ Catégorie: 'category', Notes: null }, 'map.json');
 */
export function parseMapping(value: unknown, where: string): ImportMapping {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badMapping(where, 'it must be an object of header → field');
  }
  const mapping: ImportMapping = {};
  for (const [header, field] of Object.entries(value as Record<string, unknown>)) {
    if (field === null || field === '') mapping[header] = null;
    else if (typeof field === 'string' && (importColumns as readonly string[]).includes(field)) {
      mapping[header] = field as ImportColumn;
    } else {
      throw badMapping(where, `${JSON.stringify(field)} (for "${header}") is not one of ${importColumns.join(', ')}`);
    }
  }
  return mapping;
}

/**
 * A mapping file for `--map`: JSON (`{"Catégorie": "category", "Notes": null}`) or CSV with two columns,
 * header and field (an empty field leaves the column out), optionally under a `header,field` line.
 *
 * @example
 * const mapping = await readMappingFile('map.csv');
 */
export async function readMappingFile(file: string): Promise<ImportMapping> {
  const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw badMapping(file, `it is not valid JSON (${(error as Error).message})`);
    }
    return parseMapping(value, file);
  }
  const delimiter = (text.split(/\r?\n/)[0] ?? '').includes(';') ? ';' : ',';
  const rows: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true });
  const entries: Record<string, string | null> = {};
  for (const [index, row] of rows.entries()) {
    const [header = '', field = ''] = row;
    if (index === 0 && header.trim().toLowerCase() === 'header' && field.trim().toLowerCase() === 'field') continue;
    entries[header] = field.trim() === '' ? null : field.trim();
  }
  return parseMapping(entries, file);
}
