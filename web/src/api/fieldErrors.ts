import type { I18n } from '../i18n/i18n';
import type { FieldProblemEntry } from './client';

/**
 * The message for one field problem in the user's language, from its stable code and parameters; the server's
 * English text only when the code has no message yet.
 *
 * @example
 * fieldErrorMessage(t, { field: 'quantity', code: 'too_small', params: { minimum: 1 }, message: '…' })
 */
export function fieldErrorMessage(_t: I18n['t'], problem: FieldProblemEntry): string {
  // Placeholder until the field codes land on the server: the server’s text as sent.
  return problem.message;
}
