import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { SensitivitySettings } from './schema.js';

describe('setting sensitivity, the default per investigation and the restricted grant', () => {
  let world: TestWorld;
  const cookies: Record<string, string> = {};

  async function call(who: string, method: string, url: string, payload?: object) {
    return world.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { cookie: cookies[who]! },
      ...(payload === undefined ? {} : { payload }),
    });
  }
  async function ok<T>(who: string, method: string, url: string, payload?: object): Promise<T> {
    const response = await call(who, method, url, payload);
    assert.ok(response.statusCode < 300, `${method} ${url} as ${who}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  }

  before(async () => {
    world = await createTestWorld();
    cookies.owner = await world.cookieFor('owner');
    for (const [username, role] of [
      ['ed', 'editor'],
      ['field', 'investigator'],
    ] as const) {
      await createTestUser(world.db, username);
      await ok('owner', 'POST', `/investigations/${world.investigationId}/members`, { username, role });
      cookies[username] = await world.cookieFor(username);
    }
  });
  after(async () => {
    await world.close();
  });

  it('records a change of sensitivity as a new, audited version; restricted needs a reason', async () => {
    const inv = world.investigationId;
    const site = await ok<{ id: string; version: number; sensitivity: string }>(
      'field',
      'POST',
      `/investigations/${inv}/sites`,
      {
        site_type: 'cache',
        name: 'Orchard',
      },
    );
    assert.equal(site.sensitivity, 'internal', 'the investigation default');
    const refused = await call('owner', 'PATCH', `/sites/${site.id}`, { version: 1, sensitivity: 'restricted' });
    assert.equal(refused.statusCode, 400, refused.body);
    const problem = refused.json<{ fields: { field: string; code: string }[] }>();
    assert.deepEqual(
      problem.fields.map((field) => [field.field, field.code]),
      [['sensitivity_reason', 'sensitivity_reason_required']],
    );
    // An investigator without the grant may not mark a record restricted (they could not see it afterwards).
    const above = await call('field', 'PATCH', `/sites/${site.id}`, {
      version: 1,
      sensitivity: 'restricted',
      sensitivity_reason: 'informant',
    });
    assert.equal(above.statusCode, 403, above.body);
    assert.equal(above.json<{ fields: { code: string }[] }>().fields[0]?.code, 'sensitivity_above_clearance');

    const changed = await ok<{ version: number; sensitivity: string; sensitivity_reason: string }>(
      'owner',
      'PATCH',
      `/sites/${site.id}`,
      { version: 1, sensitivity: 'restricted', sensitivity_reason: 'Names an informant' },
    );
    assert.equal(changed.version, 2);
    assert.equal(changed.sensitivity, 'restricted');
    const audit = await ok<{
      items: { action: string; before: { sensitivity: string } | null; after: { sensitivity: string } }[];
    }>('owner', 'GET', `/investigations/${inv}/audit?entity_id=${site.id}`);
    const update = audit.items.find((entry) => entry.action === 'site.update');
    assert.ok(update !== undefined, 'the change is in the audit log');
    assert.equal(update.before?.sensitivity, 'internal');
    assert.equal(update.after.sensitivity, 'restricted');
    // Now the investigator who created it no longer sees it, and neither its audit entries.
    assert.equal((await call('field', 'GET', `/sites/${site.id}`)).statusCode, 404);
    const fieldAudit = await ok<{ items: unknown[] }>(
      'field',
      'GET',
      `/investigations/${inv}/audit?entity_id=${site.id}`,
    );
    assert.equal(fieldAudit.items.length, 0);
    // Back to partners: visible again, and the reason may be cleared.
    await ok('owner', 'PATCH', `/sites/${site.id}`, { version: 2, sensitivity: 'partners', sensitivity_reason: null });
    assert.equal((await ok<{ sensitivity: string }>('field', 'GET', `/sites/${site.id}`)).sensitivity, 'partners');
  });

  it('gives new records the investigation default, set by owners only and audited', async () => {
    const inv = world.investigationId;
    let settings = await ok<SensitivitySettings>('field', 'GET', `/investigations/${inv}/sensitivity`);
    assert.equal(settings.default_sensitivity, 'internal');
    assert.equal(settings.clearance, 'internal');
    assert.equal(settings.can_change, false);
    const forbidden = await call('ed', 'PUT', `/investigations/${inv}/sensitivity/default`, {
      version: settings.version,
      default_sensitivity: 'public',
    });
    assert.equal(forbidden.statusCode, 403);
    const noReason = await call('owner', 'PUT', `/investigations/${inv}/sensitivity/default`, {
      version: settings.version,
      default_sensitivity: 'restricted',
    });
    assert.equal(noReason.statusCode, 400);
    settings = await ok<SensitivitySettings>('owner', 'PUT', `/investigations/${inv}/sensitivity/default`, {
      version: settings.version,
      default_sensitivity: 'restricted',
      default_sensitivity_reason: 'Ongoing case',
    });
    assert.equal(settings.default_sensitivity, 'restricted');
    // The database fills the default in (migration 0025), so every door (API, CLI, sync, imports) does the same.
    const site = await ok<{ id: string; sensitivity: string; sensitivity_reason: string }>(
      'owner',
      'POST',
      `/investigations/${inv}/sites`,
      { site_type: 'cache', name: 'Default site' },
    );
    assert.deepEqual([site.sensitivity, site.sensitivity_reason], ['restricted', 'Ongoing case']);
    const explicit = await ok<{ sensitivity: string }>('owner', 'POST', `/investigations/${inv}/sites`, {
      site_type: 'cache',
      name: 'Public site',
      sensitivity: 'public',
    });
    assert.equal(explicit.sensitivity, 'public');
    const audit = await ok<{ items: { action: string }[] }>(
      'owner',
      'GET',
      `/investigations/${inv}/audit?action=investigation`,
    );
    assert.ok(audit.items.some((entry) => entry.action === 'investigation.default_sensitivity'));
    settings = await ok<SensitivitySettings>('owner', 'PUT', `/investigations/${inv}/sensitivity/default`, {
      version: settings.version,
      default_sensitivity: 'internal',
    });
    assert.equal(settings.default_sensitivity_reason, null);
  });

  it('lets owners grant and withdraw a role’s sight of restricted records, audited', async () => {
    const inv = world.investigationId;
    const site = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/sites`, {
      site_type: 'cache',
      name: 'Grant test',
      sensitivity: 'restricted',
      sensitivity_reason: 'Source protection',
    });
    assert.equal((await call('ed', 'GET', `/sites/${site.id}`)).statusCode, 404);
    assert.equal(
      (await call('ed', 'PUT', `/investigations/${inv}/sensitivity/restricted-roles/editor`)).statusCode,
      403,
    );
    const granted = await ok<SensitivitySettings>(
      'owner',
      'PUT',
      `/investigations/${inv}/sensitivity/restricted-roles/editor`,
    );
    assert.deepEqual(
      granted.restricted_roles.map((grant) => grant.role),
      ['editor'],
    );
    assert.equal((await call('ed', 'GET', `/sites/${site.id}`)).statusCode, 200);
    assert.equal(
      (await ok<SensitivitySettings>('ed', 'GET', `/investigations/${inv}/sensitivity`)).clearance,
      'restricted',
    );
    assert.equal((await call('field', 'GET', `/sites/${site.id}`)).statusCode, 404);
    await ok('owner', 'DELETE', `/investigations/${inv}/sensitivity/restricted-roles/editor`);
    assert.equal((await call('ed', 'GET', `/sites/${site.id}`)).statusCode, 404);
    const audit = await ok<{ items: { action: string }[] }>(
      'owner',
      'GET',
      `/investigations/${inv}/audit?action=sensitivity`,
    );
    assert.deepEqual(
      audit.items.map((entry) => entry.action),
      ['sensitivity.revoke', 'sensitivity.grant'],
    );
  });
});
