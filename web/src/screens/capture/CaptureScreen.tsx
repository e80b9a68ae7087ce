import { flushSync } from 'react-dom';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { useEffect, useRef, useState, type SubmitEvent, type KeyboardEvent } from 'react';
import { api, call, fieldErrors, type NewItem, type NewMarking, type UploadedMedia } from '../../api/client';
import {
  assemblyStates,
  conditions,
  disposalStatuses,
  hazardStates,
  itemCategories,
  markingKinds,
  productionTypes,
} from '../../api/vocabulary';
import { CharacterPalette } from '../../components/CharacterPalette';
import { FirstInvalidButton } from '../../components/FirstInvalidButton';
import { PhotoUpload } from '../../components/PhotoUpload';
import { SeenElsewhere } from '../../components/SeenElsewhere';
import { ErrorNotice, Field, Loading, UserText, VocabularySelect } from '../../components/ui';
import { parseWholeNumber } from '../../../../src/parsing/numbers.js';
import {
  editField,
  editMarking,
  freshCapture,
  likeThis,
  newMarking,
  type CaptureState,
  type CarriedField,
  type ItemDraft,
  type MarkingDraft,
} from './carryOver';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { linkPhotoOrQueue, saveOrQueue } from '../../offline/save';
import { Link, navigate, paths } from '../../router';

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** Sends a new item with its markings. One function, so the offline outbox can wrap it. */
async function saveItem(investigationId: string, body: NewItem, label: string) {
  // Kept on the device (encrypted) when the server cannot be reached; the photos follow it.
  const { record } = await saveOrQueue({
    type: 'item.create',
    investigationId,
    body,
    label,
    rest: () =>
      call(api.POST('/api/v1/investigations/{id}/items', { params: { path: { id: investigationId } }, body })),
  });
  return record;
}

type RequestOrProblem = { body: NewItem; markingKeys: number[] } | { quantityUnreadable: true };

function toRequestBody(siteId: string, draft: ItemDraft): RequestOrProblem {
  // Digits of any script; what is not a whole number is refused here, never sent as something else.
  const quantity = parseWholeNumber(draft.quantity);
  if (quantity === undefined) return { quantityUnreadable: true };
  // Rows left blank are not markings; the keys let server errors find their row again.
  const sent = draft.markings.filter((marking) => marking.text !== '');
  const body = {
    site_id: siteId,
    zone_id: orNull(draft.zone_id),
    external_ref: orNull(draft.external_ref),
    category: draft.category as NewItem['category'],
    model: orNull(draft.model),
    quantity,
    condition: orNull(draft.condition) as NewItem['condition'],
    assembly_state: orNull(draft.assembly_state) as NewItem['assembly_state'],
    production_type: draft.production_type as NewItem['production_type'],
    observations: draft.observations,
    tags: draft.tags
      .split(/[,،\n]/)
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
    // Not recorded: the server decides (unknown for fuzed categories).
    fuze_fitted: draft.fuze_fitted === '' ? undefined : (draft.fuze_fitted as NewItem['fuze_fitted']),
    safety_device_fitted: orNull(draft.safety_device_fitted) as NewItem['safety_device_fitted'],
    disposal_status: draft.disposal_status as NewItem['disposal_status'],
    markings: sent.map((marking) => ({
      text: marking.text,
      kind: marking.kind as NewMarking['kind'],
      position: orNull(marking.position),
    })),
  } satisfies NewItem;
  return { body, markingKeys: sent.map((marking) => marking.key) };
}

interface Saved {
  id: string;
  label: string;
}

/**
 * "Small arm · AKM · KBD-٠١-A": each part isolated in its own direction, so a Latin marking with Arabic-Indic
 * digits is not reordered by the Arabic category before it.
 */
function LabelParts({ label }: { label: string }) {
  return label.split(' · ').map((part, index) => (
    <span key={index}>
      {index > 0 && ' · '}
      <bdi dir="auto">{part}</bdi>
    </span>
  ));
}

