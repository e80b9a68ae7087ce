// Text from other people, made safe to show. Shared by the server and the web app; no dependencies.

// Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and
// the marks (U+200E, U+200F, U+061C). In a file name they make `photo\u202Egnp.exe` display as "photoexe.png".
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/**
 * The text with each bidirectional control character written out as `[U+XXXX]`, so that what is shown is what
 * is there. For names people open or save (file names); the stored value stays as given.
 *
 * @example neutralizeBidiControls('photo\u202egnp.exe') // 'photo[U+202E]gnp.exe'
 */
export function neutralizeBidiControls(text: string): string {
  return text.replace(
    BIDI_CONTROLS,
    (character) => `[U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}
