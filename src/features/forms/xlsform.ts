// Writes armtrace's item capture as an XLSForm (https://xlsform.org): a `survey` sheet of questions, a `choices`
// sheet whose names are armtrace's own codes (so a submission imports without any translation of values) and a
// `settings` sheet with the form id and version. Labels and hints are in English, French and Arabic, from the one
// message catalogue (src/i18n), in the `label::Language (code)` columns ODK Collect and KoboCollect read.
import { catalogues, type Locale, type MessageKey } from '../../i18n/messages.js';
import { itemCategories } from '../items/schema.js';
import { markingKinds } from '../markings/schema.js';
import { siteTypes } from '../sites/schema.js';
import { formFields as f, NEW_SITE_CHOICE } from './schema.js';

/** The form's languages, in the order of their columns, as XLSForm names them. */
export const formLanguages: readonly { locale: Locale; column: string }[] = [
  { locale: 'en', column: 'English (en)' },
  { locale: 'fr', column: 'Français (fr)' },
  { locale: 'ar', column: 'العربية (ar)' },
];

/** Each choice list: its name in the form, its codes and the catalogue prefix of their labels. */
export const choiceLists: readonly { list: string; codes: readonly string[]; labelPrefix: string }[] = [
  { list: 'site_type', codes: siteTypes, labelPrefix: 'siteType.' },
  { list: 'category', codes: itemCategories, labelPrefix: 'category.' },
  { list: 'condition', codes: ['new', 'good', 'worn', 'corroded', 'damaged'], labelPrefix: 'condition.' },
  { list: 'assembly_state', codes: ['complete', 'incomplete', 'component'], labelPrefix: 'assembly.' },
  { list: 'production_type', codes: ['factory', 'craft', 'unknown'], labelPrefix: 'productionType.' },
  { list: 'hazard_state', codes: ['yes', 'no', 'unknown'], labelPrefix: 'hazardState.' },
  {
    list: 'disposal_status',
    codes: ['in_place', 'moved_to_storage', 'rendered_safe', 'destroyed', 'transferred'],
    labelPrefix: 'disposal.',
  },
  { list: 'marking_kind', codes: markingKinds, labelPrefix: 'markingKind.' },
];

export interface FormSite {
  id: string;
  name: string;
  names: Record<string, string>;
}

interface SurveyRow {
  type: string;
  name?: string;
  label?: MessageKey;
  hint?: MessageKey;
  required?: boolean;
  relevant?: string;
  constraint?: string;
  appearance?: string;
  default?: string;
}

const newSite = `\${${f.site}} = '${NEW_SITE_CHOICE}'`;

const survey: readonly SurveyRow[] = [
  { type: 'start', name: 'start' },
  { type: 'end', name: 'end' },
  { type: 'note', name: 'hazard_note', label: 'forms.hazardNote' },
  { type: `select_one ${f.site}`, name: f.site, label: 'item.site', required: true, appearance: 'minimal' },
  { type: 'text', name: f.newSiteName, label: 'forms.newSiteName', required: true, relevant: newSite },
  { type: 'select_one site_type', name: f.newSiteType, label: 'forms.newSiteType', required: true, relevant: newSite },
  { type: 'geopoint', name: f.location, label: 'forms.location', hint: 'forms.locationHint' },
  { type: 'text', name: f.zone, label: 'item.zone', hint: 'forms.zoneHint' },
  { type: 'select_one category', name: f.category, label: 'item.category', required: true, appearance: 'minimal' },
  { type: 'text', name: f.model, label: 'item.model' },
  {
    type: 'integer',
    name: f.quantity,
    label: 'item.quantity',
    required: true,
    default: '1',
    constraint: '. >= 1 and . <= 100000000',
  },
  { type: 'select_one condition', name: f.condition, label: 'item.condition' },
  { type: 'select_one assembly_state', name: f.assemblyState, label: 'item.assemblyState' },
  { type: 'select_one production_type', name: f.productionType, label: 'item.productionType', default: 'unknown' },
  { type: 'select_one hazard_state', name: f.fuzeFitted, label: 'item.fuzeFitted', hint: 'capture.hazardHint' },
  { type: 'select_one hazard_state', name: f.safetyDeviceFitted, label: 'item.safetyDeviceFitted' },
  { type: 'select_one disposal_status', name: f.disposalStatus, label: 'item.disposalStatus', default: 'in_place' },
  { type: 'begin_repeat', name: f.markings, label: 'item.markings' },
  { type: 'text', name: f.markingText, label: 'marking.text', hint: 'capture.markingsHint', required: true },
  { type: 'select_one marking_kind', name: f.markingKind, label: 'marking.kind', required: true },
  { type: 'text', name: f.markingPosition, label: 'marking.position' },
  { type: 'end_repeat' },
  { type: 'begin_repeat', name: f.photos, label: 'forms.photos' },
  { type: 'image', name: f.photo, label: 'forms.photo' },
  { type: 'end_repeat' },
  { type: 'text', name: f.observations, label: 'item.observations', appearance: 'multiline' },
];

function message(locale: Locale, key: MessageKey): string {
  return catalogues[locale][key];
}

function siteLabel(site: FormSite, locale: Locale): string {
  return site.names[locale] ?? site.name;
}

/**
 * The XLSForm of an investigation's item capture as an .xlsx workbook: `site` lists the investigation's live sites
 * (named by their ids) and "new site".
 *
 * @example
 * const bytes = await buildXlsForm({ formId: formIdFor(id), version: '202612051800', title: 'Mosul caches',
 *   sites: [{ id: siteId, name: 'Farmhouse cellar', names: { ar: 'قبو المزرعة' } }] });
 */
export async function buildXlsForm(options: {
  formId: string;
  version: string;
  title: string;
  sites: readonly FormSite[];
}): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'armtrace';

  const surveySheet = workbook.addWorksheet('survey');
  surveySheet.addRow([
    'type',
    'name',
    ...formLanguages.map((language) => `label::${language.column}`),
    ...formLanguages.map((language) => `hint::${language.column}`),
    'required',
    'relevant',
    'constraint',
    'appearance',
    'default',
  ]);
  for (const row of survey) {
    surveySheet.addRow([
      row.type,
      row.name ?? '',
      ...formLanguages.map((language) => (row.label === undefined ? '' : message(language.locale, row.label))),
      ...formLanguages.map((language) => (row.hint === undefined ? '' : message(language.locale, row.hint))),
      row.required === true ? 'yes' : '',
      row.relevant ?? '',
      row.constraint ?? '',
      row.appearance ?? '',
      row.default ?? '',
    ]);
  }

  const choicesSheet = workbook.addWorksheet('choices');
  choicesSheet.addRow(['list_name', 'name', ...formLanguages.map((language) => `label::${language.column}`)]);
  for (const site of options.sites) {
    choicesSheet.addRow([f.site, site.id, ...formLanguages.map((language) => siteLabel(site, language.locale))]);
  }
  choicesSheet.addRow([
    f.site,
    NEW_SITE_CHOICE,
    ...formLanguages.map((language) => message(language.locale, 'forms.newSite')),
  ]);
  for (const { list, codes, labelPrefix } of choiceLists) {
    for (const code of codes) {
      const key = `${labelPrefix}${code}` as MessageKey;
      choicesSheet.addRow([list, code, ...formLanguages.map((language) => message(language.locale, key))]);
    }
  }

  const settingsSheet = workbook.addWorksheet('settings');
  settingsSheet.addRow(['form_title', 'form_id', 'version', 'default_language']);
  settingsSheet.addRow([options.title, options.formId, options.version, formLanguages[0]!.column]);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
