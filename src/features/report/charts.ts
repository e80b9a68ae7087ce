/**
 * Small inline SVG charts for the report: no scripts, no external assets, so
 * the HTML prints and archives as one file. Text takes the page's font.
 */

export const palette = ['#1f5f8b', '#d9822b', '#3a8f5c', '#8e5ea2', '#c0392b', '#7f8c8d', '#b8a200', '#16a2b8'];
const AXIS = '#6b7280';
const GRID = '#e5e7eb';
const TEXT = '#1f2937';

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function svg(width: number, height: number, body: string, label: string): string {
  // Geometry is laid out left to right; a right-to-left page must not flip the text anchors.
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="direction:ltr" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

function text(x: number, y: number, content: string, attributes = '', fill = TEXT): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" fill="${fill}" ${attributes}>${escapeHtml(content)}</text>`;
}

/** Isolates a label's own direction (Unicode FSI…PDI), so a Latin name keeps its order on an Arabic chart. */
function isolate(label: string): string {
  return `\u2068${label}\u2069`;
}

/** A label that ends at x (its right edge), read left to right or right to left. */
function rightAligned(rtl: boolean): string {
  // In right-to-left text the start is the right edge.
  return rtl ? 'direction="rtl" text-anchor="start"' : 'text-anchor="end"';
}

/** A round upper bound for an axis: 1, 2, 5 × 10^n. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function ticks(max: number): number[] {
  const top = niceMax(max);
  const step = top <= 5 ? 1 : top / 5;
  const values: number[] = [];
  for (let value = 0; value <= top + 1e-9; value += step) values.push(Math.round(value * 100) / 100);
  return values;
}

export interface BarRow {
  label: string;
  value: number;
  /** Shown after the bar, e.g. "25.0%". */
  note?: string;
  color?: string;
}

/**
 * Horizontal bars with their labels, one row each. In a right-to-left
 * report the labels sit on the right and the bars grow to the left.
 */
export function horizontalBars(rows: BarRow[], options: { label: string; rtl?: boolean; width?: number }): string {
  const width = options.width ?? 640;
  const rowHeight = 26;
  const labelWidth = 190;
  const noteWidth = 110;
  const height = rows.length * rowHeight + 10;
  const barSpace = width - labelWidth - noteWidth - 10;
  const max = Math.max(...rows.map((row) => row.value), 0);
  const rtl = options.rtl === true;
  const body = rows
    .map((row, index) => {
      const y = 5 + index * rowHeight;
      const length = max === 0 ? 0 : (row.value / max) * barSpace;
      const barStart = rtl ? width - labelWidth - length : labelWidth;
      const labelX = rtl ? width - 4 : labelWidth - 8;
      const noteX = rtl ? barStart - 6 : labelWidth + length + 6;
      const label = row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label;
      return [
        text(labelX, y + 17, isolate(label), `${rightAligned(rtl)} font-size="12"`),
        `<rect x="${barStart.toFixed(1)}" y="${y + 4}" width="${Math.max(length, 0.5).toFixed(1)}" height="${rowHeight - 8}" fill="${row.color ?? palette[0]}" rx="2"/>`,
        text(
          noteX,
          y + 17,
          row.note ?? String(row.value),
          `text-anchor="${rtl ? 'end' : 'start'}" font-size="11" fill-opacity="0.85"`,
        ),
      ].join('');
    })
    .join('');
  return svg(width, height, body, options.label);
}

/**
 * Vertical columns over labelled categories (histogram bins, periods), with
 * a value axis. Numeric axes read left to right in both languages.
 */
