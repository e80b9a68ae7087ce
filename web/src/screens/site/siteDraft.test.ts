import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { siteChangeOf, siteDraftOf } from './siteDraft';
import type { SiteRecord } from './siteApi';

const site: SiteRecord = {
  id: '00000000-0000-7000-8000-000000000001',
  investigation_id: '00000000-0000-7000-8000-000000000002',
  external_ref: null,
  site_type: 'cache',
  name: 'Farmhouse cellar',
  names: { ar: 'قبو المزرعة' },
  latitude: 36.351111111,
  longitude: 43.17,
  precision_m: 25,
  area: null,
  recovered_by: null,
  recovered_on: null,
  context: '',
  created_by: '00000000-0000-7000-8000-000000000003',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 3,
  archived_at: null,
  archive_reason: null,
  sensitivity: 'internal',
  sensitivity_reason: null,
};

describe('site edit draft', () => {
  it('sends nothing when nothing was changed, even for a point stored with more decimals than shown', () => {
    assert.deepEqual(siteChangeOf(site, siteDraftOf(site)), { ok: true, changes: {} });
  });

  it('sends only the changed fields, text as typed', () => {
    const draft = { ...siteDraftOf(site), name: ' Farmhouse cellar (west) ', recovered_by: 'UNMAS team 2' };
    assert.deepEqual(siteChangeOf(site, draft), {
      ok: true,
      changes: { name: ' Farmhouse cellar (west) ', recovered_by: 'UNMAS team 2' },
    });
  });

  it('reads a point typed in degrees, minutes and seconds through the shared parser', () => {
    const draft = siteDraftOf(site);
    draft.location = { latitude: `36°21'04"N`, longitude: `43°10'44"E`, precision: '٣٠' };
    const change = siteChangeOf(site, draft);
    if (!change.ok) throw new Error('the point was not read');
    assert.ok(Math.abs((change.changes.latitude as number) - 36.351111) < 1e-6);
    assert.ok(Math.abs((change.changes.longitude as number) - 43.178889) < 1e-6);
    assert.equal(change.changes.precision_m, 30);
  });

  it('refuses a coordinate it cannot read, on that field', () => {
    const draft = siteDraftOf(site);
    draft.location = { ...draft.location, latitude: 'north of the river' };
    const change = siteChangeOf(site, draft);
    if (change.ok) throw new Error('an unreadable latitude was sent');
    assert.equal(change.problems.location?.latitude?.code, 'coordinate_unreadable');
  });

  it('clears optional fields with null and keeps names by language', () => {
    const withRef = { ...site, external_ref: 'S-1', recovered_on: '2026-01-02' };
    const draft = {
      ...siteDraftOf(withRef),
      external_ref: '',
      recovered_on: '',
      names: [
        { language: 'ar', name: 'قبو المزرعة' },
        { language: 'fr', name: 'Cave de la ferme' },
        { language: '', name: '' },
      ],
    };
    assert.deepEqual(siteChangeOf(withRef, draft), {
      ok: true,
      changes: { external_ref: null, recovered_on: null, names: { ar: 'قبو المزرعة', fr: 'Cave de la ferme' } },
    });
  });

  it('refuses a language given twice and an outline that is not JSON', () => {
    const draft = {
      ...siteDraftOf(site),
      names: [
        { language: 'ar', name: 'أ' },
        { language: 'ar', name: 'ب' },
      ],
      area: '{"type": "Polygon", ',
    };
    assert.deepEqual(siteChangeOf(site, draft), {
      ok: false,
      problems: { names: 'names_duplicate_language', area: 'area_unreadable' },
    });
  });

  it('sends an outline as GeoJSON and clears it when emptied', () => {
    const area = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [43.1, 36.3],
          [43.2, 36.3],
          [43.2, 36.4],
          [43.1, 36.3],
        ],
      ],
    };
    const draft = { ...siteDraftOf(site), area: JSON.stringify(area) };
    assert.deepEqual(siteChangeOf(site, draft), { ok: true, changes: { area } });
    const outlined = { ...site, area };
    assert.deepEqual(siteChangeOf(outlined, { ...siteDraftOf(outlined), area: ' ' }), {
      ok: true,
      changes: { area: null },
    });
  });

  it('restricts the site with a reason, and refuses it without one', () => {
    const draft = siteDraftOf(site);
    assert.deepEqual(siteChangeOf(site, { ...draft, sensitivity: { level: 'restricted', reason: '' } }), {
      ok: false,
      problems: { sensitivity: 'sensitivity_reason_required' },
    });
    assert.deepEqual(
      siteChangeOf(site, { ...draft, sensitivity: { level: 'restricted', reason: 'Informant’s home' } }),
      {
        ok: true,
        changes: { sensitivity: 'restricted', sensitivity_reason: 'Informant’s home' },
      },
    );
  });
});
