import { useRef, useState } from 'react';
import { flushSync } from 'react-dom';

/**
 * A marking text field's value, its ref, and `insert(character)` for CharacterPalette: the character goes where
 * the caret was, and the caret follows it.
 *
 * @example
 * const marking = useMarkingText('');
 * <input ref={marking.ref} value={marking.text} onChange={(event) => marking.setText(event.target.value)} />
 * <CharacterPalette onInsert={marking.insert} />
 */
export function useMarkingText(initial: string) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
  const insert = (character: string) => {
    const input = ref.current;
    if (input === null) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    flushSync(() => setText(`${input.value.slice(0, start)}${character}${input.value.slice(end)}`));
    input.setSelectionRange(start + character.length, start + character.length);
  };
  return { text, setText, ref, insert };
}