export function columns(
  bars: { label: string; value: number }[],
  options: { label: string; xTitle?: string; yTitle?: string; width?: number; color?: string },
): string {
  const width = options.width ?? 640;
  const height = 240;
  const left = 44;
  const right = 12;
  const top = 14;
  const bottom = options.xTitle === undefined ? 34 : 52;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const axisTicks = ticks(Math.max(...bars.map((bar) => bar.value), 0));
  const top_ = axisTicks[axisTicks.length - 1]!;
  // Columns no wider than 56 px, centred: one or two periods do not fill the page.
  const slot = bars.length === 0 ? plotWidth : Math.min(plotWidth / bars.length, 80);
  const offsetX = (plotWidth - slot * bars.length) / 2;
  const parts: string[] = [];
  for (const tick of axisTicks) {
    const y = top + plotHeight - (tick / top_) * plotHeight;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${GRID}"/>`);
    parts.push(text(left - 6, y + 4, String(tick), 'text-anchor="end" font-size="10"'));
  }
  const labelEvery = Math.max(1, Math.ceil(bars.length / 14));
  bars.forEach((bar, index) => {
    const barHeight = (bar.value / top_) * plotHeight;
    const x = left + offsetX + index * slot + slot * 0.15;
    const y = top + plotHeight - barHeight;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${options.color ?? palette[0]}" rx="1.5"/>`,
    );
    if (bar.value > 0)
      parts.push(text(x + slot * 0.35, y - 3, String(bar.value), 'text-anchor="middle" font-size="10"'));
    if (index % labelEvery === 0) {
      parts.push(text(x + slot * 0.35, top + plotHeight + 15, bar.label, 'text-anchor="middle" font-size="10"'));
    }
  });
  parts.push(
    `<line x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="${AXIS}"/>`,
  );
  if (options.xTitle !== undefined) {
    parts.push(text(left + plotWidth / 2, height - 8, options.xTitle, 'text-anchor="middle" font-size="11"'));
  }
  return svg(width, height, parts.join(''), options.label);
}

/**
 * One horizontal bar per row split into coloured segments (e.g. open trace
 * requests by age band), with a legend. Mirrored in right-to-left reports.
 */
export function stackedBars(
  rows: { label: string; segments: number[] }[],
  segmentLabels: string[],
  options: { label: string; rtl?: boolean; width?: number; legendTitle?: string },
): string {
  const width = options.width ?? 640;
  const rowHeight = 26;
  const labelWidth = 190;
  const legendHeight = 28;
  const height = legendHeight + rows.length * rowHeight + 8;
  const barSpace = width - labelWidth - 50;
  const max = Math.max(...rows.map((row) => row.segments.reduce((sum, value) => sum + value, 0)), 0);
  const rtl = options.rtl === true;
  const parts: string[] = [];
  let legendX = rtl ? width - 4 : 4;
  if (options.legendTitle !== undefined) {
    parts.push(text(legendX, 16, options.legendTitle, `${rtl ? rightAligned(true) : ''} font-size="11"`));
    legendX += (rtl ? -1 : 1) * (options.legendTitle.length * 6.5 + 14);
  }
  segmentLabels.forEach((segmentLabel, index) => {
    const swatchX = rtl ? legendX - 12 : legendX;
    parts.push(`<rect x="${swatchX}" y="7" width="12" height="12" fill="${palette[index % palette.length]}" rx="2"/>`);
    parts.push(
      text(rtl ? swatchX - 5 : swatchX + 17, 17, segmentLabel, `text-anchor="${rtl ? 'end' : 'start'}" font-size="11"`),
    );
    legendX += (rtl ? -1 : 1) * (segmentLabel.length * 6.5 + 34);
  });
  rows.forEach((row, rowIndex) => {
    const y = legendHeight + rowIndex * rowHeight;
    const label = row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label;
    parts.push(text(rtl ? width - 4 : labelWidth - 8, y + 17, isolate(label), `${rightAligned(rtl)} font-size="12"`));
    let offset = 0;
    row.segments.forEach((value, index) => {
      if (value === 0) return;
      const length = max === 0 ? 0 : (value / max) * barSpace;
      const x = rtl ? width - labelWidth - offset - length : labelWidth + offset;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${palette[index % palette.length]}"/>`,
      );
      if (length > 14) {
        parts.push(text(x + length / 2, y + 17, String(value), 'text-anchor="middle" font-size="10"', '#fff'));
      }
      offset += length;
    });
    const total = row.segments.reduce((sum, value) => sum + value, 0);
    parts.push(
      text(
        rtl ? width - labelWidth - offset - 6 : labelWidth + offset + 6,
        y + 17,
        String(total),
        `text-anchor="${rtl ? 'end' : 'start'}" font-size="11"`,
      ),
    );
  });
  return svg(width, height, parts.join(''), options.label);
}

