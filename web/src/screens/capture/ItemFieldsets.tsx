import type { Ref } from 'react';
import type { Zone } from '../../api/client';
import {
  assemblyStates,
  conditions,
  disposalStatuses,
  hazardStates,
  itemCategories,
  productionTypes,
} from '../../api/vocabulary';
import { Field, VocabularySelect } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import type { SensitivitySettings } from '../../components/sensitivity/useSensitivitySettings';
import type { CarriedField } from './carryOver';
import type { CaptureDraft } from './useCaptureDraft';

/** What every fieldset of the capture form is given. */
export interface FieldsetProps {
  form: CaptureDraft;
  /** The server's errors by field. */
  errors: Record<string, string | undefined>;
  /** The badge text of a field still showing a value carried over from the previous item. */
  carried: (field: CarriedField) => string | undefined;
}

export function IdentificationFieldset({
  form,
  errors,
  carried,
  zones,
  categoryRef,
}: FieldsetProps & { zones: Zone[]; categoryRef: Ref<HTMLSelectElement> }) {
  const { t } = useI18n();
  const { draft, update } = form;
  return (
    <fieldset>
      <legend>{t('capture.identification')}</legend>
      <div className="field-grid">
        <Field label={t('item.category')} error={errors.category} carried={carried('category')}>
          {(control) => (
            <VocabularySelect
              control={control}
              selectRef={categoryRef}
              autoFocus
              group="category"
              values={itemCategories}
              value={draft.category}
              allowEmpty
              emptyLabel={t('capture.chooseCategory')}
              onChange={(value) => update('category', value)}
            />
          )}
        </Field>
        <div aria-live="polite" className="category-cleared">
          {form.categoryCleared && <p className="notice notice-warning">{t('capture.categoryChangedCleared')}</p>}
        </div>
        <Field label={t('item.model')} error={errors.model} carried={carried('model')}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={draft.model}
              onChange={(event) => update('model', event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t('item.quantity')}
          error={form.quantityUnreadable ? t('capture.quantityUnreadable') : errors.quantity}
          carried={carried('quantity')}
        >
          {(control) => (
            <input
              {...control}
              // Text, not number: a number field drops digits of other scripts (٤٠).
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={draft.quantity}
              onChange={(event) => update('quantity', event.target.value)}
            />
          )}
        </Field>
        <Field label={t('item.externalRef')} error={errors.external_ref} hint={t('capture.externalRefHint')}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={draft.external_ref}
              onChange={(event) => update('external_ref', event.target.value)}
            />
          )}
        </Field>
        <Field label={t('item.zone')} error={errors.zone_id} carried={carried('zone_id')}>
          {(control) => (
            <select {...control} value={draft.zone_id} onChange={(event) => update('zone_id', event.target.value)}>
              <option value="">{t('capture.noZone')}</option>
              {zones.map((zone) => (
                <option key={zone.id} value={zone.id} dir="auto">
                  {zone.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </fieldset>
  );
}

export function StateFieldset({ form, errors, carried }: FieldsetProps) {
  const { t } = useI18n();
  const { draft, update } = form;
  return (
    <fieldset>
      <legend>{t('capture.state')}</legend>
      <div className="field-grid">
        <Field label={t('item.condition')} error={errors.condition} carried={carried('condition')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="condition"
              values={conditions}
              value={draft.condition}
              allowEmpty
              onChange={(value) => update('condition', value)}
            />
          )}
        </Field>
        <Field label={t('item.assemblyState')} error={errors.assembly_state} carried={carried('assembly_state')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="assembly"
              values={assemblyStates}
              value={draft.assembly_state}
              allowEmpty
              onChange={(value) => update('assembly_state', value)}
            />
          )}
        </Field>
        <Field label={t('item.productionType')} error={errors.production_type} carried={carried('production_type')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="productionType"
              values={productionTypes}
              value={draft.production_type}
              onChange={(value) => update('production_type', value)}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}

export function HazardFieldset({ form, errors, carried }: FieldsetProps) {
  const { t } = useI18n();
  const { draft, update } = form;
  return (
    <fieldset>
      <legend>{t('capture.hazard')}</legend>
      <p className="field-hint">{t('capture.hazardHint')}</p>
      <div className="field-grid">
        <Field label={t('item.fuzeFitted')} error={errors.fuze_fitted} carried={carried('fuze_fitted')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="hazardState"
              values={hazardStates}
              value={draft.fuze_fitted}
              allowEmpty
              onChange={(value) => update('fuze_fitted', value)}
            />
          )}
        </Field>
        <Field
          label={t('item.safetyDeviceFitted')}
          error={errors.safety_device_fitted}
          carried={carried('safety_device_fitted')}
        >
          {(control) => (
            <VocabularySelect
              control={control}
              group="hazardState"
              values={hazardStates}
              value={draft.safety_device_fitted}
              allowEmpty
              onChange={(value) => update('safety_device_fitted', value)}
            />
          )}
        </Field>
        <Field label={t('item.disposalStatus')} error={errors.disposal_status} carried={carried('disposal_status')}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="disposal"
              values={disposalStatuses}
              value={draft.disposal_status}
              onChange={(value) => update('disposal_status', value)}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}

export function NotesFieldset({ form, errors, carried, tagsError }: FieldsetProps & { tagsError: string | undefined }) {
  const { t } = useI18n();
  const { draft, update } = form;
  return (
    <fieldset>
      <legend>{t('capture.notes')}</legend>
      <Field label={t('item.observations')} error={errors.observations} hint={t('capture.observationsHint')}>
        {(control) => (
          <textarea
            {...control}
            dir="auto"
            rows={4}
            value={draft.observations}
            onChange={(event) => update('observations', event.target.value)}
          />
        )}
      </Field>
      <Field label={t('item.tags')} error={tagsError} hint={t('capture.tagsHint')} carried={carried('tags')}>
        {(control) => (
          <input {...control} dir="auto" value={draft.tags} onChange={(event) => update('tags', event.target.value)} />
        )}
      </Field>
    </fieldset>
  );
}

/** Who may see the item: the investigation's default unless chosen; restricted with its reason. */
export function SensitivityFieldset({
  form,
  errors,
  settings,
}: FieldsetProps & { settings: SensitivitySettings | undefined }) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend>{t('sensitivity.label')}</legend>
      <p className="field-hint">{t('capture.sensitivityHint')}</p>
      <SensitivityFields
        mode="create"
        label={t('sensitivity.whoMaySee')}
        draft={form.sensitivity}
        onChange={form.setSensitivity}
        defaultLevel={settings?.default_sensitivity}
        clearance={settings?.clearance}
        error={errors.sensitivity}
        reasonError={
          form.sensitivityReasonMissing ? t('fieldError.sensitivity_reason_required') : errors.sensitivity_reason
        }
      />
    </fieldset>
  );
}
