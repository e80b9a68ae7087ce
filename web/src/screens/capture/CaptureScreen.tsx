import { useRef, type KeyboardEvent, type SubmitEvent } from 'react';
import { api, call, fieldErrors } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { PhotoUpload } from '../../components/PhotoUpload';
import { ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import type { CarriedField } from './carryOver';
import { placeErrors } from './captureRequest';
import {
  HazardFieldset,
  IdentificationFieldset,
  NotesFieldset,
  SensitivityFieldset,
  StateFieldset,
} from './ItemFieldsets';
import { useSensitivitySettings } from '../../components/sensitivity/useSensitivitySettings';
import { MarkingRows } from './MarkingRows';
import { SaveBar } from './SaveBar';
import { useCaptureDraft } from './useCaptureDraft';
import { useMarkingRows } from './useMarkingRows';
import { useSaveItem } from './useSaveItem';

/** Describing the items found at a site, one after the other, keyboard first ("Save and add another like this"). */
export function ItemCapturePage({ investigationId, siteId }: { investigationId: string; siteId: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('capture.title'));
  const site = useLoad(() => call(api.GET('/api/v1/sites/{id}', { params: { path: { id: siteId } } })), [siteId]);
  const zones = useLoad(
    () => call(api.GET('/api/v1/sites/{id}/zones', { params: { path: { id: siteId }, query: { limit: 500 } } })),
    [siteId],
  );
  const form = useCaptureDraft();
  const sensitivitySettings = useSensitivitySettings(investigationId);
  const rows = useMarkingRows(form);
  const categoryRef = useRef<HTMLSelectElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const saving = useSaveItem({
    investigationId,
    siteId,
    form,
    // The next item starts at its first marking (what differs from one item to the next), or its category.
    onNextItem: (next) => {
      const firstMarking = next.draft.markings[0];
      if (firstMarking === undefined) categoryRef.current?.focus();
      else rows.focusMarking(firstMarking.key);
    },
  });
  /** The badge text of a field still showing a value carried over from the previous item. */
  const carried = (field: CarriedField) => (form.isCarried(field) ? t('capture.carriedOver') : undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = event.nativeEvent.submitter;
    void saving.save(submitter?.getAttribute('value') === 'another');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter') return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      void saving.save(event.shiftKey);
      return;
    }
    // Enter in an ordinary field does not save a half-described item: only the save buttons submit (the marking
    // rows handle Enter themselves, moving to the next marking).
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type !== 'submit' && target.type !== 'button') {
      event.preventDefault();
    }
  };

  // Server errors by field; marking errors come back as markings.<index>.<field> of the rows sent.
  const errors = fieldErrors(saving.error, (problem) => fieldErrorMessage(t, problem));
  const { markingError, tagsError, unplacedErrors } = placeErrors(errors, saving.errorMarkingKeys);

  if (site.error !== undefined) return <ErrorNotice error={site.error} />;
  if (site.data === undefined) return <Loading />;

  const fieldset = { form, errors, carried };
  return (
    <div className="page capture">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.site(investigationId, siteId)}>
            <UserText text={site.data.name} />
          </Link>
        </p>
        <h1>{t('capture.title')}</h1>
        <p className="muted" id="capture-shortcuts">
          {t('capture.shortcuts')}
        </p>
      </header>

      <form
        ref={formRef}
        className="capture-form"
        noValidate
        onSubmit={onSubmit}
        onKeyDown={onKeyDown}
        aria-describedby="capture-shortcuts"
        aria-busy={saving.busy}
      >
        {form.capture.carried.size > 0 && <p className="field-hint">{t('capture.carriedOverHint')}</p>}
        <IdentificationFieldset {...fieldset} zones={zones.data?.items ?? []} categoryRef={categoryRef} />
        <StateFieldset {...fieldset} />
        <HazardFieldset {...fieldset} />
        <MarkingRows investigationId={investigationId} form={form} rows={rows} markingError={markingError} />
        <NotesFieldset {...fieldset} tagsError={tagsError} />
        <SensitivityFieldset {...fieldset} settings={sensitivitySettings.data} />
        <fieldset>
          <legend>{t('photos.title')}</legend>
          <p className="field-hint">{t('capture.photosHint')}</p>
          <PhotoUpload
            key={saving.photoUploadKey}
            investigationId={investigationId}
            onUploaded={saving.onPhotoUploaded}
            onBusyChange={saving.onPhotosBusyChange}
          />
        </fieldset>
        <SaveBar
          investigationId={investigationId}
          siteId={siteId}
          saving={saving}
          form={formRef}
          errors={errors}
          unplacedErrors={unplacedErrors}
          refusedOnDevice={form.quantityUnreadable || form.sensitivityReasonMissing}
        />
      </form>
    </div>
  );
}
