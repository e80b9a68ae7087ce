import { useI18n } from '../../i18n/i18n';
import type { RecordField } from '../../components/record/recordDiff';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * An item's fields as the stale-edit notice and the history name them, in the user's language; `placeName` shows
 * a site or zone by its name instead of its id.
 *
 * @example const fields = useItemFields((id) => sites.find((site) => site.id === id)?.name);
 */
export function useItemFields(placeName: (id: string) => string | undefined = () => undefined): RecordField[] {
  const { t, label } = useI18n();
  const vocabulary = (group: string) => (value: unknown) => (value === null ? '' : label(group, text(value)));
  const place = (value: unknown) => (typeof value === 'string' ? (placeName(value) ?? value) : '');
  return [
    { key: 'site_id', label: t('item.site'), display: place },
    { key: 'zone_id', label: t('item.zone'), display: place },
    { key: 'external_ref', label: t('item.externalRef') },
    { key: 'category', label: t('item.category'), display: vocabulary('category') },
    { key: 'model', label: t('item.model') },
    { key: 'quantity', label: t('item.quantity') },
    { key: 'assembly_state', label: t('item.assemblyState'), display: vocabulary('assembly') },
    { key: 'condition', label: t('item.condition'), display: vocabulary('condition') },
    { key: 'production_type', label: t('item.productionType'), display: vocabulary('productionType') },
    { key: 'observations', label: t('item.observations') },
    { key: 'tags', label: t('item.tags') },
    { key: 'fuze_fitted', label: t('item.fuzeFitted'), display: vocabulary('hazardState') },
    { key: 'safety_device_fitted', label: t('item.safetyDeviceFitted'), display: vocabulary('hazardState') },
    { key: 'disposal_status', label: t('item.disposalStatus'), display: vocabulary('disposal') },
    { key: 'disposal_note', label: t('item.disposalNote') },
    { key: 'sensitivity', label: t('sensitivity.label'), display: vocabulary('sensitivityLevel') },
    { key: 'sensitivity_reason', label: t('sensitivity.reason') },
    { key: 'archive_reason', label: t('record.archive.reason') },
  ];
}

/**
 * A marking's fields as the stale-edit notice and the history name them.
 *
 * @example const fields = useMarkingFields();
 */
export function useMarkingFields(): RecordField[] {
  const { t, label } = useI18n();
  return [
    { key: 'text', label: t('marking.text') },
    { key: 'kind', label: t('marking.kind'), display: (value) => label('markingKind', text(value)) },
    { key: 'position', label: t('marking.position') },
    { key: 'script', label: t('marking.script') },
    { key: 'legibility', label: t('marking.legibility'), display: (value) => label('legibility', text(value)) },
    { key: 'sensitivity', label: t('sensitivity.label'), display: (value) => label('sensitivityLevel', text(value)) },
    { key: 'sensitivity_reason', label: t('sensitivity.reason') },
    { key: 'archive_reason', label: t('record.archive.reason') },
  ];
}
