// The item being described on the capture page, and what "Save and add another like this" carries over to the next
// one. Plain data and functions, so the rules are tested with node:test (carryOver.test.ts beside it).

/** A marking kind of the API's vocabulary (web/src/api/vocabulary.ts); checked where the body is built. */
export type MarkingKind = string;

export interface MarkingDraft {
  key: number;
  text: string;
  kind: MarkingKind;
  position: string;
  /** Which of the row's settings came from the previous item and were not touched since. */
  carried: ReadonlySet<'kind' | 'position'>;
}

export interface ItemDraft {
  zone_id: string;
  category: string;
  model: string;
  quantity: string;
  condition: string;
  assembly_state: string;
  production_type: string;
  fuze_fitted: string;
  safety_device_fitted: string;
  disposal_status: string;
  external_ref: string;
  observations: string;
  tags: string;
  markings: MarkingDraft[];
}

/** The fields "like this" keeps: what a team repeats from one item of a find to the next. */
export const carriedFields = [
  'zone_id',
  'category',
  'model',
  'quantity',
  'condition',
  'assembly_state',
  'production_type',
  'fuze_fitted',
  'safety_device_fitted',
  'disposal_status',
  'tags',
] as const;
export type CarriedField = (typeof carriedFields)[number];

/**
 * Carried over only while the category stays: a model or a hazard state belongs to one kind of item, so a new
 * category must not inherit them (a launcher saved with the previous mortar bomb's "fuze fitted").
 */
export const categoryBoundFields = ['model', 'fuze_fitted', 'safety_device_fitted'] as const;

/** What the form holds: the draft, and which of its fields still show a value carried over from the previous item. */
export interface CaptureState {
  draft: ItemDraft;
  carried: ReadonlySet<CarriedField>;
}

let nextMarkingKey = 1;

/** A new, empty marking row; `key` identifies it while the form is open. */
export function newMarking(kind: MarkingKind = 'serial', position = ''): MarkingDraft {
  return { key: nextMarkingKey++, text: '', kind, position, carried: new Set() };
}

/** The draft of a first item: nothing chosen, the server's defaults where it has them. */
export function emptyDraft(): ItemDraft {
  return {
    zone_id: '',
    category: '',
    model: '',
    quantity: '1',
    condition: '',
    assembly_state: '',
    production_type: 'unknown',
    fuze_fitted: '',
    safety_device_fitted: '',
    disposal_status: 'in_place',
    external_ref: '',
    observations: '',
    tags: '',
    markings: [newMarking()],
  };
}

/** A form with nothing carried over. */
export function freshCapture(): CaptureState {
  return { draft: emptyDraft(), carried: new Set() };
}

/**
 * "Save and add another like this": the next item starts with the repeated values of the one just saved, each
 * marked as carried over (a value equal to the empty form's is not marked: nothing was carried). What identifies one
 * item (its reference, its observations, the marking texts) starts empty; marking rows keep their kind and position.
 *
 * @example
 * const next = likeThis({ ...emptyDraft(), category: 'rocket', condition: 'good', observations: 'burnt' });
 * next.draft.observations // ''
 * next.carried.has('condition') // true
 */
export function likeThis(saved: ItemDraft): CaptureState {
  const empty = emptyDraft();
  const draft: ItemDraft = {
    ...saved,
    external_ref: '',
    observations: '',
    markings: saved.markings.map((marking) => {
      const row = newMarking(marking.kind, marking.position);
      const carried = new Set<'kind' | 'position'>();
      if (marking.kind !== 'serial') carried.add('kind');
      if (marking.position !== '') carried.add('position');
      return { ...row, carried };
    }),
  };
  const carried = new Set<CarriedField>(carriedFields.filter((field) => draft[field] !== empty[field]));
  return { draft, carried };
}

/** The result of an edit, and the carried-over fields it cleared (so the form can say so). */
export interface EditResult extends CaptureState {
  cleared: CarriedField[];
}

/**
 * Sets one field as the user changed it. The field is no longer "carried over". A change of category clears the
 * model and hazard state that were carried over from the previous item and not touched since; what the user typed
 * for this item is never cleared.
 *
 * @example
 * const state = likeThis({ ...emptyDraft(), category: 'mortar_bomb', fuze_fitted: 'yes' });
 * editField(state, 'category', 'launcher').draft.fuze_fitted // ''
 */
export function editField<Key extends Exclude<keyof ItemDraft, 'markings'>>(
  state: CaptureState,
  key: Key,
  value: ItemDraft[Key],
): EditResult {
  const carried = new Set(state.carried);
  carried.delete(key as CarriedField);
  const draft: ItemDraft = { ...state.draft, [key]: value };
  const cleared: CarriedField[] = [];
  if (key === 'category' && value !== state.draft.category) {
    for (const field of categoryBoundFields) {
      if (!carried.has(field)) continue;
      carried.delete(field);
      draft[field] = '';
      cleared.push(field);
    }
  }
  return { draft, carried, cleared };
}

/**
 * Changes one marking row; the settings changed are no longer "carried over".
 *
 * @example editMarking(state, row.key, { position: 'base' })
 */
export function editMarking(
  state: CaptureState,
  key: number,
  change: Partial<Pick<MarkingDraft, 'text' | 'kind' | 'position'>>,
): CaptureState {
  return {
    ...state,
    draft: {
      ...state.draft,
      markings: state.draft.markings.map((marking) => {
        if (marking.key !== key) return marking;
        const carried = new Set(marking.carried);
        if (change.kind !== undefined) carried.delete('kind');
        if (change.position !== undefined) carried.delete('position');
        return { ...marking, ...change, carried };
      }),
    },
  };
}