export interface MapPoint {
  latitude: number;
  longitude: number;
  value: number;
  label: string;
}

/**
 * Points on a plain latitude/longitude frame (equirectangular, scaled to the
 * points' extent): enough to see where sites cluster without map tiles.
 */
export function pointMap(points: MapPoint[], options: { label: string; width?: number }): string {
  const width = options.width ?? 640;
  const height = 300;
  const margin = 40;
  const latitudes = points.map((point) => point.latitude);
  const longitudes = points.map((point) => point.longitude);
  // At least ~1 km of extent, so a single site is not a division by zero.
  const span = Math.max(
    Math.max(...latitudes) - Math.min(...latitudes),
    Math.max(...longitudes) - Math.min(...longitudes),
    0.01,
  );
  const centerLat = (Math.max(...latitudes) + Math.min(...latitudes)) / 2;
  const centerLon = (Math.max(...longitudes) + Math.min(...longitudes)) / 2;
  const lonScale = Math.cos((centerLat * Math.PI) / 180);
  const scale = Math.min((width - 2 * margin) / (span * 1.2 * lonScale), (height - 2 * margin) / (span * 1.2));
  const project = (point: MapPoint) => ({
    x: width / 2 + (point.longitude - centerLon) * lonScale * scale,
    y: height / 2 - (point.latitude - centerLat) * scale,
  });
  const maxValue = Math.max(...points.map((point) => point.value), 1);
  const parts: string[] = [`<rect x="0" y="0" width="${width}" height="${height}" fill="#f8fafc" stroke="${GRID}"/>`];
  // A graticule at a round step, labelled in degrees.
  const step = niceMax((span * 1.2) / 4);
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  const degrees = (value: number) => `${value.toFixed(decimals)}°`;
  const fromLat = Math.floor((centerLat - height / 2 / scale) / step) * step;
  for (let lat = fromLat; lat <= centerLat + height / 2 / scale; lat += step) {
    const y = height / 2 - (lat - centerLat) * scale;
    parts.push(`<line x1="0" x2="${width}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${GRID}"/>`);
    if (y > 12 && y < height - 16) parts.push(text(4, y - 3, degrees(lat), 'font-size="9" fill-opacity="0.7"'));
  }
  const fromLon = Math.floor((centerLon - width / 2 / (lonScale * scale)) / step) * step;
  for (let lon = fromLon; lon <= centerLon + width / 2 / (lonScale * scale); lon += step) {
    const x = width / 2 + (lon - centerLon) * lonScale * scale;
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="0" y2="${height}" stroke="${GRID}"/>`);
    if (x > 40 && x < width - 40) parts.push(text(x + 3, height - 4, degrees(lon), 'font-size="9" fill-opacity="0.7"'));
  }
  for (const point of [...points].sort((a, b) => b.value - a.value)) {
    const { x, y } = project(point);
    const radius = 5 + 17 * Math.sqrt(point.value / maxValue);
    parts.push(
      `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${radius.toFixed(1)}" fill="${palette[1]}" fill-opacity="0.55" stroke="${palette[1]}"/>`,
    );
    parts.push(text(x, y + 4, String(point.value), 'text-anchor="middle" font-size="10" font-weight="bold"'));
    parts.push(text(x + radius + 4, y + 4, point.label, 'font-size="10"'));
  }
  // A scale bar: one graticule step of longitude in kilometres.
  const kilometres = step * 111.32 * lonScale;
  const barLength = step * lonScale * scale;
  parts.push(
    `<line x1="${width - 20 - barLength}" x2="${width - 20}" y1="${height - 18}" y2="${height - 18}" stroke="${AXIS}" stroke-width="2"/>`,
  );
  parts.push(
    text(
      width - 20 - barLength / 2,
      height - 23,
      `${kilometres < 10 ? kilometres.toFixed(1) : Math.round(kilometres)} km`,
      'text-anchor="middle" font-size="9"',
    ),
  );
  return svg(width, height, parts.join(''), options.label);
}
