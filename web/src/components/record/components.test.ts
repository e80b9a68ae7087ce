// The shared record components rendered to HTML in Node (react-dom/server): what they show and how it is marked
// up. Their behaviour in a browser (the dialog's focus, Escape, a stale save) is driven in test/e2e/record-edit.test.ts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as React from 'react';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nProvider } from '../../i18n/i18n';
import { ArchiveButton } from './ArchiveButton';
import { RecordHistory } from './RecordHistory';
import { StaleEditNotice } from './StaleEditNotice';

function render(element: ReactElement, locale: 'en' | 'ar' = 'en'): string {
  const storage = new Map<string, string>([['armtrace.locale', locale]]);
  Object.assign(globalThis, {
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
    },
  });
  return renderToStaticMarkup(createElement(I18nProvider, null, element));
}

before(() => {
  // tsx compiles the .tsx files with the classic JSX transform (the root tsconfig names none): React.createElement.
  Object.assign(globalThis, { React });
  if (!('navigator' in globalThis)) Object.assign(globalThis, { navigator: { language: 'en' } });
});

describe('StaleEditNotice', () => {
  const fields = [
    { key: 'name', label: 'Name' },
    { key: 'precision_m', label: 'Precision', display: (value: unknown) => `${String(value)} m` },
    { key: 'context', label: 'Context' },
  ];
  const mine = { name: 'Mosul', precision_m: 25 };
  const current = { name: 'Mosul west', precision_m: 25, context: 'Road side' };

  it('shows both versions side by side and marks the fields that differ', () => {
    const html = render(
      createElement(StaleEditNotice, { fields, mine, current, onUseCurrent: () => {}, onApplyMine: () => {} }),
    );
    assert.match(html, /Your version/);
    assert.match(html, /Current version/);
    const rows = html.split('<tr').slice(2);
    assert.equal(rows.length, 3);
    assert.match(rows[0] ?? '', /data-differs="true"/);
    assert.match(rows[0] ?? '', /Mosul<\/bdi>.*Mosul west<\/bdi>/);
    assert.match(rows[1] ?? '', /data-differs="false"/);
    assert.match(rows[1] ?? '', /25 m/);
    // A field the user did not edit shows the current value on both sides and does not differ.
    assert.match(rows[2] ?? '', /data-differs="false"/);
    assert.equal((rows[2]?.match(/Road side/g) ?? []).length, 2);
    assert.match(html, /Use the current version/);
    assert.match(html, /Apply my changes to the current version/);
  });

  it('speaks Arabic', () => {
    const html = render(
      createElement(StaleEditNotice, { fields, mine, current, onUseCurrent: () => {}, onApplyMine: () => {} }),
      'ar',
    );
    assert.match(html, /نسختك/);
    assert.match(html, /النسخة الحالية/);
    assert.match(html, /\(مختلف\)/);
  });
});

describe('ArchiveButton', () => {
  it('renders a button and a closed modal dialog that asks for a reason', () => {
    const html = render(createElement(ArchiveButton, { onArchive: async () => {}, title: 'Archive site' }));
    assert.match(html, /<button type="button" class="button-danger">Archive<\/button>/);
    assert.match(html, /<dialog class="dialog archive-dialog" aria-labelledby="[^"]+" aria-describedby="[^"]+">/);
    assert.match(html, /Archive site<\/h2>/);
    assert.match(html, /<label for="[^"]+">Reason<\/label><textarea[^>]*required=""/);
  });

  it('can be disabled', () => {
    const html = render(
      createElement(ArchiveButton, { onArchive: async () => {}, disabled: true, label: 'Archive item' }),
    );
    assert.match(html, /<button type="button" class="button-danger" disabled="">Archive item<\/button>/);
  });
});

describe('RecordHistory', () => {
  it('shows its heading and loading state before the history arrives', () => {
    const html = render(createElement(RecordHistory, { investigationId: 'i', entityId: 'e', title: 'Site history' }));
    assert.match(html, /<h2 id="[^"]+">Site history<\/h2>/);
    assert.match(html, /role="status"/);
  });
});
