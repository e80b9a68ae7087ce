/**
 * The report as one self-contained HTML page (inline CSS and SVG): readable
 * on screen, printable to PDF, archivable as a single file. Every value
 * people entered is escaped and isolated (<bdi>) so it shows as entered in
 * either direction; only armtrace's own labels are translated.
 */
import { translate, type MessageKey } from '../../i18n/messages.js';
import type { ProfileStatement } from '../export/profiles.js';
import type { AllAnalyses } from '../analysis/schema.js';
import { findConflicts } from '../provenance/claim-comparison.js';
import { columns, escapeHtml, horizontalBars, palette, pointMap, stackedBars } from './charts.js';
import { reportText, type ReportLanguage, type ReportText } from './i18n.js';
import type { ReportRecords, ReportSource } from './repository.js';

export interface ReportInput {
  lang: ReportLanguage;
  /** The export profile that made the report (printed under the title); internal when absent. */
  profile?: ProfileStatement | undefined;
  generatedAt: string;
  asOf: string;
  analyses: AllAnalyses;
  records: ReportRecords;
  actors: Map<string, { name: string; country_code: string | null }>;
}

const number = (value: number) => value.toLocaleString('en-US');
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const years = (value: number | null) => (value === null ? '—' : value.toFixed(1));

/** User-entered text, escaped and isolated from the surrounding direction. */
function user(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : `<bdi>${escapeHtml(value)}</bdi>`;
}

