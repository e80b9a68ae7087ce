import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createTestItem } from '../../testing/records.js';
import { candidateKeys, designationKeys, foldDesignation } from './designation.js';
import { importSipriTradeRegister } from './service.js';
import { parseSipriTradeRegister } from './sipri.js';

const fixture = fs.readFileSync(fileURLToPath(new URL('./fixtures/sipri-trade-register-sample.csv', import.meta.url)));

/** The fixture's text with one line replaced, in the published encoding. */
function withLine(lineNumber: number, text: string): Buffer {
  const lines = fixture.toString('latin1').split('\n');
  lines[lineNumber - 1] = text;
  return Buffer.from(lines.join('\n'), 'latin1');
}

describe('SIPRI trade register parser', () => {
  it('reads the ISO-8859-1 export: preamble, header, "?" flags, year lists, a record broken over two lines', () => {
    assert.ok(fixture.includes(Buffer.from([0xfc])), 'the fixture holds a latin1 ü, not UTF-8');
    const result = parseSipriTradeRegister(fixture);
    assert.deepEqual(result.problems, []);
    assert.equal(result.encoding, 'ISO-8859-1');
    assert.equal(result.headerLine, 12);
    assert.equal(result.preamble.split('\n').length, 11);
    assert.match(result.preamble, /^Transfers of major conventional arms/);
    assert.match(result.preamble, /Data generated: 01 Jan 2025/);
    assert.equal(result.transfers.length, 8);
    assert.deepEqual(result.joinedLines, [19]);

    const byLine = new Map(result.transfers.map((transfer) => [transfer.line_number, transfer]));
    const malyutka = byLine.get(13)!;
    assert.equal(malyutka.recipient, 'Afghanistan');
    assert.equal(malyutka.supplier, 'Soviet Union');
    assert.equal(malyutka.order_year, 1979);
    assert.equal(malyutka.order_year_uncertain, true);
    assert.equal(malyutka.number_ordered, 6000);
    assert.equal(malyutka.number_ordered_uncertain, true);
    assert.equal(malyutka.number_delivered_uncertain, false);
    assert.deepEqual(malyutka.delivery_years, [1979, 1980, 1981]);
    assert.equal(malyutka.tiv_per_unit, 0.01);

    const grad = byLine.get(14)!;
    assert.equal(grad.number_delivered_uncertain, true);
    assert.deepEqual(grad.designation_keys, ['bm21grad122mm', 'bm21grad', 'bm21']);

    const undelivered = byLine.get(16)!;
    assert.equal(undelivered.recipient, 'Hezbollah (Lebanon)*');
    assert.equal(undelivered.recipient_kind, 'non_state');
    assert.equal(undelivered.number_delivered, null);
    assert.equal(undelivered.number_delivered_uncertain, true);
    assert.deepEqual(undelivered.delivery_years, []);
    assert.equal(undelivered.tiv_delivered, null);

    assert.equal(byLine.get(17)!.designation, 'Bü-181 Bestmann');
    assert.equal(byLine.get(18)!.recipient_kind, 'organisation');
    const broken = byLine.get(19)!;
    assert.equal(broken.comments, 'Diesel engine for 12 APC\n from South Africa');
    assert.equal(broken.tiv_total_order, 0.36);
    assert.deepEqual(broken.designation_keys, [], 'a generic designation leads nowhere');
    assert.equal(byLine.get(21)!.supplier, 'Türkiye');
    assert.deepEqual(byLine.get(21)!.delivery_years, [2019, 2020]);
  });

  it('accepts the same file re-saved as UTF-8', () => {
    const utf8 = Buffer.from(fixture.toString('latin1'), 'utf8');
    const result = parseSipriTradeRegister(utf8);
    assert.equal(result.encoding, 'UTF-8');
    assert.equal(result.transfers.find((transfer) => transfer.line_number === 17)!.designation, 'Bü-181 Bestmann');
  });

  it('names the line and the fault of every bad record', () => {
    const badYear = parseSipriTradeRegister(
      withLine(13, 'Afghanistan,Soviet Union,79,?,6000,?,Malyutka,anti-tank missile,6000,,1979; 80,New,,0.01,60,60'),
    );
    assert.deepEqual(
      badYear.problems.map((problem) => problem.line),
      [13, 13],
    );
    assert.match(badYear.problems[0]!.message, /year\(s\) of delivery "1979; 80"/);
    assert.match(badYear.problems[1]!.message, /year of order is "79"/);
    const badFlag = parseSipriTradeRegister(
      withLine(15, 'Syria,Czechoslovakia,1980,x,50,,RM-70 122mm,self-propelled MRL,50,,1981,Second hand,,0.6,30,30'),
    );
    assert.equal(badFlag.problems[0]!.line, 15);
    assert.match(badFlag.problems[0]!.message, /uncertainty column after year of order holds "x"/);
    const short = parseSipriTradeRegister(withLine(21, 'Ukraine,Türkiye,2019'));
    assert.equal(short.problems[0]!.line, 21);
    assert.match(short.problems[0]!.message, /has 3 fields where the header has 16/);
    const noHeader = parseSipriTradeRegister(Buffer.from('just,some,csv\n1,2,3\n', 'latin1'));
    assert.equal(noHeader.problems[0]!.line, 1);
    assert.match(noHeader.problems[0]!.message, /no header line/);
  });

  it('folds designations tolerantly', () => {
    assert.equal(foldDesignation('Bü-181 Bestmann'), 'bu181bestmann');
    assert.deepEqual(designationKeys('Bell-47/OH-13'), ['bell47oh13', 'bell47', 'oh13']);
    assert.deepEqual(designationKeys('ship engine'), []);
    const keys = candidateKeys(['Type 56-1 rifle', 'bm 21']);
    assert.ok(keys.has('type561'));
    assert.ok(keys.has('bm21'));
    assert.equal(keys.get('bm21'), 'bm 21');
  });
});

