import { useState } from 'react';
import { newSensitivityDraft, type SensitivityDraft } from '../../components/sensitivity/sensitivityDraft';
import {
  editField,
  editMarking,
  freshCapture,
  type CaptureState,
  type CarriedField,
  type ItemDraft,
  type MarkingDraft,
} from './carryOver';

/** A field of the draft other than its marking rows. */
export type DraftField = Exclude<keyof ItemDraft, 'markings'>;

/** The change the marking row's fields can make. */
export type MarkingChange = Partial<Pick<MarkingDraft, 'text' | 'kind' | 'position'>>;

/**
 * The item being described and what was carried over to it (the rules are in carryOver.ts), with the two notices
 * an edit can raise: a category change cleared carried-over values, a quantity could not be read.
 *
 * @example
 * const form = useCaptureDraft();
 * <input value={form.draft.model} onChange={(event) => form.update('model', event.target.value)} />
 */
export function useCaptureDraft() {
  const [capture, setCapture] = useState<CaptureState>(freshCapture);
  const [categoryCleared, setCategoryCleared] = useState(false);
  const [quantityUnreadable, setQuantityUnreadable] = useState(false);
  // Who may see the item: kept for the next item ("like this"), as a find's items usually share it.
  const [sensitivity, setSensitivityState] = useState<SensitivityDraft>(newSensitivityDraft);
  const [sensitivityReasonMissing, setSensitivityReasonMissing] = useState(false);
  const setSensitivity = (next: SensitivityDraft) => {
    setSensitivityState(next);
    setSensitivityReasonMissing(false);
  };

  const update = <Key extends DraftField>(key: Key, value: ItemDraft[Key]) => {
    const result = editField(capture, key, value);
    setCapture({ draft: result.draft, carried: result.carried });
    if (key === 'category') setCategoryCleared(result.cleared.length > 0);
    if (key === 'quantity') setQuantityUnreadable(false);
  };
  const setDraft = (change: (previous: ItemDraft) => ItemDraft) =>
    setCapture((previous) => ({ ...previous, draft: change(previous.draft) }));
  const updateMarking = (key: number, change: MarkingChange) =>
    setCapture((previous) => editMarking(previous, key, change));
  /** Whether a field still shows a value carried over from the previous item. */
  const isCarried = (field: CarriedField) => capture.carried.has(field);

  return {
    capture,
    draft: capture.draft,
    setCapture,
    setDraft,
    update,
    updateMarking,
    isCarried,
    categoryCleared,
    setCategoryCleared,
    quantityUnreadable,
    setQuantityUnreadable,
    sensitivity,
    setSensitivity,
    sensitivityReasonMissing,
    setSensitivityReasonMissing,
  };
}

export type CaptureDraft = ReturnType<typeof useCaptureDraft>;
