import type { ResponseOf } from '../../api/client';

/** The answer to an upload: the kept file's SHA-256 and what importing it would do. */
export type ImportUpload = ResponseOf<'/api/v1/investigations/{id}/imports/items/preview', 'post'>;
export type ImportPreview = ImportUpload['preview'];
export type ImportResult = ResponseOf<'/api/v1/investigations/{id}/imports/items', 'post'>;

/** Roles that may import (investigator and above; administrators act as owners). */
export const importingRoles: readonly string[] = ['owner', 'editor', 'investigator'];
