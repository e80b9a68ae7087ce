import type { NewItem, NewMarking, Site } from './client';

/**
 * The controlled vocabularies the forms offer, as runtime lists. Their types
 * come from the generated API schema, and `exhaustive` makes the compiler
 * reject a list that misses a value the API accepts (or names one it doesn't).
 */
function exhaustive<Value extends string>() {
  return <const List extends readonly Value[]>(
    list: List & ([Exclude<Value, List[number]>] extends [never] ? unknown : { missing: Exclude<Value, List[number]> }),
  ): List => list;
}

type Required<T> = Exclude<T, null | undefined>;

export const siteTypes = exhaustive<Site['site_type']>()([
  'cache',
  'production_workshop',
  'storage_depot',
  'incident_scene',
  'checkpoint',
  'other',
]);

export const itemCategories = exhaustive<NewItem['category']>()([
  'small_arm',
  'light_weapon',
  'launcher',
  'rocket',
  'rocket_motor',
  'tail_fin_assembly',
  'mortar_bomb',
  'artillery_projectile',
  'aircraft_bomb',
  'fuze',
  'primer_detonator',
  'cartridges',
  'ied_component',
  'precursor_chemical',
  'packaging',
  'production_tool',
  'document',
  'other',
]);

export const conditions = exhaustive<Required<NewItem['condition']>>()(['new', 'good', 'worn', 'corroded', 'damaged']);
export const assemblyStates = exhaustive<Required<NewItem['assembly_state']>>()([
  'complete',
  'incomplete',
  'component',
]);
export const productionTypes = exhaustive<Required<NewItem['production_type']>>()(['factory', 'craft', 'unknown']);
export const hazardStates = exhaustive<Required<NewItem['fuze_fitted']>>()(['yes', 'no', 'unknown']);
export const disposalStatuses = exhaustive<Required<NewItem['disposal_status']>>()([
  'in_place',
  'moved_to_storage',
  'rendered_safe',
  'destroyed',
  'transferred',
]);
export const markingKinds = exhaustive<NewMarking['kind']>()([
  'serial',
  'lot',
  'factory_code',
  'year',
  'headstamp',
  'model',
  'stock_number',
  'contract',
  'other',
]);

/** Marker colours by site type; also used by the map legend. */
export const siteTypeColours: Record<Site['site_type'], string> = {
  cache: '#b03a2e',
  production_workshop: '#7d3c98',
  storage_depot: '#1f618d',
  incident_scene: '#b9770e',
  checkpoint: '#1e8449',
  other: '#566573',
};
