import { useId, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { TableScroll } from './TableScroll';

// Charts drawn with plain elements and CSS logical properties: bars grow from the
// inline start, so in Arabic they grow from the right and time runs right to left,
// like the text around them. Each chart is one image to assistive technology (its
// aria-label says what it shows) and comes with the same figures as a table.

export interface Segment {
  /** A class of the `chart-colour-*` palette, shared with the legend. */
  colour: number;
  value: number;
  label: string;
}

export interface Bar {
  key: string;
  label: ReactNode;
  /** The label as plain text, for the chart's accessible summary. */
  labelText: string;
  value: number;
  /** The value as shown beside the bar, e.g. "12 (40 %)". */
  valueText: string;
  /** Parts of the bar, when it is split (e.g. by production type); they should add up to `value`. */
  segments?: Segment[];
  /** The colour of a bar that is not split. */
  colour?: number;
}

const percentOf = (value: number, max: number) => (max <= 0 ? 0 : Math.max(0, Math.min(100, (value / max) * 100)));

/** The chart, its accessible summary, a legend when bars are split, and the table behind it. */
export function ChartFigure({
  title,
  summary,
  legend,
  table,
  children,
  testId,
}: {
  title: string;
  summary: string;
  legend?: { colour: number; label: string }[];
  table: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  const captionId = useId();
  return (
    <figure className="chart-figure" aria-labelledby={captionId} data-testid={testId}>
      <figcaption id={captionId}>{title}</figcaption>
      <div className="chart" role="img" aria-label={summary}>
        {children}
      </div>
      {legend !== undefined && legend.length > 0 && (
        <ul className="chart-legend" aria-hidden="true">
          {legend.map((entry) => (
            <li key={entry.colour}>
              <span className={`chart-swatch chart-colour-${entry.colour}`} />
              {entry.label}
            </li>
          ))}
        </ul>
      )}
      <details className="chart-table">
        <summary>{t('analysis.showTable')}</summary>
        <TableScroll label={title}>{table}</TableScroll>
      </details>
    </figure>
  );
}

/** Horizontal bars, longest first as given; `max` fixes the scale (defaults to the largest value). */
export function BarChart({ bars, max }: { bars: readonly Bar[]; max?: number }) {
  const scale = max ?? Math.max(0, ...bars.map((bar) => bar.value));
  return (
    <div className="bar-chart" aria-hidden="true">
      {bars.map((bar) => (
        <div key={bar.key} className="bar-row">
          <span className="bar-label">{bar.label}</span>
          <span className="bar-track">
            <span className="bar" style={{ inlineSize: `${percentOf(bar.value, scale)}%` }}>
              {(bar.segments ?? [{ colour: bar.colour ?? 0, value: bar.value, label: '' }]).map((segment, index) =>
                segment.value <= 0 ? null : (
                  <span
                    key={index}
                    className={`bar-segment chart-colour-${segment.colour}`}
                    style={{ flexGrow: segment.value }}
                  />
                ),
              )}
            </span>
          </span>
          <span className="bar-value">{bar.valueText}</span>
        </div>
      ))}
    </div>
  );
}

export interface Column {
  key: string;
  label: string;
  value: number;
  valueText: string;
}

/** Vertical columns in order (time or bins), each with its value above and its label below. */
export function ColumnChart({ columns }: { columns: readonly Column[] }) {
  const scale = Math.max(0, ...columns.map((column) => column.value));
  return (
    <div className="column-chart" aria-hidden="true">
      {columns.map((column) => (
        <div key={column.key} className="column">
          <span className="column-value">{column.valueText}</span>
          <span className="column-track">
            <span className="column-bar chart-colour-0" style={{ blockSize: `${percentOf(column.value, scale)}%` }} />
          </span>
          <span className="column-label">{column.label}</span>
        </div>
      ))}
    </div>
  );
}
