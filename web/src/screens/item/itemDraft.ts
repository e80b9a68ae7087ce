// The item edit form's draft and the change it sends, kept out of the components so it can be tested with node:test.
import { parseWholeNumber } from '../../../../src/parsing/numbers.js';
import type { BodyOf } from '../../api/client';
import type { ItemRecord } from './itemApi';
import {
  sensitivityChangeOf,
  sensitivityDraftOf,
  type SensitivityDraft,
} from '../../components/sensitivity/sensitivityDraft';

export type ItemChange = Omit<BodyOf<'/api/v1/items/{id}', 'patch'>, 'version'>;

/** The form as typed; an empty string is "not recorded". */
export interface ItemEditDraft {
  site_id: string;
  zone_id: string;
  external_ref: string;
  category: string;
  model: string;
  quantity: string;
  assembly_state: string;
  condition: string;
  production_type: string;
  observations: string;
  /** Comma-separated, as on the capture form. */
  tags: string;
  fuze_fitted: string;
  safety_device_fitted: string;
  /** Who may see the item, and the reason required for restricted. */
  sensitivity: SensitivityDraft;
}

/** The text the fields show for a stored item. */
export function itemDraftOf(item: ItemRecord): ItemEditDraft {
  return {
    // An item at a site the reader may not see has no site_id (site_hidden): the form then leaves the site as it is.
    site_id: item.site_id ?? '',
    zone_id: item.zone_id ?? '',
    external_ref: item.external_ref ?? '',
    category: item.category,
    model: item.model ?? '',
    quantity: String(item.quantity),
    assembly_state: item.assembly_state ?? '',
    condition: item.condition ?? '',
    production_type: item.production_type,
    observations: item.observations,
    tags: item.tags.join(', '),
    fuze_fitted: item.fuze_fitted ?? '',
    safety_device_fitted: item.safety_device_fitted ?? '',
    sensitivity: sensitivityDraftOf(item),
  };
}

/**
 * Tags as typed: separated by commas (Latin or Arabic) or new lines, each trimmed, empty ones left out.
 *
 * @example tagsOf('cache A، north wall') // ['cache A', 'north wall']
 */
export function tagsOf(text: string): string[] {
  return text
    .split(/[,،\n]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

const orNull = (text: string) => (text === '' ? null : text);

/**
 * The fields the user changed, as the API takes them, compared with the item the form was filled from. A quantity
 * that is not a whole number (digits of any script) refuses the change; moving the item to another site clears a
 * zone of the old site unless one of the new site is chosen. Restricting the item needs a reason.
 *
 * @example itemChangeOf(item, { ...itemDraftOf(item), quantity: '٤٠' }) // { ok: true, changes: { quantity: 40 } }
 */
export function itemChangeOf(
  item: ItemRecord,
  draft: ItemEditDraft,
): { ok: true; changes: ItemChange } | { ok: false; problem: 'quantity_unreadable' | 'sensitivity_reason_required' } {
  const base = itemDraftOf(item);
  const changes: Record<string, unknown> = {};
  if (draft.quantity !== base.quantity) {
    const quantity = parseWholeNumber(draft.quantity);
    if (quantity === undefined) return { ok: false, problem: 'quantity_unreadable' };
    if (quantity !== item.quantity) changes.quantity = quantity;
  }
  if (draft.site_id !== base.site_id) changes.site_id = draft.site_id;
  if (draft.zone_id !== base.zone_id || draft.site_id !== base.site_id) changes.zone_id = orNull(draft.zone_id);
  const nullable = [
    'external_ref',
    'model',
    'assembly_state',
    'condition',
    'fuze_fitted',
    'safety_device_fitted',
  ] as const;
  for (const key of nullable) if (draft[key] !== base[key]) changes[key] = orNull(draft[key]);
  for (const key of ['category', 'production_type', 'observations'] as const)
    if (draft[key] !== base[key]) changes[key] = draft[key];
  const tags = tagsOf(draft.tags);
  if (tags.join('\n') !== item.tags.join('\n')) changes.tags = tags;
  const sensitivity = sensitivityChangeOf(item, draft.sensitivity);
  if (!sensitivity.ok) return { ok: false, problem: 'sensitivity_reason_required' };
  return { ok: true, changes: { ...changes, ...sensitivity.fields } };
}
