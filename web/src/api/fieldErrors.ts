import type { I18n, MessageKey } from '../i18n/i18n';
import { catalogues } from '../i18n/i18n';
import type { FieldProblemEntry } from './client';

// Every catalogue has every English key (the compiler checks it in i18n.tsx), so the English one says which keys exist.
const knownKeys: ReadonlySet<string> = new Set(Object.keys(catalogues.en));
const GENERIC: MessageKey = 'fieldError.invalid';

/** The message group whose labels name a field's options, where the field's own name is not the group. */
const optionGroups: Record<string, string> = {
  site_type: 'siteType',
  kind: 'markingKind',
  assembly_state: 'assembly',
  production_type: 'productionType',
  fuze_fitted: 'hazardState',
  safety_device_fitted: 'hazardState',
  disposal_status: 'disposal',
  type: 'incidentType',
};

function isKey(key: string): key is MessageKey {
  return knownKeys.has(key);
}

/** `markings.0.kind` → `kind`: the field's own name, without the path of the record it is in. */
function ownName(field: string): string {
  return (
    field
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? field
  );
}

/** `a|b|c` as the translated labels of the field's options, where the catalogue has them. */
function optionLabels(t: I18n['t'], field: string, options: string): string {
  const name = ownName(field);
  const group = optionGroups[name] ?? name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  return options
    .split('|')
    .map((option) => {
      const key = `${group}.${option}`;
      return isKey(key) ? t(key) : option;
    })
    .join(t('fieldError.listSeparator'));
}

/** The arguments of a message: `{name}`, and `{name, plural, …}` or `{name, number}`. */
function placeholders(key: MessageKey): string[] {
  return [...catalogues.en[key].matchAll(/\{(\w+)[,}]/g)].map((match) => match[1] ?? '');
}

/**
 * The message for one field problem in the user's language, from its stable code and parameters (`fieldError.<code>`
 * in the catalogues); a generic "This value is not valid" in the user's language when the code is unknown or a
 * parameter the message needs is missing, never the server's English text.
 *
 * @example
 * fieldErrorMessage(t, { field: 'quantity', code: 'too_small', params: { minimum: 1 }, message: '…' })
 * // 'Must be at least 1.' (en), 'يجب ألا تقل القيمة عن ١.' (ar)
 */
export function fieldErrorMessage(t: I18n['t'], problem: FieldProblemEntry): string {
  const key = `fieldError.${problem.code}`;
  if (!isKey(key)) return t(GENERIC);
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(problem.params ?? {})) {
    params[name] = typeof value === 'boolean' ? String(value) : value;
  }
  if (typeof params.options === 'string') params.options = optionLabels(t, problem.field, params.options);
  if (placeholders(key).some((name) => params[name] === undefined)) return t(GENERIC);
  return t(key, params);
}
