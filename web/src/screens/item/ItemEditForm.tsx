import { useRef, useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, readAllPages } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { assemblyStates, conditions, hazardStates, itemCategories, productionTypes } from '../../api/vocabulary';
import { FirstInvalidButton } from '../../components/FirstInvalidButton';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { useVersionedEdit } from '../../components/record/useVersionedEdit';
import { ErrorNotice, Field, VocabularySelect, type ControlProps } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { readItem, type ItemRecord } from './itemApi';
import { itemChangeOf, itemDraftOf, type ItemEditDraft } from './itemDraft';
import { useItemFields } from './itemFields';
import { SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import { useSensitivitySettings } from '../../components/sensitivity/useSensitivitySettings';
import type { SensitivityDraft } from '../../components/sensitivity/sensitivityDraft';

const placed = [
  'site_id',
  'zone_id',
  'external_ref',
  'category',
  'model',
  'quantity',
  'assembly_state',
  'condition',
  'production_type',
  'observations',
  'fuze_fitted',
  'safety_device_fitted',
  'sensitivity',
  'sensitivity_reason',
];

/**
 * Edits every field of an item (its site and zone, identification, state, hazard state, observations and tags;
 * the disposal status has its own form). Only the changed fields are sent, on the version the form was filled
 * from; a stale save shows both versions and overwrites nothing.
 */
export function ItemEditForm({
  item,
  onSaved,
  onCancel,
  onReload,
}: {
  item: ItemRecord;
  onSaved: () => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const { t } = useI18n();
  const [base, setBase] = useState(item);
  const [draft, setDraft] = useState<ItemEditDraft>(() => itemDraftOf(item));
  const [quantityUnreadable, setQuantityUnreadable] = useState(false);
  const [reasonMissing, setReasonMissing] = useState(false);
  const settings = useSensitivitySettings(item.investigation_id);
  const [nothingChanged, setNothingChanged] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const sites = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/sites', {
              params: { path: { id: item.investigation_id }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows,
    [item.investigation_id],
  );
  const zones = useLoad(
    () =>
      draft.site_id === ''
        ? Promise.resolve(undefined)
        : call(api.GET('/api/v1/sites/{id}/zones', { params: { path: { id: draft.site_id }, query: { limit: 500 } } })),
    [draft.site_id],
  );
  const placeName = (id: string) =>
    sites.data?.find((site) => site.id === id)?.name ?? zones.data?.items.find((zone) => zone.id === id)?.name;
  const fields = useItemFields(placeName).filter((field) => field.key !== 'archive_reason');
  const edit = useVersionedEdit({
    version: item.version,
    send: (body) => call(api.PATCH('/api/v1/items/{id}', { params: { path: { id: item.id } }, body })),
    readCurrent: () => readItem(item.id),
    onSaved,
    onUseCurrent: (current) => {
      setBase(current);
      setDraft(itemDraftOf(current));
      onReload();
    },
  });
  const updateSensitivity = (sensitivity: SensitivityDraft) => {
    setNothingChanged(false);
    setReasonMissing(false);
    setDraft((previous) => ({ ...previous, sensitivity }));
  };
  const update = (key: Exclude<keyof ItemEditDraft, 'sensitivity'>, value: string) => {
    setNothingChanged(false);
    if (key === 'quantity') setQuantityUnreadable(false);
    // A zone belongs to one site: moving the item leaves the zone to be chosen again.
    setDraft((previous) => ({ ...previous, [key]: value, ...(key === 'site_id' ? { zone_id: '' } : {}) }));
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const change = itemChangeOf(base, draft);
    if (!change.ok) {
      if (change.problem === 'quantity_unreadable') setQuantityUnreadable(true);
      else setReasonMissing(true);
      return;
    }
    if (Object.keys(change.changes).length === 0) {
      setNothingChanged(true);
      return;
    }
    await edit.save(change.changes);
  };

  const errors = fieldErrors(edit.error, (problem) => fieldErrorMessage(t, problem));
  const tagsError = Object.entries(errors).find(([field]) => field === 'tags' || field.startsWith('tags.'))?.[1];
  const unplaced = Object.keys(errors).some((field) => !placed.includes(field) && !field.startsWith('tags'));
  const refused = quantityUnreadable || reasonMissing || Object.keys(errors).length > 0;
  const select = (
    key: Exclude<keyof ItemEditDraft, 'sensitivity'>,
    group: string,
    values: readonly string[],
    allowEmpty = true,
  ) =>
    function Select(control: ControlProps) {
      return (
        <VocabularySelect
          control={control}
          group={group}
          values={values}
          value={draft[key]}
          allowEmpty={allowEmpty}
          onChange={(value) => update(key, value)}
        />
      );
    };
  const text = (key: Exclude<keyof ItemEditDraft, 'sensitivity'>, autoFocus = false) =>
    function Text(control: ControlProps) {
      return (
        <input
          {...control}
          dir="auto"
          autoFocus={autoFocus}
          value={draft[key]}
          onChange={(event) => update(key, event.target.value)}
        />
      );
    };

  return (
    <form
      ref={formRef}
      className="card record-edit item-edit"
      aria-labelledby="item-edit-title"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="item-edit-title">{t('edit.item.title')}</h3>
      <div className="field-grid">
        <Field label={t('item.category')} error={errors.category}>
          {select('category', 'category', itemCategories, false)}
        </Field>
        <Field label={t('item.model')} error={errors.model}>
          {text('model', true)}
        </Field>
        <Field
          label={t('item.quantity')}
          error={quantityUnreadable ? t('capture.quantityUnreadable') : errors.quantity}
        >
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              dir="ltr"
              value={draft.quantity}
              onChange={(event) => update('quantity', event.target.value)}
            />
          )}
        </Field>
        <Field label={t('item.externalRef')} error={errors.external_ref} hint={t('capture.externalRefHint')}>
          {text('external_ref')}
        </Field>
        <Field label={t('item.site')} error={errors.site_id}>
          {(control) => (
            <select {...control} value={draft.site_id} onChange={(event) => update('site_id', event.target.value)}>
              {/* The item's own site stays offered while the list loads, and if it is archived. */}
              {sites.data?.some((site) => site.id === base.site_id) !== true && (
                <option value={base.site_id ?? ''}>
                  {base.site_id === null ? t('item.siteHidden') : (placeName(base.site_id) ?? t('item.site'))}
                </option>
              )}
              {sites.data?.map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('item.zone')} error={errors.zone_id}>
          {(control) => (
            <select {...control} value={draft.zone_id} onChange={(event) => update('zone_id', event.target.value)}>
              <option value="">{t('edit.item.noZone')}</option>
              {draft.zone_id !== '' && zones.data?.items.some((zone) => zone.id === draft.zone_id) !== true && (
                <option value={draft.zone_id}>{t('item.zone')}</option>
              )}
              {zones.data?.items.map((zone) => (
                <option key={zone.id} value={zone.id}>
                  {zone.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('item.condition')} error={errors.condition}>
          {select('condition', 'condition', conditions)}
        </Field>
        <Field label={t('item.assemblyState')} error={errors.assembly_state}>
          {select('assembly_state', 'assembly', assemblyStates)}
        </Field>
        <Field label={t('item.productionType')} error={errors.production_type}>
          {select('production_type', 'productionType', productionTypes, false)}
        </Field>
        <Field label={t('item.fuzeFitted')} error={errors.fuze_fitted}>
          {select('fuze_fitted', 'hazardState', hazardStates)}
        </Field>
        <Field label={t('item.safetyDeviceFitted')} error={errors.safety_device_fitted}>
          {select('safety_device_fitted', 'hazardState', hazardStates)}
        </Field>
      </div>
      <Field label={t('item.observations')} error={errors.observations}>
        {(control) => (
          <textarea
            {...control}
            dir="auto"
            rows={3}
            value={draft.observations}
            onChange={(event) => update('observations', event.target.value)}
          />
        )}
      </Field>
      <Field label={t('item.tags')} error={tagsError} hint={t('edit.item.tagsHint')}>
        {text('tags')}
      </Field>
      <SensitivityFields
        mode="edit"
        draft={draft.sensitivity}
        onChange={updateSensitivity}
        clearance={settings.data?.clearance}
        error={errors.sensitivity}
        reasonError={reasonMissing ? t('fieldError.sensitivity_reason_required') : errors.sensitivity_reason}
      />
      {edit.conflict !== undefined && (
        <StaleEditNotice
          fields={fields}
          mine={edit.conflict.mine}
          current={edit.conflict.current}
          onUseCurrent={edit.useCurrent}
          onApplyMine={() => void edit.applyMine()}
          busy={edit.busy}
        />
      )}
      <div className="actions form-actions">
        <div className="save-status" aria-live="assertive">
          {refused && (
            <p className="notice notice-error">
              {t('edit.notSaved')} <FirstInvalidButton form={formRef} />
            </p>
          )}
          {edit.error !== undefined && (unplaced || Object.keys(errors).length === 0) && (
            <ErrorNotice error={edit.error} />
          )}
          {nothingChanged && <p className="notice notice-warning">{t('edit.nothingChanged')}</p>}
        </div>
        <button type="submit" className="button-primary" disabled={edit.busy}>
          {t('edit.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
