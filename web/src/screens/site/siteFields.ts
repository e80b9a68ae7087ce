import { useI18n } from '../../i18n/i18n';
import type { RecordField } from '../../components/record/recordDiff';

/**
 * A site's fields as the stale-edit notice and the history name them, in the user's language.
 *
 * @example const fields = useSiteFields(); <StaleEditNotice fields={fields} … />
 */
export function useSiteFields(): RecordField[] {
  const { t, label } = useI18n();
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return [
    { key: 'name', label: t('site.name') },
    { key: 'site_type', label: t('site.type'), display: (value) => label('siteType', text(value)) },
    { key: 'names', label: t('site.otherNames') },
    { key: 'external_ref', label: t('site.externalRef') },
    { key: 'latitude', label: t('site.latitude') },
    { key: 'longitude', label: t('site.longitude') },
    { key: 'precision_m', label: t('site.precision') },
    { key: 'area', label: t('edit.site.area'), display: (value) => (value === null ? '' : JSON.stringify(value)) },
    { key: 'recovered_by', label: t('site.recoveredBy') },
    { key: 'recovered_on', label: t('site.recoveredOn') },
    { key: 'context', label: t('site.context') },
    { key: 'sensitivity', label: t('sensitivity.label'), display: (value) => label('sensitivityLevel', text(value)) },
    { key: 'sensitivity_reason', label: t('sensitivity.reason') },
  ];
}

/** Field labels by the API's (and the audit's) field names, for RecordHistory. */
export function labelsOf(fields: readonly RecordField[], extra: Record<string, string> = {}): Record<string, string> {
  return { ...Object.fromEntries(fields.map((field) => [field.key, field.label])), ...extra };
}
