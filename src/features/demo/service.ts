import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Actor } from '../access/schema.js';
import { createActor } from '../actors/service.js';
import { addCustodyEvent } from '../custody/service.js';
import { createIncident, linkIncidentItem } from '../incidents/service.js';
import { createInvestigation } from '../investigations/service.js';
import { createItem } from '../items/service.js';
import { createSite, createZone } from '../sites/service.js';
import { createSource } from '../sources/service.js';
import { createTraceRequest } from '../trace-requests/service.js';
import { createProvenanceClaim } from '../provenance/service.js';
import { resolveLocalActor } from '../users/service.js';
import { exampleInvestigation, exampleSites, exampleSources, exampleZones } from './example-investigation.js';

/**
 * Writes the example investigation through the ordinary services, so every
 * record is validated and audited like one a person entered.
 *
 * @example
 * const { id } = await loadExampleInvestigation(db, adminActor);
 */
export async function loadExampleInvestigation(db: Kysely<DB>, actor: Actor): Promise<{ id: string; title: string }> {
  const investigation = await createInvestigation(db, actor, exampleInvestigation);
  const id = investigation.id;
  const report = await createSource(db, actor, id, exampleSources.report);
  await createSource(db, actor, id, exampleSources.field);

  const workshop = await createSite(db, actor, id, exampleSites.workshop);
  const cacheHouse = await createSite(db, actor, id, exampleSites.cacheHouse);
  const cacheSchool = await createSite(db, actor, id, exampleSites.cacheSchool);
  const cacheGarage = await createSite(db, actor, id, exampleSites.cacheGarage);
  const rocketArea = await createZone(db, actor, workshop.id, exampleZones.rockets);
  const bombArea = await createZone(db, actor, workshop.id, exampleZones.heavyBombs);
  const storeRoom = await createZone(db, actor, workshop.id, exampleZones.storeRoom);

  const rockets = await createItem(db, actor, id, {
    site_id: workshop.id,
    zone_id: rocketArea.id,
    external_ref: 'MSL-W1-001',
    category: 'rocket',
    model: 'Improvised rocket, type not identified',
    quantity: 42,
    assembly_state: 'incomplete',
    condition: 'new',
    production_type: 'craft',
    observations: 'Rocket bodies without tail fins fitted, stacked by length.',
    tags: ['no fins fitted', 'craft-produced'],
    fuze_fitted: 'no',
    markings: [{ text: 'R-17/04', kind: 'lot', position: 'painted on body' }],
  });
  await createItem(db, actor, id, {
    site_id: workshop.id,
    zone_id: rocketArea.id,
    external_ref: 'MSL-W1-002',
    category: 'tail_fin_assembly',
    model: 'Fin assembly, locally made',
    quantity: 25,
    assembly_state: 'component',
    condition: 'good',
    production_type: 'craft',
    observations: 'Fins joined to the tube by hand welding; seams uneven; no sign of inspection marks.',
    tags: ['hand-welded', 'no quality control'],
  });
  const launcher = await createItem(db, actor, id, {
    site_id: workshop.id,
    zone_id: rocketArea.id,
    external_ref: 'MSL-W1-003',
    category: 'launcher',
    model: 'Improvised rail launcher',
    quantity: 1,
    assembly_state: 'complete',
    condition: 'damaged',
    production_type: 'craft',
    observations:
      'Rail on a welded steel stand, bricks placed under the legs; scorch marks and deformation near the rail.',
    tags: ['improvised', 'scorch marks'],
  });
  await createItem(db, actor, id, {
    site_id: workshop.id,
    zone_id: bombArea.id,
    external_ref: 'MSL-W1-004',
    category: 'aircraft_bomb',
    model: 'Large improvised bomb casing',
    quantity: 6,
    assembly_state: 'incomplete',
    condition: 'new',
    production_type: 'craft',
    observations: 'Empty casings awaiting assembly.',
    tags: ['craft-produced', 'empty casing'],
    fuze_fitted: 'no',
  });
  const tailSections = await createItem(db, actor, id, {
    site_id: workshop.id,
    zone_id: storeRoom.id,
    external_ref: 'MSL-W1-005',
    category: 'tail_fin_assembly',
    model: 'Tail section, factory made, type to be identified',
    quantity: 14,
    assembly_state: 'component',
    condition: 'corroded',
    production_type: 'factory',
    observations: 'Old tail sections with heavy rust, not fitted to any body. Stamped markings partly legible.',
    tags: ['corroded', 'factory markings'],
    markings: [
      { text: 'ЗВ 12-8?', kind: 'lot', position: 'stamped on tail tube', script: 'Cyrl' },
      { text: '198?', kind: 'year', position: 'stamped on tail tube' },
      { text: '[1?]7', kind: 'factory_code', position: 'stamped inside a circle' },
    ],
  });
  await createItem(db, actor, id, {
    site_id: workshop.id,
    zone_id: storeRoom.id,
    external_ref: 'MSL-W1-006',
    category: 'fuze',
    model: 'Fuze, type to be identified',
    quantity: 320,
    assembly_state: 'component',
    condition: 'new',
    production_type: 'unknown',
    observations: 'Bulk count of new fuzes in boxes; safety pins not fitted.',
    tags: ['bulk', 'safety pins not fitted'],
    safety_device_fitted: 'no',
  });
  await createItem(db, actor, id, {
    site_id: workshop.id,
    zone_id: storeRoom.id,
    external_ref: 'MSL-W1-007',
    category: 'artillery_projectile',
    model: 'Canister round, locally made',
    quantity: 12,
    assembly_state: 'incomplete',
    condition: 'new',
    production_type: 'craft',
    observations: 'Projectile bodies filled with small steel balls (seen through an open casing).',
    tags: ['canister', 'steel balls'],
    fuze_fitted: 'no',
  });
  await createItem(db, actor, id, {
    site_id: cacheHouse.id,
    external_ref: 'MSL-C1-001',
    category: 'artillery_projectile',
    model: 'Artillery projectile, factory made',
    quantity: 18,
    assembly_state: 'complete',
    condition: 'good',
    production_type: 'factory',
    observations: 'Projectiles with fuzes fitted, left in place. Referred to the clearance team.',
    tags: ['fuzed', 'referred to clearance'],
    fuze_fitted: 'yes',
    safety_device_fitted: 'unknown',
    markings: [{ text: 'KЛ-0417', kind: 'lot', position: 'stencilled on body', script: 'mixed' }],
  });
  await createItem(db, actor, id, {
    site_id: cacheSchool.id,
    external_ref: 'MSL-C2-001',
    category: 'mortar_bomb',
    model: 'Mortar bomb, factory made',
    quantity: 30,
    assembly_state: 'complete',
    condition: 'worn',
    production_type: 'factory',
    observations: 'Crates opened; fuze state not confirmed from a distance.',
    tags: ['crated'],
    markings: [{ text: 'КЛ 0417', kind: 'lot', position: 'stencilled on crate', script: 'Cyrl' }],
  });
  await createItem(db, actor, id, {
    site_id: cacheGarage.id,
    external_ref: 'MSL-C3-001',
    category: 'cartridges',
    model: '7.62 mm cartridges',
    quantity: 1200,
    assembly_state: 'complete',
    condition: 'good',
    production_type: 'factory',
    observations: 'Loose cartridges in sacks; headstamps read on a sample of 20.',
    tags: ['bulk', 'headstamp sample'],
    markings: [{ text: '٣٨ ١٩٨٩', kind: 'headstamp', position: 'case head', script: 'Arab' }],
  });

  await addCustodyEvent(db, actor, tailSections.id, {
    from_party: 'Iraqi security forces, east bank',
    to_party: 'Field documentation team (example)',
    occurred_at: '2017-02-02T09:30:00Z',
    place: 'Workshop store room',
    note: 'Handed over for photographing and marking transcription.',
  });

  const incident = await createIncident(db, actor, id, {
    incident_type: 'malfunction',
    title: 'Rocket exploded on its launcher',
    occurred_on: '2016-12-10',
    site_id: workshop.id,
    injured: 3,
    description:
      'Reported malfunction of a locally made rocket at launch; casualty count as reported, names not recorded.',
    source_id: report.id,
  });
  await linkIncidentItem(db, actor, incident.id, { item_id: launcher.id });
  await linkIncidentItem(db, actor, incident.id, { item_id: rockets.id });

  // Fictional parties: the user-assigned ISO 3166 codes XC and XD name no real country.
  const producer = await createActor(db, actor, id, {
    actor_type: 'manufacturer',
    name: 'Producer of lot КЛ 0417 (example)',
    aliases: ['KL 0417 producer'],
    country_code: 'XC',
    notes: 'Fictional producer for the example; a real investigation would confirm it by a trace request.',
  });
  const exportingState = await createActor(db, actor, id, {
    actor_type: 'state',
    name: 'Exporting state (example)',
    country_code: 'XC',
  });
  const recipientState = await createActor(db, actor, id, {
    actor_type: 'state',
    name: 'Recipient state (example)',
    country_code: 'XD',
  });
  const trace = await createTraceRequest(db, actor, id, {
    addressee_id: producer.id,
    subject: 'Origin and consignee of lot КЛ 0417',
    lot_marking: 'КЛ 0417',
    status: 'sent',
    sent_on: '2017-03-01',
    due_on: '2017-06-01',
  });
  await createProvenanceClaim(db, actor, id, {
    lot_marking: 'КЛ 0417',
    event_type: 'produced',
    actor_id: producer.id,
    occurred_from: '1985-01-01',
    occurred_to: '1989-12-31',
    confidence: 'possible',
    trace_request_id: trace.id,
    notes: 'Inferred from the marking style; awaiting the answer to the trace request.',
  });
  await createProvenanceClaim(db, actor, id, {
    lot_marking: 'КЛ 0417',
    event_type: 'exported',
    actor_id: exportingState.id,
    counterpart_id: recipientState.id,
    occurred_from: '1990-01-01',
    occurred_to: '1990-12-31',
    confidence: 'possible',
    source_id: report.id,
    notes: 'Illustrative export record for the example.',
  });
  await createProvenanceClaim(db, actor, id, {
    item_id: tailSections.id,
    event_type: 'produced',
    actor_id: producer.id,
    occurred_from: '1980-01-01',
    occurred_to: '1989-12-31',
    confidence: 'possible',
    notes: 'Year stamp partly legible (198?).',
  });
  return { id, title: investigation.title };
}

/** Loads the example investigation when the database holds no investigation yet. */
export async function loadExampleIfFirstStart(db: Kysely<DB>): Promise<{ id: string; title: string } | undefined> {
  const existing = await db.selectFrom('investigations').select('id').limit(1).executeTakeFirst();
  if (existing !== undefined) return undefined;
  return loadExampleInvestigation(db, await resolveLocalActor(db, undefined));
}
