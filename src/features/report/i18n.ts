/**
 * The report's own words, from armtrace's one message catalogue (src/i18n), so the report says what the web app
 * says: the same label for a category, an event or a status on screen and on paper, in English, Arabic or French.
 * Only armtrace's labels are translated; what people entered (names, titles, markings) is shown as entered, in its
 * own script.
 */
import { catalogues, isRightToLeft, translate, type Locale, type MessageKey } from '../../i18n/messages.js';

export type ReportLanguage = Locale;

export interface ReportText {
  dir: 'ltr' | 'rtl';
  title: string;
  generated: string;
  asOf: string;
  summary: string;
  atAGlance: string;
  sites: string;
  itemRecords: string;
  units: string;
  craftItems: string;
  provenanceClaims: string;
  openRequests: string;
  figures: string;
  countriesTitle: string;
  countriesCaption: string;
  categoriesTitle: string;
  categoriesCaption: string;
  recoveryTitle: string;
  recoveryCaption: string;
  craftTitle: string;
  craftCaption: string;
  craftMapCaption: string;
  timelineTitle: string;
  timelineCaption: string;
  requestsTitle: string;
  requestsCaption: string;
  findingsTitle: string;
  findingsCaption: string;
  methodsTitle: string;
  methods: string[];
  sourcesTitle: string;
  sourcesCaption: string;
  photoCreditsTitle: string;
  photoCreditsCaption: string;
  integrityTitle: string;
  /** `hashHtml` is already escaped; the result is HTML. */
  integrity: (position: number, hashHtml: string) => string;
  noData: string;
  columns: {
    country: string;
    category: string;
    items: string;
    share: string;
    quantity: string;
    confirmed: string;
    probable: string;
    possible: string;
    craft: string;
    factory: string;
    producer: string;
    n: string;
    median: string;
    range: string;
    site: string;
    zone: string;
    coordinates: string;
    recovered: string;
    period: string;
    newSites: string;
    totalSites: string;
    addressee: string;
    open: string;
    overdue: string;
    oldest: string;
    subject: string;
    status: string;
    sent: string;
    due: string;
    age: string;
    about: string;
    event: string;
    actor: string;
    counterpart: string;
    when: string;
    place: string;
    confidence: string;
    evidence: string;
    contradicts: string;
    ref: string;
    kind: string;
    source: string;
    published: string;
    grading: string;
    credit: string;
    licence: string;
    photos: string;
  };
  years: string;
  days: string;
  unknownCountry: string;
  contestedCountry: string;
  unknownProducer: string;
  /** `markingHtml` is already escaped; the result is HTML. */
  lot: (markingHtml: string, items: number) => string;
  excludedRecovery: (noDate: number, noClaim: number, inconsistent: number) => string;
  undatedSites: (count: number) => string;
  interview: string;
  categories: Record<string, string>;
  events: Record<string, string>;
  confidence: Record<string, string>;
  statuses: Record<string, string>;
  sourceKinds: Record<string, string>;
  siteTypes: Record<string, string>;
  ageBand: string;
}

const columnNames = [
  'country',
  'category',
  'items',
  'share',
  'quantity',
  'confirmed',
  'probable',
  'possible',
  'craft',
  'factory',
  'producer',
  'n',
  'median',
  'range',
  'site',
  'zone',
  'coordinates',
  'recovered',
  'period',
  'newSites',
  'totalSites',
  'addressee',
  'open',
  'overdue',
  'oldest',
  'subject',
  'status',
  'sent',
  'due',
  'age',
  'about',
  'event',
  'actor',
  'counterpart',
  'when',
  'place',
  'confidence',
  'evidence',
  'contradicts',
  'ref',
  'kind',
  'source',
  'published',
  'grading',
  'credit',
  'licence',
  'photos',
] as const satisfies readonly (keyof ReportText['columns'])[];

const methodParagraphs = [
  'scope',
  'confidence',
  'lots',
  'country',
  'contradictions',
  'dates',
  'craft',
  'sources',
] as const;

/** The labels of one controlled vocabulary (messages `group.value`), by value. */
function vocabulary(locale: Locale, group: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, message] of Object.entries(catalogues[locale])) {
    if (key.startsWith(`${group}.`)) labels[key.slice(group.length + 1)] = message;
  }
  return labels;
}

function buildReportText(locale: Locale): ReportText {
  const text = (key: string, params?: Record<string, string | number>) =>
    translate(locale, `report.${key}` as MessageKey, params);
  const columns = Object.fromEntries(
    columnNames.map((name) => [name, text(`column.${name}`)]),
  ) as ReportText['columns'];
  return {
    dir: isRightToLeft(locale) ? 'rtl' : 'ltr',
    title: text('title'),
    generated: text('generated'),
    asOf: text('asOf'),
    summary: text('summary'),
    atAGlance: text('atAGlance'),
    sites: text('sites'),
    itemRecords: text('itemRecords'),
    units: text('units'),
    craftItems: text('craftItems'),
    provenanceClaims: text('provenanceClaims'),
    openRequests: text('openRequests'),
    figures: text('figures'),
    countriesTitle: text('countriesTitle'),
    countriesCaption: text('countriesCaption'),
    categoriesTitle: text('categoriesTitle'),
    categoriesCaption: text('categoriesCaption'),
    recoveryTitle: text('recoveryTitle'),
    recoveryCaption: text('recoveryCaption'),
    craftTitle: text('craftTitle'),
    craftCaption: text('craftCaption'),
    craftMapCaption: text('craftMapCaption'),
    timelineTitle: text('timelineTitle'),
    timelineCaption: text('timelineCaption'),
    requestsTitle: text('requestsTitle'),
    requestsCaption: text('requestsCaption'),
    findingsTitle: text('findingsTitle'),
    findingsCaption: text('findingsCaption'),
    methodsTitle: text('methodsTitle'),
    methods: methodParagraphs.map((paragraph) => text(`methods.${paragraph}`)),
    sourcesTitle: text('sourcesTitle'),
    sourcesCaption: text('sourcesCaption'),
    photoCreditsTitle: text('photoCreditsTitle'),
    photoCreditsCaption: text('photoCreditsCaption'),
    integrityTitle: text('integrityTitle'),
    integrity: (position, hashHtml) => text('integrity', { position, hash: hashHtml }),
    noData: text('noData'),
    columns,
    years: text('years'),
    days: text('days'),
    unknownCountry: text('unknownCountry'),
    contestedCountry: text('contestedCountry'),
    unknownProducer: text('unknownProducer'),
    lot: (markingHtml, items) => text('lot', { marking: markingHtml, items }),
    excludedRecovery: (noDate, noClaim, inconsistent) => text('excludedRecovery', { noDate, noClaim, inconsistent }),
    undatedSites: (count) => text('undatedSites', { count }),
    interview: text('interview'),
    categories: vocabulary(locale, 'category'),
    events: vocabulary(locale, 'provenanceEvent'),
    confidence: vocabulary(locale, 'confidence'),
    statuses: vocabulary(locale, 'traceStatus'),
    sourceKinds: vocabulary(locale, 'sourceKind'),
    siteTypes: vocabulary(locale, 'siteType'),
    ageBand: text('ageBand'),
  };
}

export const reportText: Record<ReportLanguage, ReportText> = {
  en: buildReportText('en'),
  ar: buildReportText('ar'),
  fr: buildReportText('fr'),
};