export function ItemCapturePage({ investigationId, siteId }: { investigationId: string; siteId: string }) {
  const { t, label } = useI18n();
  useDocumentTitle(t('capture.title'));
  const site = useLoad(() => call(api.GET('/api/v1/sites/{id}', { params: { path: { id: siteId } } })), [siteId]);
  const zones = useLoad(
    () => call(api.GET('/api/v1/sites/{id}/zones', { params: { path: { id: siteId }, query: { limit: 500 } } })),
    [siteId],
  );
  const [capture, setCapture] = useState<CaptureState>(freshCapture);
  const draft = capture.draft;
  const setDraft = (change: (previous: ItemDraft) => ItemDraft) =>
    setCapture((previous) => ({ ...previous, draft: change(previous.draft) }));
  const [categoryCleared, setCategoryCleared] = useState(false);
  const [quantityUnreadable, setQuantityUnreadable] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [errorMarkingKeys, setErrorMarkingKeys] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Saved[]>([]);
  const [photos, setPhotos] = useState<UploadedMedia[]>([]);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [photoUploadKey, setPhotoUploadKey] = useState(0);
  const [waitingForPhotos, setWaitingForPhotos] = useState(false);
  const [linkError, setLinkError] = useState<{ error: unknown; item: Saved } | undefined>(undefined);
  const [activeMarkingKey, setActiveMarkingKey] = useState<number | undefined>(undefined);
  const categoryRef = useRef<HTMLSelectElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const markingInputs = useRef(new Map<number, HTMLInputElement>());
  const lastMarkingKey = useRef<number | undefined>(undefined);

  const update = <Key extends Exclude<keyof ItemDraft, 'markings'>>(key: Key, value: ItemDraft[Key]) => {
    const result = editField(capture, key, value);
    setCapture({ draft: result.draft, carried: result.carried });
    if (key === 'category') setCategoryCleared(result.cleared.length > 0);
    if (key === 'quantity') setQuantityUnreadable(false);
  };
  const updateMarking = (key: number, change: Partial<Pick<MarkingDraft, 'text' | 'kind' | 'position'>>) =>
    setCapture((previous) => editMarking(previous, key, change));
  /** The badge text of a field still showing a value carried over from the previous item. */
  const carried = (field: CarriedField) => (capture.carried.has(field) ? t('capture.carriedOver') : undefined);

  // A marking row is focused once it is rendered: after a save its row is new, and React may not have drawn it by
  // the next frame (then the focus would stay on the disabled save button, i.e. be lost for a keyboard user).
  const pendingMarkingFocus = useRef<number | undefined>(undefined);
  const applyPendingFocus = () => {
    const key = pendingMarkingFocus.current;
    const input = key === undefined ? undefined : markingInputs.current.get(key);
    if (input === undefined) return;
    pendingMarkingFocus.current = undefined;
    input.focus();
  };
  useEffect(() => applyPendingFocus());
  const focusMarking = (key: number) => {
    pendingMarkingFocus.current = key;
    requestAnimationFrame(applyPendingFocus);
  };

  const addMarking = () => {
    const last = draft.markings[draft.markings.length - 1];
    const added = newMarking(last?.kind, '');
    setDraft((previous) => ({ ...previous, markings: [...previous.markings, added] }));
    focusMarking(added.key);
  };

  const removeMarking = (key: number) => {
    const index = draft.markings.findIndex((marking) => marking.key === key);
    const remaining = draft.markings.filter((marking) => marking.key !== key);
    setDraft((previous) => ({ ...previous, markings: remaining }));
    const neighbour = remaining[Math.min(index, remaining.length - 1)];
    if (neighbour !== undefined) focusMarking(neighbour.key);
  };

  const insertCharacter = (character: string) => {
    const key = lastMarkingKey.current ?? draft.markings[0]?.key;
    const input = key === undefined ? undefined : markingInputs.current.get(key);
    if (key === undefined || input === undefined) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    // Rendered at once so the caret can be placed before the next key press arrives.
    flushSync(() =>
      updateMarking(key, { text: `${input.value.slice(0, start)}${character}${input.value.slice(end)}` }),
    );
    // The caret moves past the inserted character; the focus stays where it is (field or palette).
    input.setSelectionRange(start + character.length, start + character.length);
  };

  /** Links the photos uploaded while the item was described; they were sent before it had an id. */
  const linkPhotos = async (itemId: string, itemLabel: string) => {
    for (const photo of photos) {
      const photoLabel = (photo as { original_filename?: string | null }).original_filename ?? itemLabel;
      await linkPhotoOrQueue(photo, itemId, investigationId, photoLabel, () =>
        call(api.POST('/api/v1/media/{id}/links', { params: { path: { id: photo.id } }, body: { item_id: itemId } })),
      );
    }
  };

  const save = async (andAnother: boolean) => {
    if (busy) return;
    if (photosBusy) {
      setWaitingForPhotos(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    setLinkError(undefined);
    setWaitingForPhotos(false);
    setCategoryCleared(false);
    const request = toRequestBody(siteId, draft);
    if ('quantityUnreadable' in request) {
      setQuantityUnreadable(true);
      setBusy(false);
      return;
    }
    const { body, markingKeys } = request;
    setErrorMarkingKeys(markingKeys);
    try {
      const item = await saveItem(
        investigationId,
        body,
        [label('category', body.category), body.model, body.markings?.[0]?.text].filter(Boolean).join(' · '),
      );
      const itemLabel = [label('category', item.category), item.model, item.markings[0]?.text]
        .filter((part) => part !== null && part !== undefined)
        .join(' · ');
      let photosLinked = true;
      try {
        await linkPhotos(item.id, itemLabel);
      } catch (caught) {
        // The item is saved, only its photos are not attached: stay, say so, and start the next item.
        photosLinked = false;
        setLinkError({ error: caught, item: { id: item.id, label: itemLabel } });
      }
      setPhotos([]);
      setPhotoUploadKey((key) => key + 1);
      if (!andAnother && photosLinked) {
        navigate(paths.item(investigationId, item.id));
        return;
      }
      setSaved((previous) => [{ id: item.id, label: itemLabel }, ...previous]);
      const next = likeThis(draft);
      setCapture(next);
      const firstMarking = next.draft.markings[0];
      if (firstMarking === undefined) categoryRef.current?.focus();
      else focusMarking(firstMarking.key);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = event.nativeEvent.submitter;
    void save(submitter?.getAttribute('value') === 'another');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter') return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      void save(event.shiftKey);
      return;
    }
    // Enter in an ordinary field does not save a half-described item: only the save buttons submit (the marking
    // rows handle Enter themselves, moving to the next marking).
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type !== 'submit' && target.type !== 'button') {
      event.preventDefault();
    }
  };

  /** Enter in a marking's position moves to the next marking's text, adding a row after the last one. */
  const nextMarkingFrom = (key: number) => {
    const index = draft.markings.findIndex((marking) => marking.key === key);
    const next = draft.markings[index + 1];
    if (next === undefined) addMarking();
    else focusMarking(next.key);
  };

  // Server errors by field; marking errors come back as markings.<index>.<field> of the rows sent.
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  const markingError = (key: number, field: string): string | undefined => {
    const index = errorMarkingKeys.indexOf(key);
    return index === -1 ? undefined : errors[`markings.${index}.${field}`];
  };
  const tagsError = Object.entries(errors).find(([field]) => field === 'tags' || field.startsWith('tags.'))?.[1];
  const placedFields = [
    'zone_id',
    'external_ref',
    'category',
    'model',
    'quantity',
    'condition',
    'assembly_state',
    'production_type',
    'observations',
    'fuze_fitted',
    'safety_device_fitted',
    'disposal_status',
  ];
  const unplacedErrors = Object.entries(errors).filter(
    ([field]) => !placedFields.includes(field) && !field.startsWith('tags') && !/^markings\.\d+\./.test(field),
  );

  if (site.error !== undefined) return <ErrorNotice error={site.error} />;
  if (site.data === undefined) return <Loading />;

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
        aria-busy={busy}
      >
        {capture.carried.size > 0 && <p className="field-hint">{t('capture.carriedOverHint')}</p>}

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
              {categoryCleared && <p className="notice notice-warning">{t('capture.categoryChangedCleared')}</p>}
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
              error={quantityUnreadable ? t('capture.quantityUnreadable') : errors.quantity}
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
                  {(zones.data?.items ?? []).map((zone) => (
                    <option key={zone.id} value={zone.id} dir="auto">
                      {zone.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>

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

        <fieldset className="markings-fieldset">
          <legend>{t('capture.markings')}</legend>
          <p className="field-hint">{t('capture.markingsHint')}</p>
          <ol className="marking-rows">
            {draft.markings.map((marking, index) => (
              <li key={marking.key} className="marking-row" data-testid="marking-row">
                <Field
                  label={t('capture.markingText', { number: index + 1 })}
                  error={markingError(marking.key, 'text')}
                  className="marking-text"
                >
                  {(control) => (
                    <input
                      {...control}
                      ref={(element) => {
                        if (element === null) markingInputs.current.delete(marking.key);
                        else markingInputs.current.set(marking.key, element);
                      }}
                      dir="auto"
                      spellCheck={false}
                      autoCapitalize="characters"
                      autoComplete="off"
                      value={marking.text}
                      onFocus={() => {
                        lastMarkingKey.current = marking.key;
                        setActiveMarkingKey(marking.key);
                      }}
                      onKeyDown={(event) => {
                        // Enter starts the next marking rather than saving the item.
                        if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
                          event.preventDefault();
                          addMarking();
                        }
                      }}
                      onChange={(event) => updateMarking(marking.key, { text: event.target.value })}
                    />
                  )}
                </Field>
                <Field
                  label={t('capture.markingKind')}
                  error={markingError(marking.key, 'kind')}
                  carried={marking.carried.has('kind') ? t('capture.carriedOver') : undefined}
                >
                  {(control) => (
                    <VocabularySelect
                      control={control}
                      group="markingKind"
                      values={markingKinds}
                      value={marking.kind}
                      onChange={(value) => updateMarking(marking.key, { kind: value })}
                    />
                  )}
                </Field>
                <Field
                  label={t('capture.markingPosition')}
                  error={markingError(marking.key, 'position')}
                  carried={marking.carried.has('position') ? t('capture.carriedOver') : undefined}
                >
                  {(control) => (
                    <input
                      {...control}
                      dir="auto"
                      value={marking.position}
                      onKeyDown={(event) => {
                        // Like the marking text: Enter goes on to the next marking.
                        if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
                          event.preventDefault();
                          nextMarkingFrom(marking.key);
                        }
                      }}
                      onChange={(event) => updateMarking(marking.key, { position: event.target.value })}
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="button-link remove-marking"
                  onClick={() => removeMarking(marking.key)}
                  aria-label={t('capture.removeMarkingNumber', { number: index + 1 })}
                >
                  {t('capture.removeMarking')}
                </button>
              </li>
            ))}
          </ol>
          <SeenElsewhere
            investigationId={investigationId}
            text={draft.markings.find((marking) => marking.key === activeMarkingKey)?.text ?? ''}
          />
          <button type="button" onClick={addMarking}>
            {t('capture.addMarking')}
          </button>
          <CharacterPalette onInsert={insertCharacter} />
        </fieldset>

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
              <input
                {...control}
                dir="auto"
                value={draft.tags}
                onChange={(event) => update('tags', event.target.value)}
              />
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t('photos.title')}</legend>
          <p className="field-hint">{t('capture.photosHint')}</p>
          <PhotoUpload
            key={photoUploadKey}
            investigationId={investigationId}
            onUploaded={(media) => setPhotos((previous) => [...previous, media])}
            onBusyChange={(uploading) => {
              setPhotosBusy(uploading);
              if (!uploading) setWaitingForPhotos(false);
            }}
          />
        </fieldset>

        <div className="actions form-actions">
          {/* Where the user is looking when saving: the outcome is said here, and read out by screen readers. */}
          <div className="save-status" aria-live="polite" data-testid="save-status">
            {waitingForPhotos && <p className="notice notice-warning">{t('capture.waitForPhotos')}</p>}
            {error !== undefined && (Object.keys(errors).length === 0 || unplacedErrors.length > 0) && (
              <ErrorNotice error={error} />
            )}
            {(Object.keys(errors).length > 0 || quantityUnreadable) && (
              <p className="notice notice-error">
                {t('capture.fixFields')} <FirstInvalidButton form={formRef} />
              </p>
            )}
            {linkError !== undefined && (
              <div className="notice notice-error">
                <p>
                  {t('capture.photosNotLinked')}{' '}
                  <Link to={paths.item(investigationId, linkError.item.id)}>
                    <LabelParts label={linkError.item.label} />
                  </Link>
                </p>
                <ErrorNotice error={linkError.error} />
              </div>
            )}
            {saved.length > 0 && error === undefined && (
              <div className="notice notice-success">
                <p>
                  {t('capture.saved')} {t('capture.savedCount', { count: saved.length })}{' '}
                  <Link to={paths.item(investigationId, saved[0]!.id)}>
                    <LabelParts label={saved[0]!.label} />
                  </Link>
                </p>
              </div>
            )}
          </div>
          <button type="submit" name="action" value="save" className="button-primary" disabled={busy}>
            {t('capture.save')}
          </button>
          <button type="submit" name="action" value="another" disabled={busy}>
            {t('capture.saveAndAnother')}
          </button>
          <Link to={paths.site(investigationId, siteId)}>{t('common.cancel')}</Link>
        </div>
      </form>
    </div>
  );
}