function countryName(code: string, lang: ReportLanguage): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function table(headers: string[], rows: string[][], numeric: ReadonlySet<number> = new Set()): string {
  const head = headers.map((header, index) => `<th${numeric.has(index) ? ' class="num"' : ''}>${header}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, index) => `<td${numeric.has(index) ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A numbered figure; its heading, caption and chart stay on one page, its tables may flow on. */
function figure(number_: number, title: string, caption: string, content: string): string {
  // The chart, when the content opens with one (an <svg>, or a <figure> holding one).
  const closing = content.startsWith('<figure>') ? '</figure>' : content.startsWith('<svg') ? '</svg>' : undefined;
  const chartEnd = closing === undefined ? -1 : content.indexOf(closing) + closing.length;
  const [head, rest] = chartEnd < 0 ? ['', content] : [content.slice(0, chartEnd), content.slice(chartEnd)];
  return `<section class="figure"><div class="keep"><h3><span class="fig-no">${number_}</span>${escapeHtml(title)}</h3><p class="caption">${escapeHtml(caption)}</p>${head}</div>${rest}</section>`;
}

function empty(t: ReportText): string {
  return `<p class="empty">${escapeHtml(t.noData)}</p>`;
}

/** A date or a range, each date kept on one line (dates break at their dashes otherwise). */
function dateCell(from: string | null, to: string | null): string {
  const date = (value: string | null) => (value === null ? '—' : `<bdi class="date">${escapeHtml(value)}</bdi>`);
  if (from === null || to === null || from === to) return date(from ?? to);
  return `${date(from)}&nbsp;–<br>${date(to)}`;
}

function countriesFigure(input: ReportInput, t: ReportText): string {
  const { rows } = input.analyses.productionCountries;
  if (rows.length === 0) return empty(t);
  const label = (key: string, code: string | null) =>
    code !== null
      ? `${countryName(code, input.lang)} (${code})`
      : key === 'contested'
        ? t.contestedCountry
        : t.unknownCountry;
  const chart = horizontalBars(
    rows.map((row) => ({
      label: label(row.key, row.country_code),
      value: row.items,
      note: `${number(row.items)} · ${percent(row.share_items)}`,
      color: row.country_code === null ? palette[5] : palette[0],
    })),
    { label: t.countriesTitle, rtl: t.dir === 'rtl' },
  );
  const c = t.columns;
  return (
    chart +
    table(
      [c.country, c.items, c.share, c.quantity, c.share, c.confirmed, c.probable, c.possible],
      rows.map((row) => [
        escapeHtml(label(row.key, row.country_code)),
        number(row.items),
        percent(row.share_items),
        number(row.quantity),
        percent(row.share_quantity),
        number(row.confirmed),
        number(row.probable),
        number(row.possible),
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7]),
    )
  );
}

function categoriesFigure(input: ReportInput, t: ReportText): string {
  const { rows } = input.analyses.categories;
  if (rows.length === 0) return empty(t);
  const name = (category: string) => t.categories[category] ?? category;
  const c = t.columns;
  return (
    horizontalBars(
      rows.map((row) => ({
        label: name(row.category),
        value: row.items,
        note: `${number(row.items)} · ${percent(row.share_items)}`,
      })),
      { label: t.categoriesTitle, rtl: t.dir === 'rtl' },
    ) +
    table(
      [c.category, c.items, c.share, c.quantity, c.craft, c.factory],
      rows.map((row) => [
        escapeHtml(name(row.category)),
        number(row.items),
        percent(row.share_items),
        number(row.quantity),
        number(row.craft_items),
        number(row.factory_items),
      ]),
      new Set([1, 2, 3, 4, 5]),
    )
  );
}

function recoveryFigure(input: ReportInput, t: ReportText): string {
  const result = input.analyses.exportToRecovery;
  const excluded = `<p class="note">${escapeHtml(
    t.excludedRecovery(
      result.excluded.no_recovery_date,
      result.excluded.no_dated_claim,
      result.excluded.recovered_before_start,
    ),
  )}</p>`;
  if (result.overall.n === 0) return empty(t) + excluded;
  const c = t.columns;
  const distributionRow = (label: string, row: AllAnalyses['exportToRecovery']['overall']) => [
    label,
    number(row.n),
    years(row.median_years),
    `${years(row.min_years)} – ${years(row.max_years)}`,
  ];
  return (
    columns(
      result.bins.map((bin, index) => ({ label: bin.label, value: result.overall.counts[index] ?? 0 })),
      { label: t.recoveryTitle, xTitle: t.years, color: palette[2] },
    ) +
    table(
      [c.category, c.n, c.median, c.range],
      result.by_category.map((row) => distributionRow(escapeHtml(t.categories[row.category] ?? row.category), row)),
      new Set([1, 2, 3]),
    ) +
    table(
      [c.producer, c.n, c.median, c.range],
      result.by_producer.map((row) =>
        distributionRow(
          row.producer_name === null
            ? escapeHtml(t.unknownProducer)
            : `${user(row.producer_name)}${row.country_code === null ? '' : ` (${escapeHtml(row.country_code)})`}`,
          row,
        ),
      ),
      new Set([1, 2, 3]),
    ) +
    excluded
  );
}

function craftFigure(input: ReportInput, t: ReportText): string {
  const result = input.analyses.craftClusters;
  if (result.sites.length === 0) return empty(t);
  const c = t.columns;
  const located = result.sites.filter((site) => site.latitude !== null && site.longitude !== null);
  const map =
    located.length === 0
      ? ''
      : `<figure>${pointMap(
          located.map((site) => ({
            latitude: site.latitude!,
            longitude: site.longitude!,
            value: site.craft_items,
            label: site.external_ref ?? site.name,
          })),
          { label: t.craftMapCaption },
        )}<figcaption>${escapeHtml(t.craftMapCaption)}</figcaption></figure>`;
  const coordinates = (latitude: number | null, longitude: number | null) =>
    latitude === null || longitude === null ? '—' : `<bdi>${latitude.toFixed(4)}, ${longitude.toFixed(4)}</bdi>`;
  return (
    map +
    table(
      [c.site, c.items, c.share, c.quantity, c.coordinates],
      result.sites.map((site) => [
        `${user(site.name)}${site.external_ref === null ? '' : ` <span class="ref">${user(site.external_ref)}</span>`}`,
        number(site.craft_items),
        percent(site.share_items),
        number(site.craft_quantity),
        coordinates(site.latitude, site.longitude),
      ]),
      new Set([1, 2, 3]),
    ) +
    (result.zones.length === 0
      ? ''
      : table(
          [c.zone, c.site, c.items, c.quantity],
          result.zones.map((zone) => [
            user(zone.name),
            user(zone.site_name),
            number(zone.craft_items),
            number(zone.craft_quantity),
          ]),
          new Set([2, 3]),
        ))
  );
}

function timelineFigure(input: ReportInput, t: ReportText): string {
  const result = input.analyses.productionSitesOverTime;
  const undated =
    result.undated_sites > 0 ? `<p class="note">${escapeHtml(t.undatedSites(result.undated_sites))}</p>` : '';
  if (result.periods.length === 0) return empty(t) + undated;
  const c = t.columns;
  return (
    columns(
      result.periods.map((period) => ({ label: period.period, value: period.new_sites })),
      { label: t.timelineTitle, color: palette[3] },
    ) +
    table(
      [c.site, c.recovered, c.items],
      result.sites.map((site) => [user(site.name), dateCell(site.recovered_on, null), number(site.craft_items)]),
      new Set([2]),
    ) +
    undated
  );
}

function requestsFigure(input: ReportInput, t: ReportText): string {
  const result = input.analyses.openTraceRequests;
  if (result.total_open === 0) return empty(t);
  const c = t.columns;
  return (
    stackedBars(
      result.by_addressee.map((row) => ({ label: row.name, segments: row.buckets })),
      result.age_buckets,
      { label: t.requestsTitle, rtl: t.dir === 'rtl', legendTitle: t.ageBand },
    ) +
    table(
      [c.addressee, c.open, c.overdue, c.oldest],
      result.by_addressee.map((row) => [
        user(row.name),
        number(row.open),
        number(row.overdue),
        row.oldest_days === null ? '—' : number(row.oldest_days),
      ]),
      new Set([1, 2, 3]),
    ) +
    table(
      [c.subject, c.addressee, c.status, c.sent, c.due, c.age],
      result.requests.map((request) => [
        user(request.subject),
        user(request.addressee_name),
        `${escapeHtml(t.statuses[request.status] ?? request.status)}${request.overdue ? ` <span class="flag">${escapeHtml(c.overdue)}</span>` : ''}`,
        dateCell(request.sent_on, null),
        dateCell(request.due_on, null),
        number(request.age_days),
      ]),
      new Set([5]),
    )
  );
}

function sourceLabel(source: ReportSource, t: ReportText): string {
  // An interview's title or publisher may name the person: neither is printed.
  return source.kind === 'interview' ? escapeHtml(t.interview) : user(source.title);
}

function findingsSection(input: ReportInput, t: ReportText, sourceNumbers: Map<string, number>): string {
  const { records } = input;
  if (records.claims.length === 0) return empty(t);
  const items = new Map(records.items.map((item) => [item.id, item]));
  const requests = new Map(records.traceRequests.map((request) => [request.id, request]));
  const itemsPerLot = new Map(records.lotItemCounts.map((lot) => [lot.normalized, lot.items]));
  // Claims in event order, numbered, so contradictions can point at each other.
  const eventOrder = ['produced', 'exported', 'transferred', 'diverted', 'recovered'];
  const claims = [...records.claims].sort(
    (a, b) =>
      eventOrder.indexOf(a.event_type) - eventOrder.indexOf(b.event_type) ||
      (a.occurred_from ?? a.occurred_to ?? '\uffff').localeCompare(b.occurred_from ?? b.occurred_to ?? '\uffff') ||
      a.id.localeCompare(b.id),
  );
  const rowNumbers = new Map(claims.map((claim, index) => [claim.id, index + 1]));
  // Contradictions only between claims about the same item or the same lot.
  const subjectOf = (claim: (typeof claims)[number]) => claim.item_id ?? `lot:${claim.lot_normalized ?? ''}`;
  const bySubject = new Map<string, typeof claims>();
  for (const claim of claims) bySubject.set(subjectOf(claim), [...(bySubject.get(subjectOf(claim)) ?? []), claim]);
  const conflicts = new Map<string, string[]>();
  for (const group of bySubject.values()) for (const [id, ids] of findConflicts(group)) conflicts.set(id, ids);
  const actor = (id: string | null) => {
    if (id === null) return '—';
    const found = input.actors.get(id);
    if (found === undefined) return '—';
    return `${user(found.name)}${found.country_code === null ? '' : ` (${escapeHtml(found.country_code)})`}`;
  };
  const c = t.columns;
  return table(
    ['#', c.about, c.event, c.actor, c.counterpart, c.when, c.place, c.confidence, c.evidence, c.contradicts],
    claims.map((claim) => {
      const item = claim.item_id === null ? undefined : items.get(claim.item_id);
      const about =
        claim.item_id === null
          ? t.lot(user(claim.lot_marking), itemsPerLot.get(claim.lot_normalized ?? '') ?? 0)
          : `${user(item?.external_ref ?? null)} <span class="ref">${escapeHtml(t.categories[item?.category ?? ''] ?? item?.category ?? '')}</span>`;
      const evidence = [
        ...(claim.source_id === null || !sourceNumbers.has(claim.source_id)
          ? []
          : [`[S${sourceNumbers.get(claim.source_id)!}]`]),
        ...(claim.trace_request_id === null || !requests.has(claim.trace_request_id)
          ? []
          : [user(requests.get(claim.trace_request_id)!.subject)]),
      ];
      const contradicted = conflicts.get(claim.id) ?? [];
      return [
        String(rowNumbers.get(claim.id)),
        about,
        escapeHtml(t.events[claim.event_type] ?? claim.event_type),
        actor(claim.actor_id),
        actor(claim.counterpart_id),
        dateCell(claim.occurred_from, claim.occurred_to),
        user(claim.place),
        `<span class="conf conf-${escapeHtml(claim.confidence)}">${escapeHtml(t.confidence[claim.confidence] ?? claim.confidence)}</span>`,
        evidence.length === 0 ? '—' : evidence.join('<br>'),
        contradicted.length === 0
          ? ''
          : `<span class="flag">${contradicted.map((id) => `#${rowNumbers.get(id) ?? '?'}`).join(', ')}</span>`,
      ];
    }),
  );
}

function sourcesSection(input: ReportInput, t: ReportText, sourceNumbers: Map<string, number>): string {
  const { sources, photoCredits } = input.records;
  const c = t.columns;
  const sourceTable =
    sources.length === 0
      ? empty(t)
      : table(
          [c.ref, c.kind, c.source, c.published, c.grading, c.credit],
          sources.map((source) => {
            const interview = source.kind === 'interview';
            const details = interview
              ? ''
              : [
                  source.publisher === null ? '' : `<div class="sub">${user(source.publisher)}</div>`,
                  source.url === null ? '' : `<div class="sub url"><bdi>${escapeHtml(source.url)}</bdi></div>`,
                ].join('');
            const grading =
              source.reliability === null || source.credibility === null
                ? '—'
                : `<bdi>${escapeHtml(`${source.reliability}${source.credibility}`)}</bdi>`;
            return [
              `S${sourceNumbers.get(source.id)!}`,
              escapeHtml(t.sourceKinds[source.kind] ?? source.kind),
              `${sourceLabel(source, t)}${details}`,
              dateCell(source.published_on, null),
              grading,
              interview ? '—' : user(source.credit_line),
            ];
          }),
        );
  const credits = photoCredits.filter((credit) => credit.credit !== null || credit.licence !== null);
  const creditTable =
    credits.length === 0
      ? empty(t)
      : table(
          [c.credit, c.licence, c.source, c.photos],
          credits.map((credit) => [
            user(credit.credit),
            user(credit.licence),
            credit.source_id === null || !sourceNumbers.has(credit.source_id)
              ? '—'
              : `S${sourceNumbers.get(credit.source_id)!}`,
            number(credit.files),
          ]),
          new Set([3]),
        );
  return `<h2>${escapeHtml(t.sourcesTitle)}</h2><p class="caption">${escapeHtml(t.sourcesCaption)}</p>${sourceTable}
<h3>${escapeHtml(t.photoCreditsTitle)}</h3><p class="caption">${escapeHtml(t.photoCreditsCaption)}</p>${creditTable}`;
}

const styles = `
@page { size: A4; margin: 16mm 15mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'Noto Sans', 'DejaVu Sans', 'Noto Sans Arabic', sans-serif; font-size: 10pt; line-height: 1.45;
  color: #1f2937; margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
html[lang="ar"] body { font-family: 'Noto Sans Arabic', 'Noto Naskh Arabic', 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 10.5pt; }
header { border-bottom: 3px solid #1f5f8b; padding: 6mm 0 3mm; margin-bottom: 5mm; }
.kicker { color: #1f5f8b; font-size: 9pt; letter-spacing: 0.08em; text-transform: uppercase; margin: 0; }
h1 { font-size: 19pt; line-height: 1.25; margin: 2mm 0; }
.meta { color: #4b5563; font-size: 9pt; margin: 0; }
h2 { font-size: 13.5pt; color: #1f5f8b; border-bottom: 1px solid #cbd5e1; padding-bottom: 1mm; margin: 8mm 0 3mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 1mm; break-after: avoid; }
.fig-no { display: inline-block; min-width: 7mm; height: 7mm; line-height: 7mm; text-align: center; border-radius: 3.5mm;
  background: #1f5f8b; color: #fff; font-size: 9pt; margin-inline-end: 2.5mm; }
.caption, .note { color: #4b5563; font-size: 8.8pt; margin: 0 0 2mm; }
.note { font-style: italic; margin-top: 1.5mm; }
.figure { margin-bottom: 6mm; }
.keep { break-inside: avoid; }
.date { white-space: nowrap; }
figure { margin: 0 0 2mm; break-inside: avoid; }
figcaption { color: #4b5563; font-size: 8.5pt; }
svg.chart { display: block; width: 100%; height: auto; margin: 1mm 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.6pt; margin: 1mm 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { text-align: start; font-weight: 600; color: #374151; border-bottom: 1.5px solid #9ca3af; padding: 1.5mm 1.5mm; background: #f3f4f6; }
td { text-align: start; border-bottom: 1px solid #e5e7eb; padding: 1.2mm 1.5mm; vertical-align: top; overflow-wrap: break-word; }
.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 2mm 0 4mm; }
.card { border: 1px solid #dbe3ea; border-radius: 2mm; padding: 2.5mm 3mm; background: #f8fafc; }
.card .value { font-size: 16pt; font-weight: 700; color: #1f5f8b; line-height: 1.2; }
.card .label { font-size: 8.5pt; color: #4b5563; }
.summary { white-space: pre-line; }
.ref { color: #6b7280; font-size: 8pt; }
.sub { color: #4b5563; font-size: 8pt; }
.url { direction: ltr; }
.flag { color: #b91c1c; font-weight: 600; }
.conf { white-space: nowrap; }
.conf-confirmed { color: #166534; font-weight: 600; }
.conf-probable { color: #92400e; }
.conf-possible { color: #6b7280; }
.methods li { margin-bottom: 1.5mm; }
.empty { color: #6b7280; font-style: italic; }
footer { margin-top: 8mm; border-top: 1px solid #cbd5e1; padding-top: 2mm; color: #6b7280; font-size: 8pt; overflow-wrap: anywhere; }
`;

/**
 * Renders the whole report. Pure: the same input gives the same page.
 *
 * @example
 * const html = renderReportHtml({ lang: 'ar', generatedAt, asOf, analyses, records, actors });
 */
/** The profile that made the report, and (public) how its places were generalised. */
function profileLines(input: ReportInput): string {
  const profile = input.profile?.name ?? 'internal';
  const text = (key: string, params?: Record<string, string | number>) =>
    translate(input.lang, key as MessageKey, params);
  const coordinates = input.profile?.coordinates;
  const grid =
    coordinates?.kind === 'grid'
      ? `<p class="meta">${escapeHtml(text('report.gridNote', { km: coordinates.cell_km }))}</p>`
      : '';
  return `<p class="meta" data-profile="${profile}">${escapeHtml(text('report.profile'))}: ${escapeHtml(text(`report.profile.${profile}`))}</p>${grid}`;
}

export function renderReportHtml(input: ReportInput): string {
  const t = reportText[input.lang];
  const { records, analyses } = input;
  const sourceNumbers = new Map(records.sources.map((source, index) => [source.id, index + 1]));
  const cards = [
    [number(records.siteCount), t.sites],
    [number(analyses.categories.total_items), t.itemRecords],
    [number(analyses.categories.total_quantity), t.units],
    [number(analyses.craftClusters.total_craft_items), t.craftItems],
    [number(records.claims.length), t.provenanceClaims],
    [number(analyses.openTraceRequests.total_open), t.openRequests],
  ]
    .map(
      ([value, label]) =>
        `<div class="card"><div class="value">${value}</div><div class="label">${escapeHtml(label!)}</div></div>`,
    )
    .join('');
  const figures = [
    figure(1, t.countriesTitle, t.countriesCaption, countriesFigure(input, t)),
    figure(2, t.categoriesTitle, t.categoriesCaption, categoriesFigure(input, t)),
    figure(3, t.recoveryTitle, t.recoveryCaption, recoveryFigure(input, t)),
    figure(4, t.craftTitle, t.craftCaption, craftFigure(input, t)),
    figure(5, t.timelineTitle, t.timelineCaption, timelineFigure(input, t)),
    figure(6, t.requestsTitle, t.requestsCaption, requestsFigure(input, t)),
  ].join('\n');
  const integrity =
    records.auditHead === undefined
      ? ''
      : `<footer><strong>${escapeHtml(t.integrityTitle)}.</strong> ${t.integrity(records.auditHead.position, `<bdi>${escapeHtml(records.auditHead.hash)}</bdi>`)}</footer>`;
  return `<!DOCTYPE html>
<html lang="${input.lang}" dir="${t.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="armtrace">
<title>${escapeHtml(records.investigation.title)} — ${escapeHtml(t.title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<p class="kicker">${escapeHtml(t.title)}</p>
<h1>${user(records.investigation.title)}</h1>
<p class="meta">${escapeHtml(t.generated)}: <bdi>${escapeHtml(input.generatedAt)}</bdi> · ${escapeHtml(t.asOf)}: <bdi>${escapeHtml(input.asOf)}</bdi></p>
${profileLines(input)}
</header>
<h2>${escapeHtml(t.atAGlance)}</h2>
<div class="cards">${cards}</div>
${records.investigation.summary.trim() === '' ? '' : `<h2>${escapeHtml(t.summary)}</h2><p class="summary" dir="auto">${escapeHtml(records.investigation.summary)}</p>`}
<h2>${escapeHtml(t.figures)}</h2>
${figures}
<h2>${escapeHtml(t.findingsTitle)}</h2>
<p class="caption">${escapeHtml(t.findingsCaption)}</p>
${findingsSection(input, t, sourceNumbers)}
<h2>${escapeHtml(t.methodsTitle)}</h2>
<ol class="methods">${t.methods.map((paragraph) => `<li>${escapeHtml(paragraph)}</li>`).join('')}</ol>
${sourcesSection(input, t, sourceNumbers)}
${integrity}
</body>
</html>
`;
}
