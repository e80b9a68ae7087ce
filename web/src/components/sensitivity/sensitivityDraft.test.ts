import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isAtMost,
  needsReason,
  newSensitivityDraft,
  sensitivityChangeOf,
  sensitivityCreateFields,
  sensitivityDraftOf,
} from './sensitivityDraft';

describe('the sensitivity of a new record', () => {
  it("leaves the level out for the investigation's default, so the server fills it in", () => {
    assert.deepEqual(sensitivityCreateFields(newSensitivityDraft()), { ok: true, fields: {} });
  });

  it('sends a chosen level without a reason, and does not send a reason hidden by leaving restricted', () => {
    assert.deepEqual(sensitivityCreateFields({ level: 'partners', reason: 'typed before' }), {
      ok: true,
      fields: { sensitivity: 'partners' },
    });
  });

  it('refuses restricted without a reason (blank counts as none) and sends the trimmed reason', () => {
    assert.deepEqual(sensitivityCreateFields({ level: 'restricted', reason: '  \n' }), {
      ok: false,
      problem: 'sensitivity_reason_required',
    });
    assert.deepEqual(sensitivityCreateFields({ level: 'restricted', reason: ' يذكر اسم شاهد ' }), {
      ok: true,
      fields: { sensitivity: 'restricted', sensitivity_reason: 'يذكر اسم شاهد' },
    });
  });

  it('shows the reason field only for restricted', () => {
    assert.equal(needsReason({ level: 'restricted', reason: '' }), true);
    assert.equal(needsReason({ level: 'internal', reason: '' }), false);
    assert.equal(needsReason(newSensitivityDraft()), false);
  });
});

describe('the sensitivity change of a stored record', () => {
  const internal = { sensitivity: 'internal', sensitivity_reason: null } as const;
  const restricted = { sensitivity: 'restricted', sensitivity_reason: 'Names a witness' } as const;

  it('sends nothing when unchanged', () => {
    assert.deepEqual(sensitivityChangeOf(internal, sensitivityDraftOf(internal)), { ok: true, fields: {} });
    assert.deepEqual(sensitivityChangeOf(restricted, sensitivityDraftOf(restricted)), { ok: true, fields: {} });
  });

  it('sends a wider or narrower level', () => {
    assert.deepEqual(sensitivityChangeOf(internal, { level: 'public', reason: '' }), {
      ok: true,
      fields: { sensitivity: 'public' },
    });
  });

  it('needs a reason to restrict, and sends it with the level', () => {
    assert.deepEqual(sensitivityChangeOf(internal, { level: 'restricted', reason: '' }), {
      ok: false,
      problem: 'sensitivity_reason_required',
    });
    assert.deepEqual(sensitivityChangeOf(internal, { level: 'restricted', reason: 'Names a witness' }), {
      ok: true,
      fields: { sensitivity: 'restricted', sensitivity_reason: 'Names a witness' },
    });
  });

  it('sends a changed reason alone, and refuses to blank it while restricted', () => {
    assert.deepEqual(sensitivityChangeOf(restricted, { level: 'restricted', reason: 'Names two witnesses' }), {
      ok: true,
      fields: { sensitivity_reason: 'Names two witnesses' },
    });
    assert.deepEqual(sensitivityChangeOf(restricted, { level: 'restricted', reason: '' }), {
      ok: false,
      problem: 'sensitivity_reason_required',
    });
  });

  it('clears the reason when the record leaves restricted', () => {
    assert.deepEqual(sensitivityChangeOf(restricted, { level: 'internal', reason: 'Names a witness' }), {
      ok: true,
      fields: { sensitivity: 'internal', sensitivity_reason: null },
    });
  });
});

describe('clearance', () => {
  it('orders the levels from the widest audience to the narrowest', () => {
    assert.equal(isAtMost('internal', 'internal'), true);
    assert.equal(isAtMost('partners', 'internal'), true);
    assert.equal(isAtMost('restricted', 'internal'), false);
  });
});
