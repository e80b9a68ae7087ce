/**
 * The report's own words in English and Arabic. Only armtrace's labels are
 * translated; what people entered (names, titles, markings) is shown as
 * entered, in its own script.
 */

export type ReportLanguage = 'en' | 'ar';

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

const en: ReportText = {
  dir: 'ltr',
  title: 'Investigation report',
  generated: 'Generated',
  asOf: 'Figures as of',
  summary: 'Summary',
  atAGlance: 'At a glance',
  sites: 'Sites',
  itemRecords: 'Item records',
  units: 'Units counted',
  craftItems: 'Craft-produced item records',
  provenanceClaims: 'Provenance claims',
  openRequests: 'Open trace requests',
  figures: 'Figures',
  countriesTitle: 'Items by country of production',
  countriesCaption:
    'Item records by the country of the producer named in their production claims (their own or their lot’s). Share of item records; units are the sum of recorded quantities.',
  categoriesTitle: 'Items by category',
  categoriesCaption: 'Item records by category, with the split between craft and factory production.',
  recoveryTitle: 'Time from lawful export to recovery',
  recoveryCaption:
    'Years from the latest date the export claim allows (or, without one, the production claim) to the recovery of the site. Each figure is a lower bound.',
  craftTitle: 'Where craft-produced items cluster',
  craftCaption: 'Sites and work areas ranked by the number of craft-produced item records found there.',
  craftMapCaption: 'Sites with craft-produced items; circle area proportional to the number of item records.',
  timelineTitle: 'Production sites over time',
  timelineCaption: 'Production workshops by the month they were recovered in.',
  requestsTitle: 'Open trace requests by addressee and age',
  requestsCaption: 'Requests not yet answered (draft, sent or acknowledged), by age in days on the reporting date.',
  findingsTitle: 'Provenance findings',
  findingsCaption:
    'Every claim about the history of an item or a lot, in event order. Claims that contradict each other are listed side by side and marked; none is merged away.',
  methodsTitle: 'Methods',
  methods: [
    'Scope. The report covers the records of the investigation on the reporting date. Records withdrawn (archived) by the team are left out. Counts are of item records, each describing one or more identical objects; the number of units is shown separately.',
    'Confidence. Each provenance claim carries the confidence the analysts gave it. Confirmed: established by a trace-request answer, an official document or direct examination by the team. Probable: supported by consistent evidence that has not been formally confirmed. Possible: indicated by partial evidence, such as the style of a marking.',
    'Lots. A claim about a lot applies to every item that carries the same lot marking, wherever it was found; markings are compared in a normalised form (case, spaces, dashes and digit scripts ignored).',
    'Country of production. An item is attributed to the country of the producer named in its surest production claims. When claims of equal confidence name different countries the item is counted as contested; without a production claim naming a producer with a known country, as unknown.',
    'Contradictions. Two claims of the same event (other than a transfer, which may happen several times) contradict each other when they name different actors or dates that cannot both be true. Both are kept and shown.',
    'Dates. A claim dated by a range happened some time within it; a claim with a single date, on that date. Intervals are measured in years of 365.25 days from the latest date a claim allows, so they are never longer than the truth.',
    'Craft production. Items are counted as craft-produced when the documenting team recorded them so from their construction (hand work, improvised parts); factory-made otherwise, or unknown.',
    'Sources. Sources are graded on the Admiralty scale: reliability of the source from A (completely reliable) to F (cannot be judged), credibility of the information from 1 (confirmed) to 6 (cannot be judged). Interviews are listed without any detail that could identify the person.',
  ],
  sourcesTitle: 'Sources',
  sourcesCaption: 'Sources cited by the investigation, with their grading.',
  photoCreditsTitle: 'Photo credits',
  photoCreditsCaption: 'Credits of the photographs and documents held by the investigation.',
  integrityTitle: 'Integrity',
  integrity: (position, hashHtml) =>
    `Every change to the records is kept in a hash-chained audit log. At the time of this report this investigation's history had ${position} entries; the last one has hash ${hashHtml}.`,
  noData: 'No data recorded yet.',
  columns: {
    country: 'Country',
    category: 'Category',
    items: 'Items',
    share: 'Share',
    quantity: 'Units',
    confirmed: 'Confirmed',
    probable: 'Probable',
    possible: 'Possible',
    craft: 'Craft',
    factory: 'Factory',
    producer: 'Producer',
    n: 'Items',
    median: 'Median (years)',
    range: 'Range (years)',
    site: 'Site',
    zone: 'Area',
    coordinates: 'Coordinates',
    recovered: 'Recovered',
    period: 'Period',
    newSites: 'New sites',
    totalSites: 'Total',
    addressee: 'Addressee',
    open: 'Open',
    overdue: 'Overdue',
    oldest: 'Oldest (days)',
    subject: 'Subject',
    status: 'Status',
    sent: 'Sent',
    due: 'Due',
    age: 'Age (days)',
    about: 'About',
    event: 'Event',
    actor: 'Actor',
    counterpart: 'Counterpart',
    when: 'When',
    place: 'Place',
    confidence: 'Confidence',
    evidence: 'Evidence',
    contradicts: 'Contradicts',
    ref: 'Ref.',
    kind: 'Kind',
    source: 'Source',
    published: 'Published',
    grading: 'Grading',
    credit: 'Credit',
    licence: 'Licence',
    photos: 'Files',
  },
  years: 'years',
  days: 'days',
  unknownCountry: 'Unknown',
  contestedCountry: 'Contested',
  unknownProducer: 'Unknown or contested',
  lot: (markingHtml, items) => `Lot ${markingHtml} (${items} item record${items === 1 ? '' : 's'})`,
  excludedRecovery: (noDate, noClaim, inconsistent) =>
    `Not measured: ${noDate} item record(s) whose site has no recovery date, ${noClaim} without a dated export or production claim, ${inconsistent} whose dates contradict each other.`,
  undatedSites: (count) => `${count} production site(s) without a recovery date are not shown.`,
  interview: 'Interview',
  categories: {
    small_arm: 'Small arm',
    light_weapon: 'Light weapon',
    launcher: 'Launcher',
    rocket: 'Rocket',
    rocket_motor: 'Rocket motor',
    tail_fin_assembly: 'Tail fin assembly',
    mortar_bomb: 'Mortar bomb',
    artillery_projectile: 'Artillery projectile',
    aircraft_bomb: 'Aircraft bomb',
    fuze: 'Fuze',
    primer_detonator: 'Primer or detonator',
    cartridges: 'Cartridges',
    ied_component: 'IED component',
    precursor_chemical: 'Precursor chemical',
    packaging: 'Packaging',
    production_tool: 'Production tool',
    document: 'Document',
    other: 'Other',
  },
  events: {
    produced: 'Produced',
    exported: 'Exported',
    transferred: 'Transferred',
    diverted: 'Diverted',
    recovered: 'Recovered',
  },
  confidence: { confirmed: 'Confirmed', probable: 'Probable', possible: 'Possible' },
  statuses: {
    draft: 'Draft',
    sent: 'Sent',
    acknowledged: 'Acknowledged',
    answered: 'Answered',
    no_response: 'No response',
    declined: 'Declined',
    closed: 'Closed',
  },
  sourceKinds: {
    field_documentation: 'Field documentation',
    media_report: 'Media report',
    official_document: 'Official document',
    interview: 'Interview',
    other: 'Other',
  },
  siteTypes: {
    cache: 'Cache',
    production_workshop: 'Production workshop',
    storage_depot: 'Storage depot',
    incident_scene: 'Incident scene',
    checkpoint: 'Checkpoint',
    other: 'Other',
  },
  ageBand: 'Age (days)',
};

