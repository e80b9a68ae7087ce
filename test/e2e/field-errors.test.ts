// Every field problem code the server can send has a message in every language of the web app, and the web app
// shows that message (with its parameters and translated option labels), never the server's English text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldProblemCodes } from '../../src/errors.js';
import { catalogues, translate, type Locale, type MessageKey } from '../../src/i18n/messages.js';

const locales = ['en', 'ar', 'fr'] as const;

interface FieldProblem {
  field: string;
  code: string;
  params?: Record<string, string | number | boolean>;
  message: string;
}
type Translate = (key: string, params?: Record<string, string | number>) => string;
type FieldErrorMessage = (t: Translate, problem: FieldProblem) => string;

/** The web app's translator over one catalogue: the shared catalogue's formatting (src/i18n/messages.ts). */
function readCatalogue(locale: Locale): Record<string, string> {
  return catalogues[locale];
}

function translatorFor(locale: Locale): Translate {
  return (key, params) => {
    assert.ok(key in catalogues[locale], `${locale}: no message ${key}`);
    return translate(locale, key as MessageKey, params);
  };
}

async function loadFieldErrorMessage(): Promise<FieldErrorMessage> {
  // Imported by URL so that this test's type check does not pull the web app's DOM and React types in.
  const url = new URL('../../web/src/api/fieldErrors.ts', import.meta.url).href;
  const module = (await import(url)) as { fieldErrorMessage: FieldErrorMessage };
  return module.fieldErrorMessage;
}

describe('field error messages', () => {
  for (const locale of locales) {
    it(`${locale} has a message for every code the server can send`, () => {
      const catalogue = readCatalogue(locale);
      const missing = fieldProblemCodes.filter((code) => (catalogue[`fieldError.${code}`] ?? '').trim() === '');
      assert.deepEqual(missing, []);
    });
  }

  it('fills the parameters and never shows the server’s English text', async () => {
    const fieldErrorMessage = await loadFieldErrorMessage();
    const english = translatorFor('en');
    const arabic = translatorFor('ar');
    const french = translatorFor('fr');
    const tooSmall = { field: 'quantity', code: 'too_small', params: { minimum: 1 }, message: 'Too small: >=1' };
    assert.equal(fieldErrorMessage(english, tooSmall), 'Must be at least 1.');
    assert.equal(
      fieldErrorMessage(arabic, tooSmall),
      `يجب ألا تقل القيمة عن ${new Intl.NumberFormat('ar').format(1)}.`,
    );
    assert.equal(fieldErrorMessage(french, tooSmall), 'Doit être au moins égal à 1.');

    const option = {
      field: 'category',
      code: 'invalid_option',
      params: { options: 'small_arm|launcher|no_label_for_this' },
      message: 'Invalid option: expected one of "small_arm"|…',
    };
    assert.equal(fieldErrorMessage(english, option), 'Choose one of: Small arm, Launcher, no_label_for_this.');
    assert.match(fieldErrorMessage(arabic, option), /^اختر واحدًا مما يلي: .+، .+، no_label_for_this\.$/);
    const markingKind = {
      field: 'markings.0.kind',
      code: 'invalid_option',
      params: { options: 'serial|lot' },
      message: '',
    };
    assert.equal(
      fieldErrorMessage(french, markingKind),
      readCatalogue('fr')['fieldError.invalid_option']!.replace(
        '{options}',
        `${readCatalogue('fr')['markingKind.serial']!}, ${readCatalogue('fr')['markingKind.lot']!}`,
      ),
    );

    const range = {
      field: 'latitude',
      code: 'coordinate_out_of_range',
      params: { axis: 'latitude', limit: 90 },
      message: '',
    };
    assert.equal(fieldErrorMessage(english, range), 'Must be between −90 and 90 degrees.');

    for (const [t, locale] of [
      [english, 'en'],
      [arabic, 'ar'],
      [french, 'fr'],
    ] as const) {
      const generic = readCatalogue(locale)['fieldError.invalid'];
      const unknownCode = { field: 'x', code: 'no_such_code', message: 'Some English from the server' };
      assert.equal(fieldErrorMessage(t, unknownCode), generic, `${locale}: an unknown code`);
      const missingParam = { field: 'x', code: 'too_small', message: 'Too small' };
      assert.equal(fieldErrorMessage(t, missingParam), generic, `${locale}: a parameter the message needs is missing`);
      for (const code of fieldProblemCodes) {
        const params = { minimum: 1, maximum: 300, options: 'a|b', divisor: 5, digits: 15, limit: 90 };
        const text = fieldErrorMessage(t, { field: 'f', code, params, message: 'ENGLISH FROM THE SERVER' });
        assert.doesNotMatch(text, /ENGLISH FROM THE SERVER|\{\w+\}/, `${locale}: ${code}`);
      }
    }
  });
});