describe('reference transfers import and leads', () => {
  let world: TestWorld;
  let cookie: string;
  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
  });
  after(async () => {
    await world.close();
  });

  it('lets only administrators import, and imports nothing from a file with a bad line', async () => {
    await assert.rejects(
      importSipriTradeRegister(world.db, world.owner, { fileName: 'register.csv', bytes: fixture }),
      (error: Error & { code?: string }) => error.code === 'forbidden',
    );
    await assert.rejects(
      importSipriTradeRegister(world.db, world.admin, {
        fileName: 'register.csv',
        bytes: withLine(21, 'Ukraine,Türkiye,20X9,,6,,Bayraktar TB2,armed UAV,6,,2019; 2020,New,,1,6,6'),
      }),
      (error: Error & { code?: string; fields?: { field: string }[] }) =>
        error.code === 'validation_failed' && error.fields?.[0]?.field === 'line 21' && /line 21/.test(error.message),
    );
    const count = await world.db
      .selectFrom('reference_transfers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(count.n, 0);
  });

  it('imports the fixture in one go and finds an item’s designation as leads, tolerant of case, spaces and dashes', async () => {
    const progress: number[] = [];
    const summary = await importSipriTradeRegister(
      world.db,
      world.admin,
      { fileName: 'register.csv', bytes: fixture },
      (done) => progress.push(done),
    );
    assert.equal(summary.import.row_count, 8);
    assert.equal(summary.import.encoding, 'ISO-8859-1');
    assert.match(summary.import.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(summary.uncertain, { order_year: 5, number_ordered: 4, number_delivered: 2 });
    assert.deepEqual(progress, [8]);
    const stored = await world.db
      .selectFrom('reference_transfers')
      .selectAll()
      .where('line_number', '=', 17)
      .executeTakeFirstOrThrow();
    assert.equal(stored.designation, 'Bü-181 Bestmann');
    assert.deepEqual(stored.delivery_years, [1963]);

    const itemId = await createTestItem(world.db, world.owner, world.investigationId, {
      category: 'launcher',
      model: 'Launcher, probably bm 21',
      markings: [{ text: 'Бм-21', kind: 'serial' }],
    });
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/transfer-leads`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json();
    assert.deepEqual(result.searched, ['Launcher, probably bm 21']);
    assert.equal(result.import.id, summary.import.id);
    assert.deepEqual(
      (result.leads as { recipient: string; state_to_state: boolean; matched_on: string }[]).map((lead) => [
        lead.recipient,
        lead.state_to_state,
        lead.matched_on,
      ]),
      [
        ['Iraq', true, 'bm 21'],
        ['Hezbollah (Lebanon)*', false, 'bm 21'],
      ],
    );
    const iraq = result.leads[0];
    assert.equal(iraq.supplier, 'Soviet Union');
    assert.deepEqual(iraq.delivery_years, [1976, 1977, 1978]);
    assert.equal(iraq.number_delivered, 200);
    assert.equal(iraq.number_delivered_uncertain, true);
    assert.deepEqual(result.suppliers, [
      {
        supplier: 'Soviet Union',
        supplier_kind: 'state',
        deals: 1,
        recipients: ['Iraq'],
        number_delivered: 200,
        first_year: 1975,
        last_year: 1978,
      },
      {
        supplier: 'Iran',
        supplier_kind: 'state',
        deals: 1,
        recipients: ['Hezbollah (Lebanon)*'],
        number_delivered: 0,
        first_year: 2006,
        last_year: 2006,
      },
    ]);

    const byModelMarking = await createTestItem(world.db, world.owner, world.investigationId, {
      model: null,
      markings: [{ text: 'BU 181', kind: 'model' }],
    });
    const bestmann = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${byModelMarking}/transfer-leads`,
      headers: { cookie },
    });
    assert.deepEqual(
      (bestmann.json().leads as { designation: string }[]).map((lead) => lead.designation),
      ['Bü-181 Bestmann'],
    );

    const search = await world.app.inject({
      method: 'GET',
      url: `/api/v1/reference/transfers?designation=${encodeURIComponent('MALYUTKA')}`,
      headers: { cookie },
    });
    assert.equal(search.statusCode, 200, search.body);
    assert.deepEqual(
      (search.json().items as { recipient: string }[]).map((lead) => lead.recipient),
      ['Afghanistan'],
    );
    const generic = await world.app.inject({
      method: 'GET',
      url: `/api/v1/reference/transfers?designation=${encodeURIComponent('vehicle engine')}`,
      headers: { cookie },
    });
    assert.deepEqual(generic.json().items, []);
  });

  it('keeps leads to members of the item’s investigation and reference reads to signed-in users', async () => {
    const itemId = await createTestItem(world.db, world.owner, world.investigationId, { model: 'Malyutka' });
    const outsider = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/transfer-leads`,
      headers: { cookie: await world.cookieFor('outsider') },
    });
    assert.equal(outsider.statusCode, 404);
    const anonymous = await world.app.inject({ method: 'GET', url: '/api/v1/reference/imports' });
    assert.equal(anonymous.statusCode, 401);
    const imports = await world.app.inject({ method: 'GET', url: '/api/v1/reference/imports', headers: { cookie } });
    assert.equal(imports.statusCode, 200);
    assert.equal(imports.json().items.length, 1);
    const missing = await world.app.inject({
      method: 'GET',
      url: '/api/v1/reference/transfers',
      headers: { cookie },
    });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().fields[0].field, 'querystring.designation');
  });

  it('keeps imports append-only in the database', async () => {
    await assert.rejects(world.db.deleteFrom('reference_transfers').execute(), /append-only/);
  });
});