const ar: ReportText = {
  dir: 'rtl',
  title: 'تقرير التحقيق',
  generated: 'تاريخ الإعداد',
  asOf: 'الأرقام حتى تاريخ',
  summary: 'ملخّص',
  atAGlance: 'نظرة عامة',
  sites: 'المواقع',
  itemRecords: 'سجلات المواد',
  units: 'عدد الوحدات',
  craftItems: 'سجلات المواد المصنّعة يدويًا',
  provenanceClaims: 'ادعاءات المصدر',
  openRequests: 'طلبات التتبّع المفتوحة',
  figures: 'الأرقام',
  countriesTitle: 'المواد حسب بلد الإنتاج',
  countriesCaption:
    'سجلات المواد حسب بلد الجهة المنتجة المذكورة في ادعاءات الإنتاج الخاصة بها أو بدفعتها. النسبة من سجلات المواد؛ والوحدات مجموع الكميات المسجّلة.',
  categoriesTitle: 'المواد حسب الفئة',
  categoriesCaption: 'سجلات المواد حسب الفئة، مع التمييز بين الإنتاج اليدوي وإنتاج المصانع.',
  recoveryTitle: 'المدة من التصدير المشروع إلى الضبط',
  recoveryCaption:
    'عدد السنوات من آخر تاريخ يسمح به ادعاء التصدير (أو ادعاء الإنتاج إن لم يوجد) إلى تاريخ ضبط الموقع. كل رقم حدّ أدنى.',
  craftTitle: 'أماكن تجمّع المواد المصنّعة يدويًا',
  craftCaption: 'المواقع ومناطق العمل مرتّبة حسب عدد سجلات المواد المصنّعة يدويًا التي وُجدت فيها.',
  craftMapCaption: 'المواقع التي وُجدت فيها مواد مصنّعة يدويًا؛ مساحة الدائرة تتناسب مع عدد السجلات.',
  timelineTitle: 'مواقع الإنتاج عبر الزمن',
  timelineCaption: 'ورش الإنتاج حسب الشهر الذي ضُبطت فيه.',
  requestsTitle: 'طلبات التتبّع المفتوحة حسب الجهة المخاطَبة والعمر',
  requestsCaption:
    'الطلبات التي لم يُجَب عنها بعد (مسودة أو مرسلة أو مؤكَّد استلامها)، حسب عمرها بالأيام في تاريخ التقرير.',
  findingsTitle: 'نتائج تتبّع المصدر',
  findingsCaption:
    'كل ادعاء عن تاريخ مادة أو دفعة، بترتيب الأحداث. الادعاءات المتناقضة تُعرض جنبًا إلى جنب مع علامة، ولا يُدمج أيّ منها.',
  methodsTitle: 'المنهجية',
  methods: [
    'النطاق: يشمل التقرير سجلات التحقيق في تاريخ إعداده، وتُستبعد السجلات التي سحبها الفريق (المؤرشفة). الأعداد هي أعداد سجلات المواد، ويصف كل سجل قطعة واحدة أو أكثر متطابقة؛ ويُعرض عدد الوحدات على حدة.',
    'درجة الثقة: يحمل كل ادعاء عن المصدر درجة الثقة التي حدّدها المحلّلون. مؤكَّد: ثابت بردّ على طلب تتبّع أو بوثيقة رسمية أو بفحص مباشر من الفريق. مرجَّح: تدعمه أدلة متّسقة لم تُؤكَّد رسميًا. محتمَل: تشير إليه أدلة جزئية مثل نمط العلامة.',
    'الدفعات: ينطبق الادعاء عن دفعة على كل مادة تحمل علامة الدفعة نفسها أينما وُجدت؛ وتُقارن العلامات بصيغة موحّدة (بتجاهل حالة الأحرف والمسافات والشرطات ونظام كتابة الأرقام).',
    'بلد الإنتاج: تُنسب المادة إلى بلد الجهة المنتجة المذكورة في أوثق ادعاءات إنتاجها. إذا ذكرت ادعاءات متساوية الثقة بلدانًا مختلفة تُعدّ المادة متنازعًا عليها، وإن لم يوجد ادعاء إنتاج يذكر جهة معروفة البلد تُعدّ غير معروفة.',
    'التناقضات: يتناقض ادعاءان عن الحدث نفسه (عدا النقل الذي قد يتكرر) إذا ذكرا جهتين مختلفتين أو تاريخين لا يمكن أن يصحّا معًا. يُحتفظ بالادعاءين ويُعرضان معًا.',
    'التواريخ: الادعاء المؤرَّخ بمدى وقع في وقت ما ضمنه، والادعاء بتاريخ واحد وقع في ذلك التاريخ. تُقاس المدد بسنوات من 365.25 يومًا بدءًا من آخر تاريخ يسمح به الادعاء، فلا تزيد أبدًا على الحقيقة.',
    'الإنتاج اليدوي: تُعدّ المادة مصنّعة يدويًا إذا سجّلها فريق التوثيق كذلك بناءً على طريقة صنعها (عمل يدوي، أجزاء مرتجلة)، ومصنّعة في مصنع خلاف ذلك، أو غير معروفة.',
    'المصادر: تُقيَّم المصادر وفق مقياس الأميرالية: موثوقية المصدر من A (موثوق تمامًا) إلى F (لا يمكن الحكم)، ومصداقية المعلومة من 1 (مؤكَّدة) إلى 6 (لا يمكن الحكم). تُدرج المقابلات دون أي تفصيل قد يكشف هوية الشخص.',
  ],
  sourcesTitle: 'المصادر',
  sourcesCaption: 'المصادر التي يستند إليها التحقيق، مع تقييمها.',
  photoCreditsTitle: 'حقوق الصور',
  photoCreditsCaption: 'حقوق الصور والوثائق المحفوظة في التحقيق.',
  integrityTitle: 'سلامة البيانات',
  integrity: (position, hashHtml) =>
    `يُحفظ كل تغيير على السجلات في سجلّ تدقيق متسلسل بالتجزئة. عند إعداد هذا التقرير كان عدد القيود في سجلّ هذا التحقيق ${position}، وقيمة تجزئة آخرها ${hashHtml}.`,
  noData: 'لا توجد بيانات مسجّلة بعد.',
  columns: {
    country: 'البلد',
    category: 'الفئة',
    items: 'المواد',
    share: 'النسبة',
    quantity: 'الوحدات',
    confirmed: 'مؤكَّد',
    probable: 'مرجَّح',
    possible: 'محتمَل',
    craft: 'يدوي',
    factory: 'مصنع',
    producer: 'الجهة المنتجة',
    n: 'المواد',
    median: 'الوسيط (سنوات)',
    range: 'المدى (سنوات)',
    site: 'الموقع',
    zone: 'المنطقة',
    coordinates: 'الإحداثيات',
    recovered: 'تاريخ الضبط',
    period: 'الفترة',
    newSites: 'مواقع جديدة',
    totalSites: 'المجموع',
    addressee: 'الجهة المخاطَبة',
    open: 'مفتوحة',
    overdue: 'متأخرة',
    oldest: 'الأقدم (أيام)',
    subject: 'الموضوع',
    status: 'الحالة',
    sent: 'أُرسل',
    due: 'موعد الرد',
    age: 'العمر (أيام)',
    about: 'يخص',
    event: 'الحدث',
    actor: 'الجهة',
    counterpart: 'الطرف الآخر',
    when: 'التاريخ',
    place: 'المكان',
    confidence: 'الثقة',
    evidence: 'الدليل',
    contradicts: 'يتناقض مع',
    ref: 'المرجع',
    kind: 'النوع',
    source: 'المصدر',
    published: 'تاريخ النشر',
    grading: 'التقييم',
    credit: 'الحقوق',
    licence: 'الترخيص',
    photos: 'الملفات',
  },
  years: 'سنة',
  days: 'يوم',
  unknownCountry: 'غير معروف',
  contestedCountry: 'متنازع عليه',
  unknownProducer: 'غير معروفة أو متنازع عليها',
  lot: (markingHtml, items) => `الدفعة ${markingHtml} (عدد السجلات: ${items})`,
  excludedRecovery: (noDate, noClaim, inconsistent) =>
    `لم تُقَس: ${noDate} سجل لموقع بلا تاريخ ضبط، و${noClaim} بلا ادعاء تصدير أو إنتاج مؤرَّخ، و${inconsistent} تتناقض تواريخها.`,
  undatedSites: (count) => `لا تظهر ${count} من مواقع الإنتاج بلا تاريخ ضبط.`,
  interview: 'مقابلة',
  categories: {
    small_arm: 'سلاح فردي',
    light_weapon: 'سلاح خفيف',
    launcher: 'قاذف',
    rocket: 'صاروخ',
    rocket_motor: 'محرك صاروخي',
    tail_fin_assembly: 'مجموعة زعانف ذيلية',
    mortar_bomb: 'قذيفة هاون',
    artillery_projectile: 'قذيفة مدفعية',
    aircraft_bomb: 'قنبلة جوية',
    fuze: 'صمام تفجير',
    primer_detonator: 'كبسولة أو مفجّر',
    cartridges: 'خراطيش',
    ied_component: 'مكوّن عبوة ناسفة مرتجلة',
    precursor_chemical: 'مادة كيميائية أولية',
    packaging: 'تغليف',
    production_tool: 'أداة إنتاج',
    document: 'وثيقة',
    other: 'أخرى',
  },
  events: {
    produced: 'الإنتاج',
    exported: 'التصدير',
    transferred: 'النقل',
    diverted: 'التحويل غير المشروع',
    recovered: 'الضبط',
  },
  confidence: { confirmed: 'مؤكَّد', probable: 'مرجَّح', possible: 'محتمَل' },
  statuses: {
    draft: 'مسودة',
    sent: 'مرسل',
    acknowledged: 'مؤكَّد الاستلام',
    answered: 'تمّ الرد',
    no_response: 'لا رد',
    declined: 'مرفوض',
    closed: 'مغلق',
  },
  sourceKinds: {
    field_documentation: 'توثيق ميداني',
    media_report: 'تقرير إعلامي',
    official_document: 'وثيقة رسمية',
    interview: 'مقابلة',
    other: 'أخرى',
  },
  siteTypes: {
    cache: 'مخبأ',
    production_workshop: 'ورشة إنتاج',
    storage_depot: 'مستودع',
    incident_scene: 'موقع حادث',
    checkpoint: 'نقطة تفتيش',
    other: 'أخرى',
  },
  ageBand: 'العمر (أيام)',
};

export const reportText: Record<ReportLanguage, ReportText> = { en, ar };
