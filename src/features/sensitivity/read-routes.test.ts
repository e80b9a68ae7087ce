// "Sensitivity enforced on every read route for each role" (issue 13, item 2): an investigation with records of
// each kind at each level, members of each role with and without the restricted grant, and every GET route of the
// OpenAPI document that takes an investigation or a record, called as each of them. A restricted record's id and
// its distinctive text never appear for a reader without the grant, and do appear for one with it. A route this
// test does not know how to call fails the test: a new route cannot escape it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import yauzl from 'yauzl';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { makePhoto, multipartBody } from '../../testing/media.js';
import { sensitivityLevels, type SensitivityLevel } from './schema.js';

/** Every restricted record's text carries this, so it can be looked for in any answer (also lower-cased). */
const SECRET = 'Zqxv';

type Kind = 'site' | 'item' | 'marking' | 'claim' | 'media' | 'zone';

/** Routes that take neither an investigation nor a record of one, and why they cannot show a record. */
const notAboutRecords: Record<string, string> = {
  '/api/v1/auth/2fa': 'the caller’s own second factor',
  '/api/v1/users/{id}/2fa': 'a user’s second factor',
  '/api/v1/auth/me': 'the caller',
  '/api/v1/auth/tokens': 'the caller’s tokens',
  '/api/v1/auth/lockouts': 'sign-in lockouts',
  '/api/v1/users': 'user accounts',
  '/api/v1/auth/sessions': 'the caller’s sessions',
  '/api/v1/reference/transfers': 'the public SIPRI register',
  '/api/v1/reference/imports': 'imports of the public register',
  '/api/v1/audit/verify': 'the chain’s integrity (positions and hashes, no values)',
  '/api/v1/audit/checkpoints': 'checkpoint hashes',
  '/api/v1/instance/public-key': 'the instance key',
  '/api/v1/signing/trusted-keys': 'trusted partner keys',
  '/api/v1/imports/jobs/{jobId}': 'an import job’s progress (counts, no values)',
  '/api/v1/jobs': 'the jobs the caller started (no one else’s, administrators aside): names, states, options',
  '/api/v1/jobs/{id}': 'a job the caller started (no one else’s, administrators aside)',
  '/api/v1/jobs/{id}/result': 'the result of a job the caller started, made with the caller’s own clearance',
};

