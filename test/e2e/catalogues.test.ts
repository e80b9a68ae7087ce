// The web app's message catalogues: every language has every message, none
// is empty, and each keeps the placeholders of the English one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';

const catalogueDir = new URL('../../web/src/i18n/', import.meta.url);

function readCatalogue(locale: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(new URL(`${locale}.json`, catalogueDir), 'utf8')) as Record<string, string>;
}

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('web message catalogues', () => {
  const english = readCatalogue('en');
  for (const locale of ['ar', 'fr']) {
    it(`${locale} has exactly the English keys, with the same placeholders`, () => {
      const catalogue = readCatalogue(locale);
      assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(english).sort());
      for (const [key, message] of Object.entries(catalogue)) {
        assert.notEqual(message.trim(), '', `${locale}: ${key} is empty`);
        // A plural form may leave the number out where the language says it in words (Arabic "قطعتان", two items).
        if (/\.(zero|one|two)$/.test(key)) {
          const allowed = placeholders(english[key]!);
          assert.ok(
            placeholders(message).every((name) => allowed.includes(name)),
            `${locale}: ${key} placeholders`,
          );
        } else {
          assert.deepEqual(placeholders(message), placeholders(english[key]!), `${locale}: ${key} placeholders`);
        }
      }
    });
  }
});
