// What the capture form sends for a draft, and where the server's errors are shown (captureRequest.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeErrors, toRequestBody } from './captureRequest';
import { emptyDraft, newMarking, type ItemDraft } from './carryOver';

const siteId = '0190a1b2-0000-7000-8000-000000000009';

function bodyOf(draft: ItemDraft) {
  const request = toRequestBody(siteId, draft);
  assert.ok('body' in request, 'the draft can be sent');
  return request;
}

describe('the request for a new item', () => {
  it('reads the quantity in any script and refuses what is not a whole number', () => {
    assert.equal(bodyOf({ ...emptyDraft(), category: 'rifle', quantity: '٤٠' }).body.quantity, 40);
    assert.deepEqual(toRequestBody(siteId, { ...emptyDraft(), quantity: '2.5' }), { quantityUnreadable: true });
    assert.deepEqual(toRequestBody(siteId, { ...emptyDraft(), quantity: 'three' }), { quantityUnreadable: true });
  });

  it('sends blank text fields as null, never as empty strings, and leaves an unrecorded fuze to the server', () => {
    const { body } = bodyOf({ ...emptyDraft(), category: 'rifle', model: '  ', zone_id: '', external_ref: ' R-1 ' });
    assert.equal(body.site_id, siteId);
    assert.equal(body.model, null);
    assert.equal(body.zone_id, null);
    assert.equal(body.external_ref, 'R-1');
    assert.equal(body.condition, null);
    assert.equal(body.fuze_fitted, undefined);
    assert.equal(body.safety_device_fitted, null);
    assert.equal(bodyOf({ ...emptyDraft(), fuze_fitted: 'yes' }).body.fuze_fitted, 'yes');
  });

  it('splits tags on Latin and Arabic commas and on new lines', () => {
    const { body } = bodyOf({ ...emptyDraft(), tags: 'cache, north،شمال\n\n batch 2 ,' });
    assert.deepEqual(body.tags, ['cache', 'north', 'شمال', 'batch 2']);
  });

  it('leaves blank marking rows out and keeps the keys of the rows sent, in order', () => {
    const first = { ...newMarking('serial', ' receiver '), text: 'KBD-٠١-A' };
    const blank = newMarking('lot');
    const third = { ...newMarking('factory'), text: '١٩٨٢' };
    const request = bodyOf({ ...emptyDraft(), markings: [first, blank, third] });
    assert.deepEqual(request.body.markings, [
      { text: 'KBD-٠١-A', kind: 'serial', position: 'receiver' },
      { text: '١٩٨٢', kind: 'factory', position: null },
    ]);
    assert.deepEqual(request.markingKeys, [first.key, third.key]);
  });
});

describe('where the server errors are shown', () => {
  it('finds a marking error by the row it was sent from, skipping blank rows', () => {
    const placed = placeErrors({ 'markings.1.text': 'Too long', 'markings.0.kind': 'Unknown kind' }, [4, 9]);
    assert.equal(placed.markingError(9, 'text'), 'Too long');
    assert.equal(placed.markingError(4, 'kind'), 'Unknown kind');
    assert.equal(placed.markingError(4, 'text'), undefined);
    assert.equal(placed.markingError(5, 'text'), undefined, 'a row not sent has no error');
  });

  it('shows the first tag error on the tags field', () => {
    assert.equal(placeErrors({ 'tags.2': 'Too long' }, []).tagsError, 'Too long');
    assert.equal(placeErrors({ tags: 'Too many' }, []).tagsError, 'Too many');
    assert.equal(placeErrors({ model: 'Too long' }, []).tagsError, undefined);
  });

  it('says in the save bar only what no field shows', () => {
    const placed = placeErrors(
      { model: 'Too long', 'tags.0': 'Too long', 'markings.0.text': 'Empty', site_id: 'Archived site' },
      [1],
    );
    assert.deepEqual(placed.unplacedErrors, [['site_id', 'Archived site']]);
  });
});
