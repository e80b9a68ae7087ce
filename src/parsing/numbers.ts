// Numbers as people type them: digits of any script (Arabic-Indic ٠-٩, Persian ۰-۹, …), a decimal comma or point.
// Shared by the server and the web app; no dependencies.

/**
 * Replaces every decimal digit of any script with its ASCII digit, and the Arabic decimal separator with `.`.
 *
 * @example normalizeDigits('٤٠') // '40'
 */
export function normalizeDigits(text: string): string {
  // Placeholder until the full version lands: Arabic-Indic and Persian digits only.
  return text
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0));
}

/**
 * A whole number as typed, or undefined when the text is not one.
 *
 * @example parseWholeNumber('٦') // 6
 */
export function parseWholeNumber(text: string): number | undefined {
  const normalized = normalizeDigits(text.trim());
  return /^\d+$/.test(normalized) ? Number(normalized) : undefined;
}
