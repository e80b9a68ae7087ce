// Database-independent: the screens drive the trace-request workflow and provenance claims through the API, whose
// rules and queries src/features/trace-requests/{trace-requests,workflow}.test.ts check on both databases.
// Trace requests and provenance in the web app (issue 11, items 2 and 3), driven in English and Arabic, with the
// server's state checked after each step, and axe on every screen in en/ar at 1280 and 360 px.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { createActor } from '../../src/features/actors/service.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { importSipriTradeRegister } from '../../src/features/reference-transfers/service.js';
import { createTraceRequest, updateTraceRequest } from '../../src/features/trace-requests/service.js';
import { createProvenanceClaim } from '../../src/features/provenance/service.js';
import { createTestItem } from '../../src/testing/records.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

type Key = keyof typeof en;
const catalogues = { en, ar } as const;
type Locale = keyof typeof catalogues;
/** A message without placeholders, as the page shows it. */
const text = (locale: Locale, key: Key) => catalogues[locale][key];

const sipri = fs.readFileSync(
  fileURLToPath(
    new URL('../../src/features/reference-transfers/fixtures/sipri-trade-register-sample.csv', import.meta.url),
  ),
);
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('trace requests and provenance in the browser', () => {
  let web: WebHarness;
  let analyst: Actor;
  let investigationId: string;
  let itemId: string;
  let factoryId: string;
  let stateBId: string;
  const lot = 'КЛ 0471';

  before(async () => {
    web = await startWebHarness();
    const admin = await createTestUser(web.db, 'admin', true);
    analyst = await createTestUser(web.db, 'analyst');
    investigationId = (await createInvestigation(web.db, analyst, { title: 'Tracing test' })).id;
    const actor = (name: string, actor_type: 'manufacturer' | 'state') =>
      createActor(web.db, analyst, investigationId, { name, actor_type });
    factoryId = (await actor('Arsenal Factory 10', 'manufacturer')).id;
    stateBId = (await actor('State B', 'state')).id;
    await actor('State C', 'state');
    itemId = await createTestItem(web.db, analyst, investigationId, {
      category: 'launcher',
      model: 'BM-21',
      externalRef: 'L-1',
      markings: [{ text: lot, kind: 'lot' }],
    });
    // The same lot at a second site makes it a shared lot.
    await createTestItem(web.db, analyst, investigationId, {
      externalRef: 'L-2',
      markings: [{ text: 'кл-0471', kind: 'lot' }],
    });
    await createProvenanceClaim(web.db, analyst, investigationId, {
      lot_marking: lot,
      event_type: 'exported',
      actor_id: stateBId,
      occurred_from: '1996-01-01',
      confidence: 'probable',
    });
    await importSipriTradeRegister(web.db, admin, { fileName: 'sipri.csv', bytes: sipri });
  });
  after(() => web.close());

  const itemPath = () => `${web.baseUrl}/investigations/${investigationId}/items/${itemId}`;

  it('creates a request from an item, moves it through its workflow, attaches a letter, shows the reminder (en)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'analyst');
    await page.goto(itemPath());
    await page.getByRole('button', { name: text('en', 'traceItem.new') }).click();
    await page.getByRole('heading', { level: 1, name: text('en', 'traceNew.title') }).waitFor();
    assert.equal(await page.getByTestId('selected-item').count(), 1);
    await page.getByLabel('Addressee', { exact: true }).selectOption({ label: 'Arsenal Factory 10' });
    await page.getByLabel('Subject').fill('Launcher L-1, lot КЛ 0471');
    await page.getByRole('button', { name: text('en', 'traceNew.save') }).click();
    await page.getByRole('heading', { level: 1, name: 'Launcher L-1, lot КЛ 0471' }).waitFor();
    const created = await web.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('subject', '=', 'Launcher L-1, lot КЛ 0471')
      .executeTakeFirstOrThrow();
    assert.equal(created.addressee_id, factoryId);
    assert.equal(created.status, 'draft');
    const links = await web.db
      .selectFrom('trace_request_items')
      .selectAll()
      .where('trace_request_id', '=', created.id)
      .execute();
    assert.deepEqual(
      links.map((link) => link.item_id),
      [itemId],
    );

    // Sent a month ago, the answer was due ten days ago: overdue.
    const workflow = page.getByRole('form', { name: text('en', 'traceWorkflow.title') });
    await workflow.getByLabel(text('en', 'traceWorkflow.next')).selectOption({ label: 'Sent' });
    await workflow.getByLabel(text('en', 'traceNew.sentOn')).fill(daysFromToday(-30));
    await workflow.getByLabel(text('en', 'traceNew.dueOn')).fill(daysFromToday(-10));
    await workflow.getByRole('button', { name: text('en', 'traceWorkflow.apply') }).click();
    await page.getByTestId('trace-status').getByText('Sent').waitFor();
    await page.getByText(text('en', 'trace.overdue'), { exact: true }).first().waitFor();
    const sent = await web.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(sent.status, 'sent');
    assert.deepEqual([sent.sent_on, sent.due_on], [daysFromToday(-30), daysFromToday(-10)]);

    // The letter sent, uploaded and attached.
    const attach = page.getByRole('form', { name: text('en', 'traceDocs.attach') });
    await attach.getByLabel(text('en', 'traceDocs.file')).setInputFiles({
      name: 'letter.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
    });
    await attach.getByLabel(text('en', 'traceDocs.kind')).selectOption({ label: 'Letter sent' });
    await attach.getByLabel(text('en', 'traceDocs.description')).fill('Letter of 3 March');
    await attach.getByRole('button', { name: text('en', 'traceDocs.attach') }).click();
    await page.getByTestId('trace-document').getByText('letter.pdf').waitFor();
    const documents = await web.db
      .selectFrom('trace_request_documents')
      .selectAll()
      .where('trace_request_id', '=', created.id)
      .execute();
    assert.deepEqual(
      documents.map((document) => [document.kind, document.description]),
      [['request', 'Letter of 3 March']],
    );
    assert.ok(
      (await page.getByTestId('history-entry').count()) >= 3,
      'creation, status change and document in history',
    );

    // A document attached in error is detached with a reason; the media record stays.
    await page
      .getByTestId('trace-document')
      .getByRole('button', { name: text('en', 'traceDocs.detach') })
      .click();
    const detachDialog = page.getByRole('dialog');
    await detachDialog.getByLabel(text('en', 'record.archive.reason')).fill('Attached to the wrong request');
    await detachDialog.getByRole('button', { name: text('en', 'record.archive.confirm'), exact: true }).click();
    await page.getByTestId('trace-document').waitFor({ state: 'detached' });
    const detached = await web.db
      .selectFrom('trace_request_documents')
      .selectAll()
      .where('id', '=', documents[0]!.id)
      .executeTakeFirstOrThrow();
    assert.equal(detached.archive_reason, 'Attached to the wrong request');
    assert.equal(
      (await web.db.selectFrom('media').select('id').where('id', '=', detached.media_id).execute()).length,
      1,
    );

    // The reminders list and the list, overdue first.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: text('en', 'trace.title') })
      .click();
    await page.getByTestId('reminder').getByText('10 days overdue').waitFor();
    assert.match(await page.getByTestId('trace-request-row').first().innerText(), /Overdue/);

    // Answered, with the text of the answer.
    await page.getByTestId('trace-request-row').first().getByRole('link').click();
    await workflow.getByLabel(text('en', 'traceWorkflow.next')).selectOption({ label: 'Answered' });
    await workflow
      .getByLabel(text('en', 'traceDetail.response'), { exact: true })
      .fill('Produced in 1990, exported to State B.');
    await workflow.getByRole('button', { name: text('en', 'traceWorkflow.apply') }).click();
    await page.getByTestId('trace-status').getByText('Answered').waitFor();
    const answered = await web.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(answered.status, 'answered');
    assert.equal(answered.response_text, 'Produced in 1990, exported to State B.');

    // A stale edit: someone changes the subject meanwhile; nothing is overwritten and both versions show.
    await page.getByRole('button', { name: text('en', 'traceDetail.edit') }).click();
    await page
      .getByRole('form', { name: text('en', 'traceDetail.edit') })
      .getByLabel('Subject')
      .fill('My subject');
    await updateTraceRequest(web.db, analyst, created.id, { version: answered.version, subject: 'Their subject' });
    await page.getByRole('button', { name: text('en', 'traceDetail.save') }).click();
    const stale = page.getByTestId('stale-edit');
    await stale.getByText('My subject').waitFor();
    await stale.getByText('Their subject').waitFor();
    const afterStale = await web.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(afterStale.subject, 'Their subject', 'nothing was overwritten');
    await stale.getByRole('button', { name: text('en', 'record.stale.applyMine') }).click();
    await page.getByRole('heading', { level: 1, name: 'My subject' }).waitFor();
    const applied = await web.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([applied.subject, applied.version], ['My subject', afterStale.version + 1]);

    // Archived with a reason.
    await page.getByRole('button', { name: text('en', 'traceDetail.archive') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(text('en', 'record.archive.reason')).fill('Recorded twice by mistake');
    await dialog.getByRole('button', { name: text('en', 'record.archive.confirm'), exact: true }).click();
    await page.getByText(text('en', 'traceDetail.archived')).waitFor();
    const archived = await web.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(archived.archive_reason, 'Recorded twice by mistake');
    assert.notEqual(archived.archived_at, null);
    assert.deepEqual(web.pageErrors, []);
  });

  it('adds claims, shows the timeline with the lot claim and a contradiction, downloads PROV-JSON (ar, 360 px)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'analyst');
    await page.goto(itemPath());
    const chain = page.getByRole('list', { name: text('ar', 'claims.chain') });
    await chain.waitFor();
    // The lot's claim is shown on the item, with the lot it comes from.
    await chain.getByText(text('ar', 'claims.inheritedFrom')).waitFor();

    await page.getByText(text('ar', 'claims.add'), { exact: true }).first().click();
    const form = page.getByRole('form', { name: text('ar', 'claims.add') });
    await form.getByLabel(text('ar', 'claims.event')).selectOption({ label: text('ar', 'provenanceEvent.exported') });
    await form.getByLabel(text('ar', 'claims.actor'), { exact: true }).selectOption({ label: 'State C' });
    await form.getByLabel(text('ar', 'claims.from')).fill('1997-05-01');
    await form.getByLabel(text('ar', 'claims.place')).fill('ميناء طرطوس');
    await form.getByLabel(text('ar', 'claims.confidence')).selectOption({ label: text('ar', 'confidence.possible') });
    await form.getByLabel(text('ar', 'claims.notes')).fill('شهادة شحن');
    await form.getByRole('button', { name: text('ar', 'claims.add') }).click();
    await page.getByTestId('contradictions').waitFor();
    assert.equal(await page.getByTestId('contradictions').getByTestId('claim').count(), 2);
    const claims = await web.db.selectFrom('provenance_claims').selectAll().where('item_id', '=', itemId).execute();
    assert.deepEqual(
      claims.map((claim) => [claim.event_type, claim.place, claim.confidence]),
      [['exported', 'ميناء طرطوس', 'possible']],
    );

    // Corrected (with the version check), then archived with a reason.
    const mine = chain.locator('li.claim-contradicted').filter({ hasText: 'State C' });
    await mine.getByRole('button', { name: text('ar', 'claims.edit') }).click();
    await mine.getByLabel(text('ar', 'claims.place')).fill('طرطوس');
    await mine.getByRole('button', { name: text('ar', 'claims.save') }).click();
    await chain.getByText('طرطوس', { exact: true }).waitFor();
    const edited = await web.db
      .selectFrom('provenance_claims')
      .selectAll()
      .where('id', '=', claims[0]!.id)
      .executeTakeFirstOrThrow();
    assert.equal(edited.place, 'طرطوس');
    assert.equal(edited.version, 2);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: text('ar', 'claims.downloadProv') }).click();
    const prov = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8')) as Record<string, unknown>;
    assert.ok('entity' in prov && 'activity' in prov, 'a PROV-JSON document');
    await expectNoSeriousAxeViolations(page, 'item provenance, ar, 360 px');

    await mine.getByRole('button', { name: text('ar', 'claims.archive') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(text('ar', 'record.archive.reason')).fill('الادعاء مكرر');
    await dialog.getByRole('button', { name: text('ar', 'record.archive.confirm'), exact: true }).click();
    await page.getByTestId('contradictions').waitFor({ state: 'detached' });
    const archived = await web.db
      .selectFrom('provenance_claims')
      .selectAll()
      .where('id', '=', claims[0]!.id)
      .executeTakeFirstOrThrow();
    assert.equal(archived.archive_reason, 'الادعاء مكرر');
    assert.deepEqual(web.pageErrors, []);
  });

  it('starts a trace request from a transfer lead and from a shared lot (ar)', async () => {
    const page = await web.newPage({ locale: 'ar' });
    await web.signIn(page, 'analyst');
    await page.goto(itemPath());
    const lead = page.getByTestId('transfer-lead').filter({ hasText: 'Iraq' });
    await lead.getByRole('button', { name: text('ar', 'leads.startRequest') }).click();
    await page.getByRole('heading', { level: 1, name: text('ar', 'traceNew.title') }).waitFor();
    // The supplier is not an actor yet: the form offers it as a new one.
    assert.equal(await page.getByLabel(/اسم الجهة الجديدة/).inputValue(), 'Soviet Union');
    await page.getByRole('button', { name: text('ar', 'traceNew.save') }).click();
    await page.getByTestId('trace-status').waitFor();
    const fromLead = await web.db
      .selectFrom('trace_requests')
      .innerJoin('actors', 'actors.id', 'trace_requests.addressee_id')
      .select(['trace_requests.id', 'trace_requests.subject', 'actors.name'])
      .where('actors.name', '=', 'Soviet Union')
      .executeTakeFirstOrThrow();
    assert.match(fromLead.subject, /BM-21 Grad 122mm/);
    const leadItems = await web.db
      .selectFrom('trace_request_items')
      .select('item_id')
      .where('trace_request_id', '=', fromLead.id)
      .execute();
    assert.deepEqual(
      leadItems.map((row) => row.item_id),
      [itemId],
    );

    await page.goto(`${web.baseUrl}/investigations/${investigationId}/lots`);
    await page.getByTestId('shared-lot').first().getByRole('link').click();
    await page.getByRole('button', { name: text('ar', 'lots.startRequest') }).click();
    await page.getByLabel(text('ar', 'traceList.addressee'), { exact: true }).selectOption({ label: 'State B' });
    await page.getByLabel(text('ar', 'trace.subject')).fill('طلب عن الدفعة');
    assert.equal(await page.getByTestId('selected-item').count(), 2);
    await page.getByRole('button', { name: text('ar', 'traceNew.save') }).click();
    await page.getByTestId('trace-status').waitFor();
    const aboutLot = await web.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('subject', '=', 'طلب عن الدفعة')
      .executeTakeFirstOrThrow();
    assert.ok(aboutLot.lot_marking !== null && /0471/.test(aboutLot.lot_marking));
    assert.equal(aboutLot.addressee_id, stateBId);
    assert.deepEqual(web.pageErrors, []);
  });

  it('has no serious accessibility violation on any tracing screen (en, ar; 1280, 360 px)', async () => {
    // Its own request, overdue, so the test does not depend on the others.
    const request = await createTraceRequest(web.db, analyst, investigationId, {
      addressee_id: factoryId,
      subject: 'Lot КЛ 0471 (axe)',
      status: 'sent',
      sent_on: daysFromToday(-20),
      due_on: daysFromToday(-5),
      item_ids: [itemId],
    });
    const screens: [string, string, (page: Page) => Promise<void>][] = [
      [
        'trace requests',
        `/investigations/${investigationId}/trace-requests`,
        (page) => page.getByTestId('trace-request-row').first().waitFor(),
      ],
      [
        'new trace request',
        `/investigations/${investigationId}/trace-requests/new?items=${itemId}`,
        (page) => page.getByTestId('selected-item').waitFor(),
      ],
      [
        'trace request',
        `/investigations/${investigationId}/trace-requests/${request.id}`,
        (page) => page.getByTestId('history-entry').first().waitFor(),
      ],
      [
        'item tracing',
        `/investigations/${investigationId}/items/${itemId}`,
        (page) => page.getByTestId('transfer-lead').first().waitFor(),
      ],
      ['lots', `/investigations/${investigationId}/lots`, (page) => page.getByTestId('shared-lot').first().waitFor()],
      [
        'lot',
        `/investigations/${investigationId}/lots/view?lot=${encodeURIComponent(lot)}`,
        (page) => page.getByTestId('claim').first().waitFor(),
      ],
    ];
    for (const locale of ['en', 'ar'] as const) {
      for (const width of [1280, 360]) {
        const page = await web.newPage({ locale, width });
        await web.signIn(page, 'analyst');
        for (const [name, path, ready] of screens) {
          await page.goto(`${web.baseUrl}${path}`);
          await ready(page);
          await expectNoSeriousAxeViolations(page, `${name}, ${locale}, ${width} px`);
        }
        await page.context().close();
      }
    }
    assert.deepEqual(web.pageErrors, []);
  });
});
