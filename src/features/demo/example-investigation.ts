/**
 * The example investigation, written for armtrace. It is modelled on public
 * photo reporting about workshops and caches found in Mosul in early 2017,
 * but every name, number and marking below is illustrative. Items are
 * described by classification and observation only.
 */
export const exampleInvestigation = {
  title: 'Mosul east bank: production workshop and caches (example)',
  summary:
    'Example investigation shipped with armtrace. A production workshop with separate work areas and three caches ' +
    'documented after the area was retaken. Records are illustrative: use them to try the application.',
};

export const exampleSources = {
  report: {
    kind: 'media_report',
    title: 'Phóng sự ảnh: xưởng chế tạo và các kho vũ khí ở Mosul (ví dụ)',
    publisher: 'Vietnamese-language news site (example)',
    language: 'vi',
    published_on: '2017-02-10',
    excerpt: 'Xưởng được chia thành nhiều khu riêng, mỗi khu làm một loại sản phẩm.',
    credit_line: 'Nguồn ảnh: QQ (image source: QQ)',
    reliability: 'C',
    credibility: 3,
    notes: 'Secondary report; the photos are credited to QQ. Used to locate sites for field documentation.',
  },
  field: {
    kind: 'field_documentation',
    title: 'Field documentation session, east bank store rooms (example)',
    language: 'en',
    published_on: '2017-02-02',
    reliability: 'B',
    credibility: 2,
    notes: 'Items photographed and counted on site; markings transcribed by two team members.',
  },
} as const;

export const exampleSites = {
  workshop: {
    site_type: 'production_workshop',
    external_ref: 'MSL-W1',
    name: 'Workshop, eastern industrial district',
    names: { ar: 'ورشة، المنطقة الصناعية الشرقية', fr: 'Atelier, zone industrielle est' },
    latitude: 36.3468,
    longitude: 43.1629,
    precision_m: 50,
    recovered_by: 'Iraqi security forces',
    recovered_on: '2017-01-18',
    context:
      'Large workshop with separate work areas per product. Most machine tools had been removed before recovery.',
  },
  cacheHouse: {
    site_type: 'cache',
    external_ref: 'MSL-C1',
    name: 'Cache in a residential house',
    names: { ar: 'مخبأ في منزل سكني' },
    latitude: 36.3602,
    longitude: 43.1731,
    precision_m: 30,
    recovered_by: 'Iraqi security forces',
    recovered_on: '2017-01-21',
    context: 'Ground-floor rooms used as a store; munitions left in place.',
  },
  cacheSchool: {
    site_type: 'cache',
    external_ref: 'MSL-C2',
    name: 'Cache in a school basement',
    names: { ar: 'مخبأ في قبو مدرسة' },
    latitude: 36.3381,
    longitude: 43.1452,
    precision_m: 30,
    recovered_by: 'Iraqi security forces',
    recovered_on: '2017-01-24',
    context: 'Basement store room with stacked crates.',
  },
  cacheGarage: {
    site_type: 'cache',
    external_ref: 'MSL-C3',
    name: 'Cache in a garage',
    names: { ar: 'مخبأ في مرآب' },
    latitude: 36.3525,
    longitude: 43.1838,
    precision_m: 100,
    recovered_by: 'Iraqi security forces',
    recovered_on: '2017-01-27',
    context: 'Small cache reported by residents.',
  },
} as const;

export const exampleZones = {
  rockets: { name: 'Rocket area', description: 'Rocket bodies, tail sections and a launcher.' },
  heavyBombs: { name: 'Heavy bomb area', description: 'Large improvised bomb casings.' },
  storeRoom: { name: 'Store room', description: 'Components in bulk and old, corroded parts.' },
} as const;

/**
 * The second member of the example, who verifies and publishes what the loading user recorded (a record is never
 * verified by its author).
 */
export const exampleReviewerUser = { username: 'example.reviewer', display_name: 'Reviewer (example)' } as const;

/**
 * What of the example is released, and to whom: the workshop with its rockets, fins and launcher is published and
 * public (the public site shows it); the bomb casings, the tail sections and the school cache are verified and for
 * partners; the house and garage caches (munitions left in place) stay internal drafts; the claim naming the
 * producer of the tail sections is restricted until the trace request is answered.
 */
export const exampleRestrictedReason =
  'Names a producer before the trace request is answered; owners only until then (example).';
