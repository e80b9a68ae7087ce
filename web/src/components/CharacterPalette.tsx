import { useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n';

/** Characters often read on markings that a Latin keyboard cannot type. */
export const cyrillicLetters = Array.from('АБВГҐДЕЄЁЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ');
export const arabicIndicDigits = Array.from('٠١٢٣٤٥٦٧٨٩');

/**
 * A toolbar of characters to insert into the marking field last focused.
 * One tab stop; arrow keys move within it, Home/End jump. Laid out left to right
 * in every language, as the alphabet and the digits are read.
 * Pressing a button keeps the caret where it was in the field.
 */
export function CharacterPalette({ onInsert }: { onInsert: (character: string) => void }) {
  const { t } = useI18n();
  const characters = [...cyrillicLetters, ...arabicIndicDigits];
  const [active, setActive] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const move = (index: number) => {
    const next = (index + characters.length) % characters.length;
    setActive(next);
    buttons.current[next]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowRight') move(active + 1);
    else if (event.key === 'ArrowLeft') move(active - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(characters.length - 1);
    else return;
    event.preventDefault();
  };

  const renderGroup = (group: string[], offset: number, name: string) => (
    <div className="palette-group" role="group" aria-label={name}>
      {group.map((character, groupIndex) => {
        const index = offset + groupIndex;
        return (
          <button
            key={character}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            className="palette-key"
            tabIndex={index === active ? 0 : -1}
            aria-label={t('capture.insertCharacter', { character })}
            // Keep the focus (and the caret) in the marking field when clicked.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              setActive(index);
              onInsert(character);
            }}
          >
            {character}
          </button>
        );
      })}
    </div>
  );

  return (
    <div className="palette" role="toolbar" dir="ltr" aria-label={t('capture.palette')} onKeyDown={onKeyDown}>
      {renderGroup(cyrillicLetters, 0, t('capture.paletteCyrillic'))}
      {renderGroup(arabicIndicDigits, cyrillicLetters.length, t('capture.paletteArabicDigits'))}
    </div>
  );
}
