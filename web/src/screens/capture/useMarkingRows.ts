import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { newMarking } from './carryOver';
import type { CaptureDraft } from './useCaptureDraft';

/**
 * The marking rows as the keyboard uses them: adding and removing rows moves the focus to the row concerned, Enter
 * goes on to the next row, the character palette types into the row last focused.
 *
 * @example
 * const rows = useMarkingRows(form);
 * <button type="button" onClick={rows.addMarking}>…</button>
 */
export function useMarkingRows({ draft, setDraft, updateMarking }: CaptureDraft) {
  const markingInputs = useRef(new Map<number, HTMLInputElement>());
  const lastMarkingKey = useRef<number | undefined>(undefined);
  const [activeMarkingKey, setActiveMarkingKey] = useState<number | undefined>(undefined);

  // A marking row is focused once it is rendered: after a save its row is new, and React may not have drawn it by
  // the next frame (then the focus would stay on the disabled save button, i.e. be lost for a keyboard user).
  const pendingMarkingFocus = useRef<number | undefined>(undefined);
  const applyPendingFocus = () => {
    const key = pendingMarkingFocus.current;
    const input = key === undefined ? undefined : markingInputs.current.get(key);
    if (input === undefined) return;
    pendingMarkingFocus.current = undefined;
    input.focus();
  };
  useEffect(() => applyPendingFocus());
  const focusMarking = (key: number) => {
    pendingMarkingFocus.current = key;
    requestAnimationFrame(applyPendingFocus);
  };

  const addMarking = () => {
    const last = draft.markings[draft.markings.length - 1];
    const added = newMarking(last?.kind, '');
    setDraft((previous) => ({ ...previous, markings: [...previous.markings, added] }));
    focusMarking(added.key);
  };

  const removeMarking = (key: number) => {
    const index = draft.markings.findIndex((marking) => marking.key === key);
    const remaining = draft.markings.filter((marking) => marking.key !== key);
    setDraft((previous) => ({ ...previous, markings: remaining }));
    const neighbour = remaining[Math.min(index, remaining.length - 1)];
    if (neighbour !== undefined) focusMarking(neighbour.key);
  };

  /** Enter in a marking's position moves to the next marking's text, adding a row after the last one. */
  const nextMarkingFrom = (key: number) => {
    const index = draft.markings.findIndex((marking) => marking.key === key);
    const next = draft.markings[index + 1];
    if (next === undefined) addMarking();
    else focusMarking(next.key);
  };

  const insertCharacter = (character: string) => {
    const key = lastMarkingKey.current ?? draft.markings[0]?.key;
    const input = key === undefined ? undefined : markingInputs.current.get(key);
    if (key === undefined || input === undefined) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    // Rendered at once so the caret can be placed before the next key press arrives.
    flushSync(() =>
      updateMarking(key, { text: `${input.value.slice(0, start)}${character}${input.value.slice(end)}` }),
    );
    // The caret moves past the inserted character; the focus stays where it is (field or palette).
    input.setSelectionRange(start + character.length, start + character.length);
  };

  /** The ref callback of a row's text field, so the row can be focused and typed into. */
  const textInputRef = (key: number) => (element: HTMLInputElement | null) => {
    if (element === null) markingInputs.current.delete(key);
    else markingInputs.current.set(key, element);
  };
  const onTextFocus = (key: number) => {
    lastMarkingKey.current = key;
    setActiveMarkingKey(key);
  };
  /** The text of the row last focused: what "seen elsewhere" looks up. */
  const activeText = draft.markings.find((marking) => marking.key === activeMarkingKey)?.text ?? '';

  return {
    addMarking,
    removeMarking,
    nextMarkingFrom,
    insertCharacter,
    focusMarking,
    textInputRef,
    onTextFocus,
    activeText,
  };
}

export type MarkingRowsControl = ReturnType<typeof useMarkingRows>;
