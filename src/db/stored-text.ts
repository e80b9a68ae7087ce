import { z } from 'zod';

/**
 * A text field stored exactly as sent: surrounding white space is kept, since
 * evidence is never silently "fixed" (the fuzz test reads every accepted text
 * back and compares). A text of white space only is refused like an empty one,
 * so `min(1)` keeps meaning "write something".
 *
 * @example
 * const titleSchema = storedText().min(1).max(300); // " Kyiv " is stored as " Kyiv "; "   " is refused
 */
export function storedText() {
  // White space only reads as nothing written: the field problem is `required`, like an empty field.
  return z.string().refine((text) => text === '' || text.trim() !== '', {
    message: 'write more than white space',
    params: { code: 'required' },
  });
}
