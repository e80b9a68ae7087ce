// The message catalogues (src/i18n, shared by the web app and the report): every
// language has every message, none is empty, and each keeps the arguments of the
// English one (`{name}`, `{count, plural, …}`, `{count, number}`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';

const catalogueDir = new URL('../../src/i18n/', import.meta.url);

function readCatalogue(locale: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(new URL(`${locale}.json`, catalogueDir), 'utf8')) as Record<string, string>;
}

const placeholders = (message: string) =>
  [...new Set([...message.matchAll(/\{(\w+)[,}]/g)].map((match) => match[1]!))].sort();

describe('web message catalogues', () => {
  const english = readCatalogue('en');
  for (const locale of ['ar', 'fr']) {
    it(`${locale} has exactly the English keys, with the same placeholders`, () => {
      const catalogue = readCatalogue(locale);
      assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(english).sort());
      for (const [key, message] of Object.entries(catalogue)) {
        assert.notEqual(message.trim(), '', `${locale}: ${key} is empty`);
        assert.deepEqual(placeholders(message), placeholders(english[key]!), `${locale}: ${key} placeholders`);
      }
    });
  }
});