function unzipText(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error !== null) return reject(error);
      const parts: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError !== null) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            parts.push(Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(parts.join('\n')));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('sensitivity on every read route', () => {
  let world: TestWorld;
  const headers: Record<string, Record<string, string>> = {};
  /** Record ids by kind and level. */
  const ids = {} as Record<Kind, Record<SensitivityLevel, string>>;
  let restrictedIds: string[] = [];
  let other: { source: string; actor: string; actor2: string; incident: string; traceRequest: string };

  async function call(who: string, method: string, url: string, payload?: unknown, extra: Record<string, string> = {}) {
    return world.app.inject({
      method: method as 'GET',
      url: url.startsWith('/api/') ? url : `/api/v1${url}`,
      headers: { ...headers[who], ...extra },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  async function ok<T>(who: string, method: string, url: string, payload?: unknown): Promise<T> {
    const response = await call(who, method, url, payload);
    assert.ok(response.statusCode < 300, `${method} ${url} as ${who}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  }

  before(async () => {
    world = await createTestWorld();
    const inv = world.investigationId;
    headers.owner = { cookie: await world.cookieFor('owner') };
    headers.admin = { cookie: await world.cookieFor('admin') };
    for (const [username, role] of [
      ['granted-editor', 'editor'],
      ['field', 'investigator'],
      ['reader', 'viewer'],
    ] as const) {
      await createTestUser(world.db, username);
      await ok('owner', 'POST', `/investigations/${inv}/members`, { username, role });
      headers[username] = { cookie: await world.cookieFor(username) };
    }
    await ok('owner', 'PUT', `/investigations/${inv}/sensitivity/restricted-roles/editor`);
    // An API token sees what its user sees.
    const token = await ok<{ token: string }>('reader', 'POST', '/auth/tokens', { name: 'reader script' });
    headers['reader-token'] = { authorization: `Bearer ${token.token}` };

    const source = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/sources`, {
      kind: 'field_documentation',
      title: 'Field report',
    });
    const actor = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/actors`, {
      name: 'Producer A',
      actor_type: 'state',
    });
    const actor2 = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/actors`, {
      name: 'Recipient B',
      actor_type: 'state',
    });
    const reason = (level: SensitivityLevel): Record<string, string> =>
      level === 'restricted'
        ? { sensitivity: level, sensitivity_reason: `${SECRET} informant safety` }
        : { sensitivity: level };
    const text = (level: SensitivityLevel, what: string) =>
      level === 'restricted' ? `${SECRET} ${what}` : `${level} ${what}`;
    // The records of visible levels hang from one internal site and item; each restricted record stands alone
    // below them (a record names its parent, so a visible record is never placed under a restricted one here).
    const base = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/sites`, {
      site_type: 'cache',
      name: 'Base site',
      latitude: 36.1,
      longitude: 43.1,
      recovered_on: '2017-03-02',
      sensitivity: 'internal',
    });
    const baseItem = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/items`, {
      site_id: base.id,
      category: 'small_arm',
      model: 'Base model',
      sensitivity: 'internal',
      markings: [
        { text: 'LOT 77-1', kind: 'lot' },
        { text: 'SN 100200', kind: 'serial' },
      ],
    });
    for (const kind of ['site', 'item', 'marking', 'claim', 'media', 'zone'] as const) ids[kind] = {} as never;
    for (const [index, level] of sensitivityLevels.entries()) {
      const site = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/sites`, {
        site_type: 'cache',
        name: text(level, 'site'),
        latitude: 36.2 + index / 10,
        longitude: 43.2,
        recovered_on: '2017-03-02',
        ...reason(level),
      });
      ids.site[level] = site.id;
      ids.zone[level] = (
        await ok<{ id: string }>('owner', 'POST', `/sites/${site.id}/zones`, { name: text(level, 'zone') })
      ).id;
      const item = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/items`, {
        site_id: base.id,
        category: 'mortar_bomb',
        model: text(level, 'model'),
        ...reason(level),
      });
      ids.item[level] = item.id;
      const marking = await ok<{ id: string }>('owner', 'POST', `/items/${baseItem.id}/markings`, {
        text: level === 'restricted' ? 'LOT 77-1 ZQXV' : `LOT 77-1 ${index}`,
        kind: 'lot',
        ...reason(level),
      });
      ids.marking[level] = marking.id;
      const claim = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/provenance-claims`, {
        item_id: baseItem.id,
        event_type: 'exported',
        actor_id: actor.id,
        counterpart_id: actor2.id,
        place: text(level, 'place'),
        confidence: 'probable',
        ...reason(level),
      });
      ids.claim[level] = claim.id;
      const body = multipartBody(
        { original_filename: `${text(level, 'photo').replace(' ', '-')}.jpg`, ...reason(level) },
        { filename: 'photo.jpg', contentType: 'image/jpeg', bytes: await makePhoto(100 + index) },
      );
      const upload = await call('owner', 'POST', `/investigations/${inv}/media`, body.payload, body.headers);
      assert.equal(upload.statusCode, 201, upload.body);
      ids.media[level] = upload.json<{ id: string }>().id;
    }
    const incident = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/incidents`, {
      title: 'Incident one',
      incident_type: 'other',
    });
    const traceRequest = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/trace-requests`, {
      addressee_id: actor.id,
      subject: 'Trace the base item',
      item_ids: [baseItem.id],
    });
    other = {
      source: source.id,
      actor: actor.id,
      actor2: actor2.id,
      incident: incident.id,
      traceRequest: traceRequest.id,
    };
    restrictedIds = (Object.keys(ids) as Kind[]).map((kind) => ids[kind].restricted);
  });
  after(async () => {
    await world.close();
  });

  /** Every way this test calls a GET route: the URLs to fetch for it, from its OpenAPI path. */
  function urlsFor(path: string): string[] | undefined {
    const inv = world.investigationId;
    const all = (kind: Kind) => sensitivityLevels.map((level) => ids[kind][level]);
    const query: Record<string, string> = {
      q: 'LOT 77-1 ZQXV',
      text: 'LOT 77-1 ZQXV',
      lot_marking: 'LOT 77-1',
      into_id: other.actor2,
    };
    const byPrefix: [string, () => string[]][] = [
      ['/api/v1/investigations/{id}/exports/{file}', () => []],
      ['/api/v1/investigations/{id}', () => [inv]],
      ['/api/v1/sites/{id}', () => all('site')],
      ['/api/v1/zones/{id}', () => all('zone')],
      ['/api/v1/items/{id}', () => all('item')],
      ['/api/v1/markings/{id}', () => all('marking')],
      ['/api/v1/media/{id}', () => all('media')],
      ['/api/v1/provenance-claims/{id}', () => all('claim')],
      ['/api/v1/sources/{id}', () => [other.source]],
      ['/api/v1/actors/{id}', () => [other.actor]],
      ['/api/v1/incidents/{id}', () => [other.incident]],
      ['/api/v1/trace-requests/{id}', () => [other.traceRequest]],
    ];
    if (path === '/api/v1/investigations/{id}/exports/{file}') {
      const files = [
        'items.csv',
        'markings.csv',
        'sites.csv',
        'hazards.csv',
        'items.xlsx',
        'sites.geojson',
        'sites.kml',
        'hazards.geojson',
      ];
      return files.map((file) => `/api/v1/investigations/${inv}/exports/${file}`);
    }
    if (path === '/api/v1/records/{kind}/{id}/review') {
      const kinds: [string, Kind][] = [
        ['site', 'site'],
        ['item', 'item'],
        ['marking', 'marking'],
        ['provenance_claim', 'claim'],
        ['media', 'media'],
      ];
      return kinds.flatMap(([name, kind]) => all(kind).map((id) => `/api/v1/records/${name}/${id}/review`));
    }
    const withQuery = (url: string, required: string[]) => {
      const missing = required.filter((name) => query[name] === undefined);
      if (missing.length > 0) return undefined;
      const search = new URLSearchParams(required.map((name): [string, string] => [name, query[name]!]));
      return required.length === 0 ? url : `${url}?${search.toString()}`;
    };
    const required = requiredQuery.get(path) ?? [];
    if (!path.includes('{')) {
      const url = withQuery(path, required);
      return url === undefined ? undefined : [url];
    }
    const prefix = byPrefix.find(([pattern]) => path.startsWith(pattern));
    if (prefix === undefined) return undefined;
    const urls = prefix[1]().map((id) => withQuery(path.replace(/\{[^}]+\}/, id), required));
    return urls.some((url) => url === undefined) ? undefined : (urls as string[]);
  }

  const requiredQuery = new Map<string, string[]>();

  async function textOf(response: Awaited<ReturnType<typeof call>>): Promise<string> {
    const type = String(response.headers['content-type'] ?? '');
    if (type.includes('spreadsheetml')) return unzipText(response.rawPayload);
    return response.rawPayload.toString('latin1') + response.body;
  }

  it('shows restricted records only to roles granted them, on every GET route', async () => {
    const document = world.app.swagger() as {
      paths: Record<string, { get?: { parameters?: { in: string; name: string; required?: boolean }[] } }>;
    };
    const routes = Object.entries(document.paths).filter(([, operations]) => operations.get !== undefined);
    for (const [path, operations] of routes) {
      requiredQuery.set(
        path,
        (operations.get!.parameters ?? []).filter((p) => p.in === 'query' && p.required === true).map((p) => p.name),
      );
    }
    const unknown: string[] = [];
    const plan: [string, string[]][] = [];
    for (const [path] of routes) {
      if (notAboutRecords[path] !== undefined) continue;
      const urls = urlsFor(path);
      if (urls === undefined || urls.length === 0) unknown.push(path);
      else plan.push([path, urls]);
    }
    assert.deepEqual(unknown, [], 'GET routes this test does not know how to call');
    assert.ok(plan.length > 50, `walked ${plan.length} routes`);

    const readers: [string, boolean][] = [
      ['owner', true],
      ['admin', true],
      ['granted-editor', true],
      ['field', false],
      ['reader', false],
      ['reader-token', false],
    ];
    const leaks: string[] = [];
    for (const [who, granted] of readers) {
      const seen = new Set<string>();
      for (const [path, urls] of plan) {
        for (const url of urls) {
          const response = await call(who, 'GET', url);
          assert.ok(response.statusCode < 500, `GET ${url} as ${who}: ${response.statusCode} ${response.body}`);
          const body = await textOf(response);
          const restrictedHere = restrictedIds.filter((id) => url.includes(id));
          if (!granted && restrictedHere.length > 0 && path !== '/api/v1/records/{kind}/{id}/review') {
            if (response.statusCode !== 404) leaks.push(`${who} GET ${url}: ${response.statusCode}, not 404`);
          }
          if (!granted && restrictedHere.length > 0 && path === '/api/v1/records/{kind}/{id}/review') {
            if (response.statusCode !== 404) leaks.push(`${who} GET ${url}: ${response.statusCode}, not 404`);
          }
          if (response.statusCode >= 300) continue;
          for (const id of restrictedIds) if (body.includes(id)) seen.add(id);
          if (body.includes(SECRET) || body.toLowerCase().includes(SECRET.toLowerCase())) seen.add(SECRET);
          if (!granted) {
            const found = restrictedIds.filter((id) => body.includes(id));
            if (found.length > 0) leaks.push(`${who} GET ${url} shows restricted ${found.join(', ')}`);
            if (body.toLowerCase().includes(SECRET.toLowerCase())) leaks.push(`${who} GET ${url} shows "${SECRET}"`);
          }
        }
      }
      if (granted) {
        const missing = [...restrictedIds, SECRET].filter((id) => !seen.has(id));
        assert.deepEqual(missing, [], `${who} (granted) sees every restricted record somewhere`);
      }
    }
    assert.deepEqual(leaks, []);
  });
});
