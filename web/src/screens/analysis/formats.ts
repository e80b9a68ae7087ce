import { useMemo } from 'react';
import { type Bar } from '../../components/charts';
import { type DataColumn } from '../../components/DataTable';
import { useI18n, type I18n, type Locale } from '../../i18n/i18n';

/**
 * Formats shared by the charts of the analysis screen, in the user's language: numbers, shares, periods, country
 * names, and the bands of years and days with their plural forms.
 *
 * @example
 * analysisFormats('en', t).yearBand({ min_years: 0, max_years: 1 }) // 'under 1 year'
 */
export function analysisFormats(locale: Locale, t: I18n['t']) {
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(locale);
  const years = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const year = new Intl.NumberFormat(locale, { useGrouping: false });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  let regions: Intl.DisplayNames | undefined;
  try {
    regions = new Intl.DisplayNames([locale], { type: 'region' });
  } catch {
    regions = undefined;
  }
  return {
    percent: (share: number) => percent.format(share),
    number: (value: number) => number.format(value),
    years: (value: number | null) => (value === null ? '—' : years.format(value)),
    countWithShare: (count: number, share: number) => `${number.format(count)} (${percent.format(share)})`,
    /** 'YYYY-MM' or 'YYYY' as a month or a year of the user's calendar display. */
    period: (period: string) => {
      const [yearPart, monthPart] = period.split('-').map(Number);
      if (yearPart === undefined || Number.isNaN(yearPart)) return period;
      if (monthPart === undefined) return year.format(yearPart);
      return month.format(Date.UTC(yearPart, monthPart - 1, 1));
    },
    country: (key: string, code: string | null) => {
      if (key === 'unknown') return t('analysis.countryUnknown');
      if (key === 'contested') return t('analysis.countryContested');
      const regionCode = code ?? key;
      try {
        return regions?.of(regionCode) ?? regionCode;
      } catch {
        return regionCode;
      }
    },
    /** A band of years such as 2–5, from its bounds (the upper one exclusive). */
    yearBand: (band: { min_years: number; max_years: number | null }) =>
      band.max_years === null
        ? t('analysis.yearsAtLeast', { min: band.min_years })
        : band.min_years === 0
          ? t('analysis.yearsUnder', { max: band.max_years })
          : t('analysis.yearsRange', { min: band.min_years, max: band.max_years }),
    /** An age band label from the API ("0–30", ">365"), in the user's digits. */
    dayBand: (label: string) => {
      const range = /^(\d+)\D+(\d+)$/.exec(label);
      if (range !== null) return t('analysis.daysRange', { min: Number(range[1]), max: Number(range[2]) });
      const over = /^>\s*(\d+)$/.exec(label);
      if (over !== null) return t('analysis.daysOver', { min: Number(over[1]) });
      return label;
    },
  };
}

/** The formats of {@link analysisFormats} for the current language, kept while the language stays. */
export function useFormats() {
  const { locale, t } = useI18n();
  return useMemo(() => analysisFormats(locale, t), [locale, t]);
}

/** "Label: value; label: value" for a chart's aria-label. */
export const summarise = (title: string, bars: readonly Pick<Bar, 'labelText' | 'valueText'>[]) =>
  `${title}. ${bars.map((bar) => `${bar.labelText}: ${bar.valueText}`).join('; ')}`;

/** Items, their share and their units: the figure columns of the country and category tables. */
export function itemShareUnitColumns<Row extends { items: number; share_items: number; quantity: number }>(
  t: ReturnType<typeof useI18n>['t'],
  format: ReturnType<typeof useFormats>,
): DataColumn<Row>[] {
  return [
    { key: 'items', header: t('overview.items'), numeric: true, cell: (row) => format.number(row.items) },
    { key: 'share', header: t('analysis.share'), numeric: true, cell: (row) => format.percent(row.share_items) },
    { key: 'units', header: t('overview.units'), numeric: true, cell: (row) => format.number(row.quantity) },
  ];
}

export const confidenceColours = { confirmed: 1, probable: 2, possible: 3 } as const;
export const productionColours = { factory: 1, craft: 4, unknown: 5 } as const;
