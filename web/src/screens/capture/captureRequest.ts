// What the capture form sends and where the server's answer is shown: plain functions, tested with node:test
// (captureRequest.test.ts beside it).
import type { NewItem, NewMarking } from '../../api/client';
import { parseWholeNumber } from '../../../../src/parsing/numbers.js';
import type { ItemDraft } from './carryOver';

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** The request for a new item, and the keys of the marking rows it sends (in order); or why it cannot be sent. */
export type RequestOrProblem = { body: NewItem; markingKeys: number[] } | { quantityUnreadable: true };

/**
 * The body of `POST /investigations/{id}/items` for a draft. The quantity is read in any script's digits; what is
 * not a whole number is refused here, never sent as something else. Blank marking rows are not markings.
 *
 * @example
 * const request = toRequestBody(siteId, { ...emptyDraft(), category: 'rifle', quantity: '٤٠' });
 * 'body' in request && request.body.quantity // 40
 */
export function toRequestBody(siteId: string, draft: ItemDraft): RequestOrProblem {
  const quantity = parseWholeNumber(draft.quantity);
  if (quantity === undefined) return { quantityUnreadable: true };
  // Rows left blank are not markings; the keys let server errors find their row again.
  const sent = draft.markings.filter((marking) => marking.text !== '');
  const body = {
    site_id: siteId,
    zone_id: orNull(draft.zone_id),
    external_ref: orNull(draft.external_ref),
    category: draft.category as NewItem['category'],
    model: orNull(draft.model),
    quantity,
    condition: orNull(draft.condition) as NewItem['condition'],
    assembly_state: orNull(draft.assembly_state) as NewItem['assembly_state'],
    production_type: draft.production_type as NewItem['production_type'],
    observations: draft.observations,
    tags: draft.tags
      .split(/[,،\n]/)
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
    // Not recorded: the server decides (unknown for fuzed categories).
    fuze_fitted: draft.fuze_fitted === '' ? undefined : (draft.fuze_fitted as NewItem['fuze_fitted']),
    safety_device_fitted: orNull(draft.safety_device_fitted) as NewItem['safety_device_fitted'],
    disposal_status: draft.disposal_status as NewItem['disposal_status'],
    markings: sent.map((marking) => ({
      text: marking.text,
      kind: marking.kind as NewMarking['kind'],
      position: orNull(marking.position),
    })),
  } satisfies NewItem;
  return { body, markingKeys: sent.map((marking) => marking.key) };
}

/** The fields the form shows an error beside (tags and marking rows are placed by their own rules). */
const placedFields = [
  'zone_id',
  'external_ref',
  'category',
  'model',
  'quantity',
  'condition',
  'assembly_state',
  'production_type',
  'observations',
  'fuze_fitted',
  'safety_device_fitted',
  'disposal_status',
  'sensitivity',
  'sensitivity_reason',
];

/** The server's field errors, placed where the form shows them. */
export interface PlacedErrors {
  /** The error of one marking row's field, found by the row's key among the rows sent. */
  markingError: (key: number, field: string) => string | undefined;
  /** The first error of the tags or of one tag. */
  tagsError: string | undefined;
  /** Errors no field of the form shows: said in the save bar. */
  unplacedErrors: [string, string][];
}

/**
 * Places the server's errors: marking errors come back as `markings.<index>.<field>` of the rows sent, so the
 * index is mapped back to the row through the keys sent.
 *
 * @example
 * placeErrors({ 'markings.0.text': 'Too long' }, [7]).markingError(7, 'text') // 'Too long'
 */
export function placeErrors(errors: Record<string, string>, sentMarkingKeys: number[]): PlacedErrors {
  return {
    markingError: (key, field) => {
      const index = sentMarkingKeys.indexOf(key);
      return index === -1 ? undefined : errors[`markings.${index}.${field}`];
    },
    tagsError: Object.entries(errors).find(([field]) => field === 'tags' || field.startsWith('tags.'))?.[1],
    unplacedErrors: Object.entries(errors).filter(
      ([field]) => !placedFields.includes(field) && !field.startsWith('tags') && !/^markings\.\d+\./.test(field),
    ),
  };
}
