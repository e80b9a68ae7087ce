import type { ResponseOf } from '../../api/client';

/** The answer to an upload: the kept file's SHA-256 and what importing it would do. */
export type ImportUpload = ResponseOf<'/api/v1/investigations/{id}/imports/items/preview', 'post'>;
export type ImportPreview = ImportUpload['preview'];
export type ImportResult = ResponseOf<'/api/v1/investigations/{id}/imports/items', 'post'>;
export type SavedMapping = ResponseOf<'/api/v1/investigations/{id}/import-mappings'>['items'][number];
type ImportField = NonNullable<ImportPreview['columns'][number]['field']>;
export type ImportMapping = Record<string, ImportField | null>;

/** Roles that may import (investigator and above; administrators act as owners). */
export const importingRoles: readonly string[] = ['owner', 'editor', 'investigator'];

/** The fields a column can fill, in the order of docs/markings.md. */
export const importFields: readonly ImportField[] = [
  'site_ref',
  'site_name',
  'site_type',
  'lat',
  'lon',
  'recovered_on',
  'item_ref',
  'category',
  'model',
  'quantity',
  'marking_kind',
  'marking_text',
  'marking_position',
];

/** The select value of a column left out on purpose ('' is a column no field was chosen for). */
export const LEAVE_OUT = '-';

/** The select value of each column of the file, by position. */
export type ColumnChoices = string[];

/** The choices the server read the file with: the recognised or given field, or left out. */
export function choicesOf(preview: ImportPreview): ColumnChoices {
  return preview.columns.map((column) =>
    column.field !== null ? column.field : column.source === 'mapping' ? LEAVE_OUT : '',
  );
}

/** The mapping to send: every column a field was chosen for, or left out; columns not chosen are not sent. */
export function mappingOf(preview: ImportPreview, choices: ColumnChoices): ImportMapping {
  const mapping: ImportMapping = {};
  preview.columns.forEach((column, index) => {
    const choice = choices[index] ?? '';
    if (choice === LEAVE_OUT) mapping[column.header] = null;
    else if (choice !== '') mapping[column.header] = choice as ImportField;
  });
  return mapping;
}
