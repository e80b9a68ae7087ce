/**
 * The controlled vocabularies an import reads, each value known by its code, its label in English, French and
 * Arabic (the one message catalogue, src/i18n) and the synonyms field teams use. Matched with the shared,
 * dependency-free matcher of src/parsing/controlled-values.ts.
 */
import { catalogues, locales } from '../../i18n/messages.js';
import { createValueMatcher, type ValueMatcher, type VocabularyEntry } from '../../parsing/controlled-values.js';
import { itemCategories } from '../items/schema.js';
import { markingKinds } from '../markings/schema.js';
import { siteTypes } from '../sites/schema.js';

/**
 * A vocabulary whose labels are the catalogue's messages `<labelPrefix>.<code>` in every language, plus
 * `synonyms` by code. Other importers (ODK/Kobo) build theirs the same way.
 *
 * @example
 * const conditions = labelledVocabulary('condition', ['intact', 'damaged'], { damaged: ['broken'] });
 * conditions.match('Endommagé'); // 'damaged', when that is the French label
 */
export function labelledVocabulary(
  labelPrefix: string,
  codes: readonly string[],
  synonyms: Readonly<Record<string, readonly string[]>> = {},
): ValueMatcher {
  const entries: VocabularyEntry[] = codes.map((code) => {
    const key = `${labelPrefix}.${code}`;
    const labels = locales.flatMap((locale) => {
      const catalogue: Readonly<Record<string, string | undefined>> = catalogues[locale];
      const label = catalogue[key];
      return label === undefined ? [] : [label];
    });
    return { code, names: [...labels, ...(synonyms[code] ?? [])] };
  });
  return createValueMatcher(entries);
}

const siteTypeSynonyms: Record<string, string[]> = {
  cache: ['arms cache', 'weapons cache', 'hide', 'cachette', 'مخزن سري'],
  production_workshop: ['workshop', 'factory', 'production site', 'atelier', 'ورشة', 'مصنع'],
  storage_depot: ['depot', 'warehouse', 'store', 'stockpile', 'storage', 'entrepôt', 'magasin', 'مخزن'],
  incident_scene: ['incident', 'scene', 'incident site', 'lieu de l’incident', 'موقع حادث'],
  checkpoint: ['check point', 'roadblock', 'barrage', 'poste de contrôle', 'حاجز'],
  other: ['autre'],
};

const categorySynonyms: Record<string, string[]> = {
  small_arm: ['small arms', 'rifle', 'pistol', 'handgun', 'fusil', 'pistolet', 'بندقية', 'مسدس'],
  light_weapon: ['light weapons', 'machine gun', 'mitrailleuse', 'رشاش'],
  launcher: ['launchers', 'lance-roquettes', 'lance roquettes'],
  rocket: ['rockets', 'صواريخ'],
  rocket_motor: ['motor', 'propulseur'],
  tail_fin_assembly: ['tail fin', 'tail fins', 'tail unit', 'fins', 'ailettes', 'زعانف'],
  mortar_bomb: ['mortar', 'mortar round', 'mortar shell', 'mortier', 'obus de mortier', 'هاون'],
  artillery_projectile: ['artillery shell', 'artillery round', 'shell', 'obus', 'obus d’artillerie'],
  aircraft_bomb: ['air-dropped bomb', 'bomb', 'bombe', 'bombe aérienne', 'قنبلة'],
  fuze: ['fuse', 'fuzes', 'fusée', 'صمام'],
  primer_detonator: ['primer', 'detonator', 'cap', 'amorce', 'détonateur', 'مفجر', 'كبسولة'],
  cartridges: ['cartridge', 'ammunition', 'ammo', 'rounds', 'munitions', 'cartouche', 'ذخيرة', 'طلقات'],
  ied_component: ['ied', 'ied part', 'eei', 'composant eei', 'عبوة ناسفة'],
  precursor_chemical: ['precursor', 'chemical', 'précurseur', 'produit chimique', 'مادة كيميائية'],
  packaging: ['package', 'box', 'crate', 'emballage', 'caisse', 'صندوق'],
  production_tool: ['tool', 'tooling', 'outil', 'أداة'],
  document: ['documents', 'paper', 'papers', 'documentation', 'مستند'],
  other: ['autre'],
};

const markingKindSynonyms: Record<string, string[]> = {
  serial: ['serial', 'serial no', 'serial nr', 's/n', 'sn', 'n° de série', 'numéro de série', 'الرقم التسلسلي'],
  lot: ['lot/batch', 'batch', 'lot number', 'batch number', 'lot no', 'numéro de lot', 'رقم الدفعة'],
  factory_code: ['factory', 'factory mark', 'manufacturer code', 'code usine', 'code fabricant'],
  year: ['year of manufacture', 'production year', 'date', 'année de fabrication', 'سنة الصنع'],
  headstamp: ['head stamp', 'culot', 'marquage du culot'],
  model: ['model designation', 'désignation'],
  stock_number: ['nsn', 'stock no', 'national stock number', 'numéro de stock'],
  contract: ['contract number', 'numéro de contrat', 'رقم العقد'],
  other: ['autre'],
};

/** The vocabularies of the item import, by the column that reads them. */
export const importVocabularies = {
  site_type: labelledVocabulary('siteType', siteTypes, siteTypeSynonyms),
  category: labelledVocabulary('category', itemCategories, categorySynonyms),
  marking_kind: labelledVocabulary('markingKind', markingKinds, markingKindSynonyms),
} as const;
export type VocabularyColumn = keyof typeof importVocabularies;
