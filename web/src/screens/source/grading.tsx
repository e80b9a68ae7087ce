import type { Source } from '../../api/client';
import { useI18n } from '../../i18n/i18n';

export const reliabilities = ['A', 'B', 'C', 'D', 'E', 'F'] as const satisfies readonly NonNullable<
  Source['reliability']
>[];
export const credibilities = [1, 2, 3, 4, 5, 6] as const;
export const sourceKinds = [
  'field_documentation',
  'media_report',
  'official_document',
  'interview',
  'other',
] as const satisfies readonly Source['kind'][];

/**
 * The Admiralty grading of a source as a badge ("B2") followed by what it means in the user's language
 * ("usually reliable, probably true"); "not graded" while either half is missing.
 */
export function Grading({ source }: { source: Pick<Source, 'reliability' | 'credibility'> }) {
  const { t, label } = useI18n();
  const meaning = [
    source.reliability === null ? undefined : label('reliability', source.reliability),
    source.credibility === null ? undefined : label('credibility', String(source.credibility)),
  ]
    .filter((part) => part !== undefined)
    .join(t('fieldError.listSeparator'));
  const code = `${source.reliability ?? '–'}${source.credibility ?? '–'}`;
  const graded = source.reliability !== null || source.credibility !== null;
  return (
    <span className="grading-with-meaning">
      <span className={`grading${graded ? '' : ' grading-none'}`} dir="ltr">
        {code}
      </span>{' '}
      <span>{graded ? meaning : t('sources.notGraded')}</span>
    </span>
  );
}
