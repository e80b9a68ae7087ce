import { z } from 'zod';

/**
 * The XML names of armtrace's item capture form (the XLSForm written by `forms xlsform`). The import reads
 * submissions by these names, so they never change once a team collects with the form; a new field gets a new name.
 */
export const formFields = {
  site: 'site',
  newSiteName: 'new_site_name',
  newSiteType: 'new_site_type',
  location: 'location',
  zone: 'zone',
  category: 'category',
  model: 'model',
  quantity: 'quantity',
  condition: 'condition',
  assemblyState: 'assembly_state',
  productionType: 'production_type',
  fuzeFitted: 'fuze_fitted',
  safetyDeviceFitted: 'safety_device_fitted',
  disposalStatus: 'disposal_status',
  observations: 'observations',
  markings: 'markings',
  markingText: 'marking_text',
  markingKind: 'marking_kind',
  markingPosition: 'marking_position',
  photos: 'photos',
  photo: 'photo',
} as const;

/** The repeat groups of the form: one CSV each in an ODK Central export, a nested array in JSON. */
export const formRepeats = [formFields.markings, formFields.photos] as const;
export type FormRepeat = (typeof formRepeats)[number];

/** The `site` choice that says "a site not in the list": the new site's name and type are then asked. */
export const NEW_SITE_CHOICE = 'new_site';

/** The form id of an investigation's capture form (an XML name: letters, digits and underscores). */
export function formIdFor(investigationId: string): string {
  return `armtrace_items_${investigationId.replaceAll('-', '')}`;
}

export const exportFormats = ['odk_central_csv', 'odk_central_odata', 'kobo_csv', 'kobo_json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const formsImportQuerySchema = z.object({
  dry_run: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Check everything and say what would be created, writing nothing'),
});

export const formsImportResultSchema = z.object({
  import_id: z.uuid().nullable().describe('Names the audit entry of the import; null for a dry run or nothing new'),
  dry_run: z.boolean(),
  export_format: z.enum(exportFormats),
  form_id: z.string().nullable(),
  form_versions: z.array(z.string()).describe('Every form version the submissions name'),
  submissions: z.number().int().describe('Submissions in the file'),
  already_imported: z.number().int().describe('Submissions imported before (by instance ID): left as they are'),
  items_created: z.number().int(),
  markings_created: z.number().int(),
  sites_created: z.number().int(),
  zones_created: z.number().int(),
  media_created: z.number().int(),
  created: z
    .array(
      z.object({
        instance_id: z.string(),
        item_id: z.uuid(),
        site_id: z.uuid().nullable().describe('null in a dry run when the site is new'),
        media: z.array(z.object({ id: z.uuid(), sha256: z.string(), original_filename: z.string() })),
      }),
    )
    .describe('One entry per new submission (ids are those the import will use, also in a dry run)'),
});
export type FormsImportResult = z.infer<typeof formsImportResultSchema>;

export const xlsformQuerySchema = z.object({
  version: z
    .string()
    .regex(/^[0-9A-Za-z._-]{1,40}$/, 'letters, digits, dot, dash or underscore')
    .optional()
    .describe('The form version to write in the settings sheet (default: the time now, YYYYMMDDhhmm in UTC)'),
});
